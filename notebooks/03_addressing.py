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
# # 03 · Addressing: equations 5-9
#
# <!-- course-links -->
# <!-- /course-links -->
#
# Notebook 02 read and wrote with a weighting $w_t$. Where does it come
# from? Each head computes it afresh at every step, in four stages (the
# paper's Figure 2):
#
# | stage | equation | parameter from the controller | question it answers |
# |---|---|---|---|
# | 1 · content addressing | 5-6 | key $\mathbf{k}_t$, key strength $\beta_t$ | which slots hold something like $\mathbf{k}_t$? |
# | 2 · interpolation | 7 | gate $g_t$ | use that, or stay with last step's focus? |
# | 3 · convolutional shift | 8 | shift weighting $\mathbf{s}_t$ | move the focus by $-1$, $0$, $+1$ slots? |
# | 4 · sharpening | 9 | $\gamma_t \ge 1$ | undo the blur of the shift |
#
# Stage 1 is **content-based** addressing ("find the slot that looks like
# this"); stages 2-3 add **location-based** addressing ("the slot after the
# one I used last"), which the copy task needs. We take one stage at a
# time: the equation, the line of `ntm_core.addressing` that computes it,
# a picture, an explorer, and an exercise with an automatic check. Then:
# why every parameter passes through an activation, where NaNs come from,
# and the whole pipeline.

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

# %% tags=["parameters"]
SEED = 0
QUICK = False

# %%
import os

QUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")

# %%
import matplotlib.pyplot as plt
import numpy as np
from keras import ops

from ntm_core import addressing
from ntm_core.teaching import addressing_checks as checks
from ntm_core.teaching.demo_data import demo_memory, focused_weighting, shift_distribution
from ntm_core.viz.style import STAGE_COLORS, image_over_time
from ntm_core.viz.weightings import plot_addressing_stages, plot_weighting
from ntm_core.widgets.addressing_explorers import (AddressingPipelineExplorer, ContentAddressingExplorer,
                                                   InterpolationExplorer, SharpenExplorer, ShiftExplorer)


# %% [markdown]
# As in notebook 02, every function takes a leading batch axis: memory
# `(B, N, M)`, weightings `(B, N)`, key `(B, M)`, the scalars $\beta, g,
# \gamma$ as `(B, 1)`. `x[None]` adds the axis, `out[0]` drops it.
# `scalar(v)` below makes a `(1, 1)` array.

# %%
def scalar(v):
    return np.full((1, 1), v, "float32")


mem = demo_memory(8, 6, seed=SEED)  # 8 distinct rows of -1/+1; row 1 = row 0 with its last entry flipped
print(mem)

# %% [markdown]
# ## 1 · Content addressing (eq. 5-6)
#
# The head emits a **key** $\mathbf{k}_t$, a vector as wide as a slot, and
# looks for slots that resemble it. Resemblance is the **cosine
# similarity**, which ignores length and compares direction only
# (eq. 6):
#
# $$K[\mathbf{u}, \mathbf{v}] = \frac{\mathbf{u}\cdot\mathbf{v}}{\lVert\mathbf{u}\rVert\,\lVert\mathbf{v}\rVert}$$
#
# Our key: slot 3 with some noise.

# %%
rng = np.random.default_rng(SEED)
key = (mem[3] + 0.5 * rng.normal(size=6)).astype("float32")
similarity = np.asarray(addressing.cosine_similarity(mem[None], key[None]))[0]
print("K[k, M(i)] =", similarity.round(2))

# %% [markdown]
# Slot 3 is the most similar, but the others are not zero, and some are
# negative. A softmax turns the similarities into a weighting; the **key
# strength** $\beta_t \ge 0$ decides how sharply it prefers the best match
# (eq. 5):
#
# $$w^c_t(i) \longleftarrow \frac{\exp\big(\beta_t\,K[\mathbf{k}_t, \mathbf{M}_t(i)]\big)}{\sum_j \exp\big(\beta_t\,K[\mathbf{k}_t, \mathbf{M}_t(j)]\big)}$$

# %%
betas = [0.0, 1.0, 4.0, 20.0]
content = {b: np.asarray(addressing.content_weights(mem[None], key[None], scalar(b)))[0] for b in betas}

# %%
fig, axes = plt.subplots(1, 4, figsize=(13, 2.6), layout="constrained", sharey=True)
for ax, b in zip(axes, betas):
    plot_weighting(content[b], ax=ax, title=rf"$\beta$ = {b:g}")
plt.show()

# %% [markdown]
# $\beta = 0$ gives a uniform weighting (all similarities count the same);
# a large $\beta$ puts almost everything on the best match. The key
# strength matters most when two slots are nearly the same, like slots 0
# and 1 of our memory (they differ in their last number only):

# %%
for b in [1.0, 10.0, 100.0]:
    w_c = np.asarray(addressing.content_weights(mem[None], mem[0][None], scalar(b)))[0]
    print(f"key = slot 0, beta = {b:5.0f}: weight on slot 0 = {w_c[0]:.3f}, on slot 1 = {w_c[1]:.3f}")

# %% [markdown]
# Explore: choose which slot the key copies, add noise to it, and change
# $\beta$.

# %%
ContentAddressingExplorer(memory_size=8, memory_width=6, seed=SEED)

# %% [markdown]
# ### A trap: slots full of zeros
#
# What is the cosine similarity of a key with an **all-zero slot**? Eq. 6
# divides by $\lVert\mathbf{M}_t(i)\rVert = 0$, and the dot product is 0
# too: $0/0$. Memories often contain zero rows (an erased slot, a memory
# that starts at zero), so a naive implementation gives NaN:

# %%
zero_row_memory = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 2.0]], "float32")  # slot 0 is all zeros
k = np.array([1.0, 2.0, 2.0], "float32")

with np.errstate(invalid="ignore"):  # NumPy would warn: invalid value encountered in divide
    naive = zero_row_memory @ k / (np.linalg.norm(zero_row_memory, axis=1) * np.linalg.norm(k))
print("naive cosine   :", naive)

# %% [markdown]
# One NaN is enough to ruin everything: the softmax of eq. 5 mixes it into
# every weight, the write spreads it over the whole memory, the loss
# becomes NaN and so does every gradient. `ntm_core` adds a tiny
# $\epsilon = 10^{-8}$ under the square roots of the norms,
# $\sqrt{\lVert\mathbf{u}\rVert^2 + \epsilon}$, so a zero slot simply has
# similarity 0:

# %%
print("naive softmax  :", np.exp(naive) / np.exp(naive).sum())
safe = np.asarray(addressing.cosine_similarity(zero_row_memory[None], k[None]))[0]
print("ntm_core cosine:", safe)
print("ntm_core weights:", np.asarray(addressing.content_weights(zero_row_memory[None], k[None], scalar(5.0)))[0])


# %% [markdown]
# ### ✏️ Exercise 3.1 — Cosine similarity
#
# Implement eq. 6 for a batch: `memory` `(B, N, M)`, `key` `(B, M)`;
# return `(B, N)`, the similarity of each slot with the key. It must give
# 0, not NaN, for a zero slot or a zero key.

# %% tags=["exercise"]
def my_cosine(memory, key):
    """Eq. 6: memory (B, N, M), key (B, M) -> similarities (B, N), finite for zero vectors."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_cosine(my_cosine)


# %% [markdown]
# ### ✏️ Exercise 3.2 — Content weights
#
# Implement eq. 5: `beta` has shape `(B, 1)`. Use your `my_cosine`. The
# softmax runs over the slots. (Subtracting the largest value before
# `np.exp` keeps a large $\beta$ from overflowing.)

# %% tags=["exercise"]
def my_content_weights(memory, key, beta):
    """Eq. 5: softmax over the slots of beta * cosine. Returns (B, N)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_content_weights(my_content_weights)

# %% [markdown]
# ## 2 · Interpolation (eq. 7)
#
# Content addressing forgets where the head was. To *walk* through the
# memory (slot after slot) the head must be able to start from its
# previous weighting $\mathbf{w}_{t-1}$. The **interpolation gate**
# $g_t \in [0, 1]$ chooses between the two (eq. 7):
#
# $$\mathbf{w}^g_t \longleftarrow g_t\,\mathbf{w}^c_t + (1 - g_t)\,\mathbf{w}_{t-1}$$

# %%
w_content = content[20.0]                                   # the content weighting from above (beta = 20)
w_prev = focused_weighting(8, focus=6, blur=0.0)  # last step the head was on slot 6
gates = [0.0, 0.5, 1.0]
gated = {g: np.asarray(addressing.interpolate(w_content[None], w_prev[None], scalar(g)))[0] for g in gates}

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 2.6), layout="constrained", sharey=True)
for ax, g in zip(axes, gates):
    plot_weighting(gated[g], ax=ax, title=f"g = {g}", color=STAGE_COLORS["interpolated"])
plt.show()

# %% [markdown]
# $g = 0$ ignores the content and keeps the previous focus (slot 6);
# $g = 1$ uses content only (slot 3); in between, a mixture. The copy
# task uses both: content (or the starting position) once, then $g = 0$
# and a shift at every later step.

# %%
InterpolationExplorer(memory_size=8)


# %% [markdown]
# ### ✏️ Exercise 3.3 — Interpolation
#
# Implement eq. 7: `w_content` and `w_prev` `(B, N)`, `g` `(B, 1)`; return `(B, N)`.

# %% tags=["exercise"]
def my_interpolate(w_content, w_prev, g):
    """Eq. 7: g * w_content + (1 - g) * w_prev. Returns (B, N)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_interpolate(my_interpolate)

# %% [markdown]
# ## 3 · Convolutional shift (eq. 8)
#
# To step to the next slot, the head emits a **shift weighting**
# $\mathbf{s}_t$: a distribution over the allowed offsets, here $-1, 0, +1$.
# The new weighting is the old one rotated by each offset, mixed in
# proportion to $\mathbf{s}_t$, a *circular convolution* (eq. 8; indices
# are taken modulo $N$, so the focus wraps around the ends):
#
# $$\tilde{w}_t(i) \longleftarrow \sum_{j=0}^{N-1} w^g_t(j)\, s_t(i - j)$$
#
# Read it as: weight sitting on slot $j$ moves to slot $i$ with the
# probability $s_t(i - j)$ of the offset $i - j$. In `ntm_core`, `s` is
# stored as the vector $(s(-1), s(0), s(+1))$, and offset $+1$ moves the
# focus from slot $i$ to slot $i + 1$.

# %%
w_g = focused_weighting(8, focus=3, blur=0.0)[None]
s_forward = np.array([[0.0, 0.0, 1.0]], "float32")   # all probability on offset +1
s_blurred = np.array([[0.1, 0.2, 0.7]], "float32")   # mostly +1, a bit of 0 and -1
print("w^g             :", w_g[0])
print("shift +1        :", np.asarray(addressing.shift(w_g, s_forward))[0])
print("blurred shift   :", np.asarray(addressing.shift(w_g, s_blurred))[0].round(2))
last = focused_weighting(8, focus=7, blur=0.0)[None]
print("+1 from slot 7  :", np.asarray(addressing.shift(last, s_forward))[0], "(wraps to slot 0)")

# %% [markdown]
# A sharp shift moves the focus exactly; a blurred $\mathbf{s}_t$ also
# blurs the weighting. Try it:

# %%
ShiftExplorer(memory_size=8)


# %% [markdown]
# ### ✏️ Exercise 3.4 — Circular shift
#
# Implement eq. 8: `w` `(B, N)`, `s` `(B, 2R+1)` holding the weights of
# the offsets $-R, \dots, 0, \dots, +R$ in that order (so `s[:, R + j]` is
# the weight of offset $j$). Return `(B, N)`. Make it work for any odd
# width, not only 3. Mind the direction: offset $+1$ must move slot $i$ to
# slot $i + 1$.
#
# *Hint:* `np.roll(w, j, axis=1)[:, i]` is `w[:, i - j]` (modulo $N$).

# %% tags=["exercise"]
def my_shift(w, s):
    """Eq. 8: circular convolution of w (B, N) with the offsets s (B, 2R+1). Returns (B, N)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_shift(my_shift)

# %% [markdown]
# ## 4 · Sharpening (eq. 9)
#
# **Why?** Every blurred shift spreads the weighting a little more. Over
# many steps the focus would dissolve. Here a head starts sharply on slot
# 0 and shifts by a slightly blurred $+1$ at every step, first without
# sharpening ($\gamma = 1$), then with $\gamma = 3$:

# %%
s = shift_distribution(shift=1, blur=0.3)[None]   # (0.1, 0.1, 0.8)
walks = {}
for gamma in (1.0, 3.0):
    w = focused_weighting(16, focus=0, blur=0.0)[None]
    steps = []
    for t in range(14):
        w = addressing.sharpen(addressing.shift(w, s), scalar(gamma))
        steps.append(np.asarray(w)[0])
    walks[gamma] = np.stack(steps, axis=1)   # (slots, time)

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained", sharey=True)
for ax, (gamma, image) in zip(axes, walks.items()):
    image_over_time(ax, image)
    ax.set(title=rf"shift +1 (blurred) at every step, $\gamma$ = {gamma:g}", xlabel="step", ylabel="slot")
plt.show()

# %% [markdown]
# With $\gamma = 1$ the focus smears over many slots; with $\gamma = 3$ it
# stays on one slot as it moves. Sharpening raises every weight to the
# power $\gamma_t \ge 1$ and renormalises (eq. 9), so large weights grow
# relative to small ones:
#
# $$w_t(i) \longleftarrow \frac{\tilde{w}_t(i)^{\gamma_t}}{\sum_j \tilde{w}_t(j)^{\gamma_t}}$$

# %%
w_tilde = np.array([[0.1, 0.2, 0.4, 0.2, 0.1]], "float32")
for gamma in (1.0, 2.0, 5.0):
    print(f"gamma = {gamma}:", np.asarray(addressing.sharpen(w_tilde, scalar(gamma)))[0].round(3))

# %%
SharpenExplorer(memory_size=8)


# %% [markdown]
# ### ✏️ Exercise 3.5 — Sharpening
#
# Implement eq. 9: `w` `(B, N)`, `gamma` `(B, 1)`; return `(B, N)`.

# %% tags=["exercise"]
def my_sharpen(w, gamma):
    """Eq. 9: w ** gamma, renormalised over the slots. Returns (B, N)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_sharpen(my_sharpen)

# %% [markdown]
# ## 5 · Keeping every parameter in range
#
# The controller is a neural network: its outputs are arbitrary real
# numbers. The equations above only make sense for parameters in certain
# ranges, so each raw output passes through an **activation** that maps
# the real line onto the right range, whatever the weights:
#
# | parameter | needs | activation | what would go wrong without it |
# |---|---|---|---|
# | key strength $\beta$ | $\ge 0$ | softplus $\log(1 + e^z)$ | $\beta < 0$ would prefer the *least* similar slot |
# | gate $g$ | $[0, 1]$ | sigmoid | $g = 1.5$ gives $1.5\,w^c - 0.5\,w_{t-1}$: negative weights |
# | shift $\mathbf{s}$ | a distribution | softmax | weights that do not sum to 1 would shrink or grow the weighting at every step |
# | sharpening $\gamma$ | $\ge 1$ | $1 + {}$softplus | $\gamma < 1$ *blurs*, $\gamma = 0$ gives a uniform weighting, $\gamma < 0$ inverts it |
# | erase $\mathbf{e}$ | $[0, 1]$ | sigmoid | $e > 1$ flips the sign of memory contents, $e < 0$ amplifies them |
# | add $\mathbf{a}$ | any sign, bounded | tanh | unbounded adds let memory values grow without limit |
# | key $\mathbf{k}$ | any | linear (or tanh) | the cosine ignores the key's length anyway |
#
# Whatever the raw number, the result is in range:

# %%
raw = np.array([-10.0, -2.0, 0.0, 2.0, 10.0], "float32")
print("raw controller output  :", raw)
print("beta  = softplus       :", np.asarray(ops.softplus(raw)).round(3))
print("g, e  = sigmoid        :", np.asarray(ops.sigmoid(raw)).round(3))
print("gamma = 1 + softplus   :", (1 + np.asarray(ops.softplus(raw))).round(3))
print("a     = tanh           :", np.asarray(ops.tanh(raw)).round(3))
print("s     = softmax of (-2, 0, 2):", np.asarray(ops.softmax(raw[None, 1:4]))[0].round(3))

# %% [markdown]
# ### Where NaNs come from
#
# NTMs have a reputation for training runs that suddenly turn into NaN.
# Besides large learning rates, the usual culprits are three spots where a
# naive implementation divides by zero or takes a logarithm of zero,
# sometimes only in the **gradient**, where you do not see it:
#
# 1. **The cosine of a zero slot or a zero key** (eq. 6): $0/0$ in the
#    forward pass, shown above.
# 2. **The square root in the norm**: $\frac{d}{dx}\sqrt{x} = \frac{1}{2\sqrt{x}}$
#    is infinite at $x = 0$, so even a forward pass that avoids $0/0$ can
#    have an infinite gradient at a zero row.
# 3. **Sharpening a weighting that contains exact zeros** (eq. 9):
#    $\frac{\partial}{\partial\gamma} w^\gamma = w^\gamma \ln w$, and at
#    $w = 0$ that is $0 \cdot (-\infty)$ = NaN. Shifts of one-hot
#    weightings produce exact zeros all the time.
#
# The same numbers in NumPy:

# %%
with np.errstate(divide="ignore", invalid="ignore"):
    print("d sqrt(x)/dx at x = 0       :", 1 / (2 * np.sqrt(0.0)))
    print("d (w ** gamma)/d gamma at w=0:", 0.0**2.0 * np.log(0.0))

# %% [markdown]
# `ntm_core.addressing` avoids all three: norms are $\sqrt{x + \epsilon}$,
# and sharpening is computed as $\mathrm{softmax}(\gamma \log(w + \epsilon))$,
# which equals eq. 9 up to $\epsilon$ but has finite gradients everywhere
# (and cannot underflow when $\gamma$ is large). The activations help as
# well: $\gamma \ge 1$ by construction. A weighting with exact zeros
# sharpens to tiny positive numbers instead:

# %%
w_zeros = np.array([[0.0, 0.5, 0.5, 0.0]], "float32")
print(np.asarray(addressing.sharpen(w_zeros, scalar(3.0)))[0])

# %% [markdown]
# ## 6 · The whole pipeline (Figure 2)
#
# `addressing.address_stages` runs the four stages in order and returns
# each intermediate weighting. On a memory of 16 slots: a key close to
# slot 9, a strong $\beta$, the gate fully on content, a slightly blurred
# shift by $+1$, and some sharpening.

# %%
mem16 = demo_memory(16, 6, seed=SEED)
key16 = mem16[9] + 0.3 * rng.normal(size=6)
stages = addressing.address_stages(
    mem16[None], focused_weighting(16, focus=2, blur=0.0)[None], key16[None].astype("float32"),
    beta=scalar(10.0), g=scalar(1.0), s=shift_distribution(1, 0.3)[None], gamma=scalar(4.0))
stages = {name: np.asarray(w)[0] for name, w in stages.items()}
plot_addressing_stages(**stages)

# %% [markdown]
# Content finds slot 9 (blue), the gate keeps it (orange), the shift moves
# it to slot 10 and blurs it (green), sharpening focuses it again (red).
# Change one parameter at a time in the explorer below: what does $g = 0$
# do? A shift of $-1$? $\gamma = 1$?

# %%
AddressingPipelineExplorer(memory_size=16, memory_width=6, seed=SEED)


# %% [markdown]
# ### ✏️ Exercise 3.6 — The whole pipeline
#
# Chain your four functions: content weights, interpolation with the
# previous weighting, shift, sharpening. Arguments: `memory` `(B, N, M)`,
# `w_prev` `(B, N)`, `key` `(B, M)`, `beta`, `g`, `gamma` `(B, 1)`, `s` `(B, 2R+1)`.

# %% tags=["exercise"]
def my_address(memory, w_prev, key, beta, g, s, gamma):
    """Eq. 5-9: content -> interpolate -> shift -> sharpen. Returns (B, N)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_address(my_address)

# %% [markdown]
# Stuck? Reference solutions are in `solutions/solutions_02_04.py`.
#
# ## Summary
#
# * **Content** (eq. 5-6): cosine similarity to a key, softmax with strength
#   $\beta$. Finds slots by what they hold.
# * **Interpolation** (eq. 7): the gate $g$ blends that with the previous
#   weighting, so the head can keep its place.
# * **Shift** (eq. 8): a circular convolution moves the focus by a few slots.
# * **Sharpening** (eq. 9): $\gamma \ge 1$ removes the blur the shift adds.
# * Activations keep every parameter in range; small epsilons keep zeros from
#   turning into NaN.
#
# **Next, 04 · Building the layer:** where the controller's output becomes
# $\mathbf{k}, \beta, g, \mathbf{s}, \gamma, \mathbf{e}, \mathbf{a}$, one complete step of the NTM by
# hand, and the finished Keras layer.
