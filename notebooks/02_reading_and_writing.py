# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Reading and writing: equations 2-4
#
# <!-- course-links -->
# <!-- /course-links -->
#
# The memory of an NTM is a matrix $\mathbf{M}_t$ of $N$ rows (*slots*), each
# $M$ numbers wide. A head never touches just one slot: it acts on **every
# slot at once, in proportion to a weighting** $w_t$. This notebook works
# through the three equations that read and write with a weighting
# (sections 3.1 and 3.2 of the paper), on a memory small enough to see whole.

# %%
# Set-up: where the course's package is missing (Colab, a fresh kernel), install
# it; where it is installed, this does nothing. The course sets the source once
# with `python tools/stamp_course.py`.
NTM_COURSE_SOURCE = "git+https://github.com/YOUR-COURSE/ntm-notebooks@main"
import importlib, importlib.util, subprocess, sys

if importlib.util.find_spec("ntm_core") is None:
    if "YOUR-COURSE" in NTM_COURSE_SOURCE:
        raise RuntimeError("This notebook needs the ntm_core package: install the course as its README says, "
                           "or ask your lecturer to set the course's source (tools/stamp_course.py).")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", NTM_COURSE_SOURCE], check=True)
    importlib.invalidate_caches()

# %% [markdown]
# **After this notebook you can**
# - compute a read by hand for a sharp and for a blurry weighting (eq. 2), and say why a read has a gradient;
# - compute what one write (erase, eq. 3, then add, eq. 4) leaves in each slot, for any weighting;
# - choose the erase and add vectors that overwrite a slot, keep it, or clear part of it;
# - implement batched `read` and `write` in NumPy that pass the automatic checks.
#
# *Time: 35 minutes core, 10 more for going deeper.* Needs: notebook 01.

# %% tags=["parameters"]
SEED = 0
N_SLOTS = 8
WIDTH = 6
QUICK = False

# %%
import os

QUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")

# %%
import matplotlib.pyplot as plt
import numpy as np

from ntm_core import memory
from ntm_core.teaching import memory_checks as checks
from ntm_core.teaching.demo_data import focused_weighting
from ntm_core.teaching.questions import check_question, predict, show_choices
from ntm_core.viz.weightings import plot_memory, plot_weighting
from ntm_core.widgets.memory_explorer import ReadWriteExplorer

# %% [markdown]
# **Shapes.** The functions of `ntm_core.memory` work on a whole batch of
# sequences at once, so every argument has a leading batch axis $B$:
# memory `(B, N, M)`, weighting `(B, N)`, vectors `(B, M)`. Here $B = 1$;
# `x[None]` adds the batch axis and `out[0]` removes it. They return
# tensors of the Keras backend; `np.asarray` turns them into NumPy arrays.
#
# ## The memory
#
# A random memory with one decimal, so you can read the numbers:

# %%
rng = np.random.default_rng(SEED)
M_prev = np.round(rng.uniform(-1, 1, (N_SLOTS, WIDTH)), 1).astype("float32")
print(M_prev)
plot_memory(M_prev, title=f"$M_{{t-1}}$: {N_SLOTS} slots (rows) x {WIDTH} numbers")

# %% [markdown]
# **What you should see.** One row per slot, one column per number;
# the colour of a cell is its value, as printed above. Change `SEED` in
# the parameters cell for another memory.
#
# ## 1. Reading (eq. 2) *(core)*
#
# **Why a weighting?** Reading slot `M[i]` with an integer `i` is what a
# computer does, but an integer has no gradient: the network could never
# learn *which* slot to read. The NTM reads with a weighting $w_t$ over
# the slots instead. Its entries obey (eq. 1)
#
# $$\sum_i w_t(i) = 1, \qquad 0 \le w_t(i) \le 1 .$$
#
# First a sharp weighting: all the weight on slot 2.

# %%
w = focused_weighting(N_SLOTS, focus=2, blur=0.0)
print("w =", w)
plot_weighting(w, title="a sharp weighting on slot 2")

# %% [markdown]
# **What you should see.** A single bar of height 1 on slot 2, nothing
# elsewhere: the weights sum to 1, as eq. 1 asks.
#
# The read vector is the weighted sum of the rows (eq. 2):
#
# $$\mathbf{r}_t \longleftarrow \sum_i w_t(i)\,\mathbf{M}_t(i)$$

# %%
r = np.asarray(memory.read(M_prev[None], w[None]))[0]
print("read :", r.round(3))
print("M[2] :", M_prev[2])

# %% [markdown]
# **What you should see.** The read equals row 2 exactly: with all the
# weight on one slot, eq. 2 is an ordinary read. Now blur the weighting:
# most weight on slot 2, some on its neighbours.

# %%
w_blur = focused_weighting(N_SLOTS, focus=2, blur=1.0)
r_blur = np.asarray(memory.read(M_prev[None], w_blur[None]))[0]
print("w     =", w_blur.round(3))
print("read  =", r_blur.round(3))
print("by hand, sum_i w(i) M(i) =", (w_blur[:, None] * M_prev).sum(axis=0).round(3))

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 3), layout="constrained", width_ratios=[1, 1.3])
plot_weighting(w_blur, ax=axes[0], title="a blurry weighting around slot 2")
plot_memory(M_prev, ax=axes[1], title="the rows it blends")
plt.show()

# %% [markdown]
# **What you should see.** The weighting has a peak on slot 2 and smaller
# bars beside it; the read printed above is a blend of those rows, and
# the sum worked out by hand agrees with `memory.read`. If the two lines
# differ, the package and eq. 2 disagree: that would be a bug.

# %% [markdown]
# **This is what makes the memory trainable.** The read is linear in the
# weighting, so $\partial \mathbf{r}_t / \partial w_t(i) = \mathbf{M}_t(i)$:
# every slot tells the controller how the read would change if it looked
# there a little more. Check it numerically: move a little weight,
# $\delta$, from slot 2 to slot 5.

# %%
delta = 0.01
w_moved = w_blur.copy()
w_moved[2] -= delta
w_moved[5] += delta
r_moved = np.asarray(memory.read(M_prev[None], w_moved[None]))[0]
print("change of the read / delta:", ((r_moved - r_blur) / delta).round(2))
print("M[5] - M[2]               :", (M_prev[5] - M_prev[2]).round(2))

# %% [markdown]
# **What you should see.** The two lines agree: moving weight from slot
# 2 to slot 5 changes the read by $\delta\,(\mathbf{M}(5) - \mathbf{M}(2))$.
# A gradient step on the weighting moves the read towards the rows that
# would lower the loss.
#
# ## 2. Writing: erase, then add (eq. 3-4) *(core)*
#
# **Why two parts?** Think of an LSTM's forget gate and input gate. A
# write head emits an **erase vector** $\mathbf{e}_t$ (each entry in
# $[0, 1]$: how much of that column to forget) and an **add vector**
# $\mathbf{a}_t$ (what to write). Both are applied to every slot in
# proportion to the same weighting $w_t$.
#
# Our write head puts its weight on slot 5, a little blurred, erases
# every column completely ($\mathbf{e} = 1$) and adds $+1$ everywhere:

# %%
w_write = focused_weighting(N_SLOTS, focus=5, blur=0.5)
e = np.ones(WIDTH, "float32")          # erase everything (where w is 1)
a = np.ones(WIDTH, "float32")          # then write +1 (where w is 1)
print("w =", w_write.round(3))

# %% [markdown]
# **Erase (eq. 3).** Each slot keeps a fraction $1 - w_t(i)\,e_t(j)$ of
# each number (the product is element-wise; $\mathbf{1}$ is a row of ones):
#
# $$\tilde{\mathbf{M}}_t(i) \longleftarrow \mathbf{M}_{t-1}(i)\,\big[\mathbf{1} - w_t(i)\,\mathbf{e}_t\big]$$

# %%
M_erased = np.asarray(memory.erase(M_prev[None], w_write[None], e[None]))[0]

# %% [markdown]
# **Add (eq. 4).** Then each slot receives the add vector, scaled by its weight:
#
# $$\mathbf{M}_t(i) \longleftarrow \tilde{\mathbf{M}}_t(i) + w_t(i)\,\mathbf{a}_t$$

# %%
M_new = np.asarray(memory.add(M_erased[None], w_write[None], a[None]))[0]

# %%
fig, axes = plt.subplots(1, 4, figsize=(14, 3.2), layout="constrained", width_ratios=[0.7, 1, 1, 1])
plot_weighting(w_write, ax=axes[0], title="write weighting $w_t$")
plot_memory(M_prev, ax=axes[1], title="before, $M_{t-1}$", vmax=1.2, colorbar=False)
plot_memory(M_erased, ax=axes[2], title=r"erased, $\tilde M_t$ (eq. 3)", vmax=1.2, colorbar=False)
plot_memory(M_new, ax=axes[3], title="after the add, $M_t$ (eq. 4)", vmax=1.2)
plt.show()
for i in (4, 5, 6):
    print(f"slot {i}: weight {w_write[i]:.2f} keeps {1 - w_write[i]:.0%} of its old content "
          f"and receives {w_write[i]:.2f} x a")

# %% [markdown]
# **What you should see.** Slot 5, with most of the weight, loses most of
# its old content in the erase and is mostly $+1$ after the add. Its
# neighbours 4 and 6 lose a little and gain a little: a blurry write.
# Slots with no weight are untouched. If a far slot changed, the
# weighting was not as focused as you thought: look at the left panel.

# %% [markdown]
# `memory.write` does both steps. With several write heads the layer
# applies every head's erase before any head's add; the adds can then
# come in any order, since addition commutes.

# %%
M_both = np.asarray(memory.write(M_prev[None], w_write[None], e[None], a[None]))[0]
np.testing.assert_allclose(M_both, M_new, rtol=1e-6)
print("rows 4-6 before:\n", M_prev[4:7], "\nrows 4-6 after:\n", M_new[4:7].round(2))

# %% [markdown]
# **Erasing part of a row.** The erase vector works column by column:
# $\mathbf{e} = (1, 1, 1, 0, 0, 0)$ clears the first three numbers of the
# slot and keeps the last three; $\mathbf{a} = 0$ writes nothing new.

# %%
e_half = np.array([1, 1, 1, 0, 0, 0], "float32")
sharp5 = focused_weighting(N_SLOTS, focus=5, blur=0.0)
M_half = np.asarray(memory.write(M_prev[None], sharp5[None], e_half[None], np.zeros((1, WIDTH), "float32")))[0]
print("slot 5 before:", M_prev[5], "\nslot 5 after :", M_half[5])

# %% [markdown]
# **What you should see.** The first three numbers of slot 5 are 0, the
# last three unchanged. A controller can keep part of a slot and
# replace the rest: the erase vector is a per-column forget gate.
#
# ## 3. Explore *(going deeper)*
#
# Move the focus of the head, blur it, change the erase strength and the
# add vector, and watch the memory change. The read vector under the new
# memory is read with the same weighting (eq. 2). Things to try:
#
# * blur 0, erase 1: slot `focus` becomes exactly the add vector;
# * erase 0: the add vector is *added* on top of the old content;
# * add "zeros (erase only)" and a large blur: a soft erase of a whole region.

# %%
ReadWriteExplorer(memory_size=N_SLOTS, memory_width=WIDTH, seed=SEED)


# %% [markdown]
# **What you should see.** Each control redraws the memory after one
# write. With blur 0 only the focused row changes; as the blur grows,
# the change spreads over more rows and gets weaker in each.

# %% [markdown]
# ## 4. Exercises: your own read and write *(core)*
#
# Fill in each function with NumPy, run its cell, then run the check below
# it. The check tries your function on hand-worked cases, on exact zeros,
# in float32 and on random batches, and tells you what, if anything, is
# wrong. All arrays carry the batch axis first, as in `ntm_core`.

# %% [markdown]
# ### ✏️ Exercise 2.1 — Read from memory
#
# Implement eq. 2 for a batch: `memory` has shape `(B, N, M)`, `w` has
# shape `(B, N)`; return the read vectors, shape `(B, M)`. Each sequence
# `b` of the batch reads its own `memory[b]` with its own `w[b]`. Return
# a new array and leave `memory` and `w` as they are.
#
# *Hint:* `w[:, :, None]` has shape `(B, N, 1)` and broadcasts against the memory.

# %% tags=["exercise"]
def my_read(memory, w):
    """Eq. 2: memory (B, N, M), w (B, N) -> read vectors (B, M)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_read(my_read)


# %% [markdown]
# ### ✏️ Exercise 2.2 — Write to memory
#
# Implement one write head, eq. 3 then eq. 4: `memory` `(B, N, M)`, `w`
# `(B, N)`, erase vector `e` `(B, M)`, add vector `a` `(B, M)`; return the
# new memory `(B, N, M)`. Do not change `memory` in place (no
# `memory *= ...`): return a new array. The check rejects a function that
# changes its inputs.
#
# *Hint:* `w[:, :, None] * e[:, None, :]` is the `(B, N, M)` array of all
# products $w_t(i)\,e_t(j)$.

# %% tags=["exercise"]
def my_write(memory, w, e, a):
    """Eq. 3-4: erase memory * (1 - w e), then add w a. Returns (B, N, M)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_write(my_write)


# %% [markdown]
# ### ✏️ Exercise 2.3 — Overwrite a slot
#
# A head focuses sharply on one slot (its weighting is one-hot). Which
# erase and add vectors **replace** that slot by a given vector $\mathbf{v}$,
# whatever it held before? Return them for a batch of vectors `v` `(B, M)`.

# %% tags=["exercise"]
def my_overwrite_vectors(v):
    """Return (e, a), each (B, M), that make a one-hot write replace the slot by v."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_overwrite(my_overwrite_vectors)

# %% [markdown]
# Once your functions pass, compare them with `ntm_core.memory` on the
# memory of this notebook. (Until then this cell just says so.)

# %%
try:
    mine = my_write(M_prev[None], w_write[None], e[None], a[None])
except NotImplementedError:
    mine = None
    print("my_write is not written yet")
except Exception as err:  # written, but not working yet: the check above says why
    mine = None
    print("my_write raised", type(err).__name__, err)
if mine is not None:
    print("my_write agrees with ntm_core:", np.allclose(mine, M_new[None], atol=1e-5))

# %% [markdown]
# **What you should see.** `True` once Exercise 2.2 passes. `False` with
# a passing check would mean your function treats this float32 memory
# differently from the cases the check used.
#
# Stuck? Reference solutions are in `solutions/solutions_02_04.py` (next to
# this notebook), written to be read.

# %% [markdown]
# ## 5. Predict, then explain *(core)*
#
# ### ✏️ Exercise 2.4 — a half-strength write
#
# A write head puts weight 0.5 on slot 2 and 0.5 on slot 3, with erase
# $\mathbf{e} = 1$ and add $\mathbf{a} = 1$ in every column. Using eq. 3
# and 4 and the memory printed at the top, predict the **first number of
# row 2** after the write. Work it out on paper, then run the two cells.

# %%
my_prediction = ...  # YOUR ANSWER: a number
predict("Exercise 2.4", my_prediction)

# %%
w_two = np.zeros(N_SLOTS, "float32")
w_two[2] = w_two[3] = 0.5
M_two = np.asarray(memory.write(M_prev[None], w_two[None], np.ones((1, WIDTH), "float32"),
                                np.ones((1, WIDTH), "float32")))[0]
print("rows 2-3 before:\n", M_prev[2:4], "\nrows 2-3 after:\n", M_two[2:4].round(3))
checks.question_blurry_write(float(M_two[2, 0]), old=float(M_prev[2, 0]))

# %% [markdown]
# **What you should see.** Rows 2 and 3 are each halfway between their
# old content and $\mathbf{a}$; every other row is unchanged. A weight
# below 1 is a partial write: the head cannot fully replace a slot it
# only half attends to.
#
# ### ✏️ Exercise 2.5 — a uniform read
#
# An untrained head often spreads its weight almost evenly. If the
# weighting is exactly uniform, $w(i) = 1/N$ for every slot, what does a
# read return? Pick one of the choices printed below.

# %%
show_choices("Exercise 2.5")
my_answer = ...  # YOUR ANSWER: "a", "b", "c" or "d"
check_question("Exercise 2.5", my_answer)

# %%
w_uniform = np.full(N_SLOTS, 1 / N_SLOTS, "float32")
print("uniform read :", np.asarray(memory.read(M_prev[None], w_uniform[None]))[0].round(3))
print("mean of rows :", M_prev.mean(axis=0).round(3))

# %% [markdown]
# **What you should see.** The two lines agree. A uniform read carries
# little information about any single slot: a head must focus before
# its reads are useful, which is what addressing (notebook 03) is for.
#
# ### ✏️ Exercise 2.6 — why erase first?
#
# Eq. 3 erases before eq. 4 adds. Why this order? Pick one of the choices
# printed below.

# %%
show_choices("Exercise 2.6")
my_answer = ...  # YOUR ANSWER: "a", "b", "c" or "d"
check_question("Exercise 2.6", my_answer)

# %%
ones = np.ones((1, WIDTH), "float32")
erase_then_add = np.asarray(memory.add(memory.erase(M_prev[None], sharp5[None], ones), sharp5[None], ones))[0]
add_then_erase = np.asarray(memory.erase(memory.add(M_prev[None], sharp5[None], ones), sharp5[None], ones))[0]
print("slot 5, erase then add:", erase_then_add[5])
print("slot 5, add then erase:", add_then_erase[5])

# %% [markdown]
# **What you should see.** Erase-then-add leaves exactly $\mathbf{a}$ in
# slot 5; add-then-erase leaves nothing, because the erase removed what
# was just written.

# %% [markdown]
# ## Summary
#
# * A read is a weighted sum of all slots (eq. 2): a sharp weighting gives an ordinary read, a blurry one a blend.
# * The read is linear in the weighting, so the loss has a gradient with respect to where the head looks.
# * A write erases (eq. 3) and then adds (eq. 4), each slot in proportion to its weight; $\mathbf{e}$ chooses what to forget, $\mathbf{a}$ what to write.
# * A one-hot weighting with $\mathbf{e} = 1$ overwrites a slot with $\mathbf{a}$; a weight of 0.5 only goes halfway.
# * Everything is products and sums, so gradients flow through reads and writes to the weightings and the controller.
#
# **Next, 03 · Addressing:** where the weightings come from.
