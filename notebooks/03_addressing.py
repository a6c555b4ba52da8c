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

# %% [markdown] slideshow={"slide_type": "slide"}
# # 03 · Addressing: equations 5-9
#
# <!-- course-links -->
# <!-- /course-links -->
#
# Notebook 02 read and wrote with a weighting $w_t$. Where does it come
# from? Each head computes it afresh at every step, in four stages (the
# paper's section 3.3 and Figure 2). This notebook takes one stage at a
# time: a picture, the equation, the line of `ntm_core.addressing` that
# computes it, and an exercise. It ends with a program for the NTM that you
# write by hand, without any training.

# %% [markdown] slideshow={"slide_type": "slide"}
# **After this notebook you can**
# - compute a content weighting for a small memory and say what the key strength β does to it;
# - predict where a weighting lands after a shift by $\mathbf{s} = (s(-1), s(0), s(+1))$, wrap-around included;
# - explain what the gate $g$ chooses between and why sharpening needs $\gamma \ge 1$;
# - implement eq. 5-9 so that they stay finite at β = 100 in float32, at zero rows and at exact zeros;
# - write the head parameters that make an NTM copy five vectors, step by step.
#
# *Time: 60 minutes core, 30 more for going deeper.* Needs: notebook 02.

# %% [markdown] slideshow={"slide_type": "subslide"}
# | stage | equation | parameter from the controller | question it answers |
# |---|---|---|---|
# | 1 · content addressing | 5-6 | key $\mathbf{k}_t$, key strength $\beta_t$ | which slots hold something like $\mathbf{k}_t$? |
# | 2 · interpolation | 7 | gate $g_t$ | use that, or stay with last step's focus? |
# | 3 · convolutional shift | 8 | shift weighting $\mathbf{s}_t$ | move the focus by $-1$, $0$, $+1$ slots? |
# | 4 · sharpening | 9 | $\gamma_t \ge 1$ | undo the blur of the shift |
#
# Stage 1 is **content-based** addressing ("find the slot that looks like
# this"); stages 2-3 add **location-based** addressing ("the slot after the
# one I used last"), which the copy task needs.

# %% slideshow={"slide_type": "skip"}
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

# %% tags=["parameters"] slideshow={"slide_type": "skip"}
SEED = 0
QUICK = False

# %% slideshow={"slide_type": "skip"}
import os

QUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

from ntm_core import addressing  # before Keras: ntm_core imports it without TensorFlow's start-up log lines
from keras import ops
from ntm_core.teaching import addressing_checks as checks
from ntm_core.teaching import hand_program as hand
from ntm_core.teaching.demo_data import demo_memory, focused_weighting, shift_distribution
from ntm_core.teaching.questions import check_question, predict, show_choices
from ntm_core.viz.style import STAGE_COLORS, image_over_time
from ntm_core.viz.weightings import plot_addressing_stages, plot_weighting
from ntm_core.widgets.addressing_explorers import (AddressingPipelineExplorer, ContentAddressingExplorer,
                                                   InterpolationExplorer, SharpenExplorer, ShiftExplorer)


# %% [markdown] slideshow={"slide_type": "skip"}
# As in notebook 02, every function takes a leading batch axis: memory
# `(B, N, M)`, weightings `(B, N)`, key `(B, M)`, the scalars $\beta, g,
# \gamma$ as `(B, 1)`. `x[None]` adds the axis, `out[0]` drops it.
# `scalar(v)` below makes a `(1, 1)` array.

# %% slideshow={"slide_type": "skip"}
def scalar(v):
    return np.full((1, 1), v, "float32")


mem = demo_memory(8, 6, seed=SEED)  # 8 distinct rows of -1/+1; row 1 = row 0 with its last entry flipped
print(mem)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Content addressing *(core)*
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
best = int(np.argmax(similarity))
print("K[k, M(i)] =", similarity.round(2), f"  most similar: slot {best}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Slot 3 is the most similar, but the others are not zero, and some are
# negative. A softmax turns the similarities into a weighting; the **key
# strength** $\beta_t \ge 0$ decides how sharply it prefers the best match
# (eq. 5):
#
# $$w^c_t(i) \longleftarrow \frac{\exp\big(\beta_t\,K[\mathbf{k}_t, \mathbf{M}_t(i)]\big)}{\sum_j \exp\big(\beta_t\,K[\mathbf{k}_t, \mathbf{M}_t(j)]\big)}$$

# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 3.1 — Predict: β = 0
#
# The next cell draws the content weighting for four key strengths, the
# first being β = 0. Before running it: what weight will the best-matching
# slot get at β = 0? Write a number between 0 and 1.

# %% slideshow={"slide_type": "skip"}
my_prediction = ...  # YOUR ANSWER: a number
predict("Exercise 3.1", my_prediction)

# %%
betas = [0.0, 1.0, 4.0, 20.0]
content = {b: np.asarray(addressing.content_weights(mem[None], key[None], scalar(b)))[0] for b in betas}
fig, axes = plt.subplots(1, 4, figsize=(13, 2.6), layout="constrained", sharey=True)
for ax, b in zip(axes, betas):
    plot_weighting(content[b], ax=ax, title=rf"$\beta$ = {b:g}")
plt.show()

# %% slideshow={"slide_type": "skip"}
checks.question_beta_zero(content[0.0][best])

# %% [markdown]
# **What you should see.** At β = 0 all eight bars have the same height;
# as β grows, the bar of slot 3 rises and the others shrink, until at
# β = 20 nearly all the weight sits on slot 3. If a large β still spreads the
# weight, two slots are almost equally similar to the key.

# %% [markdown] slideshow={"slide_type": "skip"}
# The key strength matters most when two slots are nearly the same, like
# slots 0 and 1 of our memory (they differ in their last number only):

# %% slideshow={"slide_type": "skip"}
for b in [1.0, 10.0, 100.0]:
    w_c = np.asarray(addressing.content_weights(mem[None], mem[0][None], scalar(b)))[0]
    print(f"key = slot 0, beta = {b:5.0f}: weight on slot 0 = {w_c[0]:.3f}, on slot 1 = {w_c[1]:.3f}")

# %% [markdown] slideshow={"slide_type": "skip"}
# **What you should see.** With the key equal to slot 0, slot 1 keeps a
# large share at β = 1 and almost nothing at β = 100: only a strong key
# tells near twins apart. Explore: choose which slot the key copies, add
# noise to it, and change β.

# %% slideshow={"slide_type": "skip"}
ContentAddressingExplorer(memory_size=8, memory_width=6, seed=SEED)

# %% [markdown] slideshow={"slide_type": "skip"}
# ### A trap: slots full of zeros
#
# What is the cosine similarity of a key with an **all-zero slot**? Eq. 6
# divides by $\lVert\mathbf{M}_t(i)\rVert = 0$, and the dot product is 0
# too: $0/0$. Memories often contain zero rows (an erased slot, a memory
# that starts at zero), so a naive implementation gives NaN:

# %% slideshow={"slide_type": "skip"}
zero_row_memory = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 2.0]], "float32")  # slot 0 is all zeros
k = np.array([1.0, 2.0, 2.0], "float32")

with np.errstate(invalid="ignore"):  # NumPy would warn: invalid value encountered in divide
    naive = zero_row_memory @ k / (np.linalg.norm(zero_row_memory, axis=1) * np.linalg.norm(k))
print("naive cosine   :", naive)

# %% [markdown] slideshow={"slide_type": "skip"}
# One NaN is enough to ruin everything: the softmax of eq. 5 mixes it into
# every weight, the write spreads it over the whole memory, the loss
# becomes NaN and so does every gradient. `ntm_core` adds a tiny
# $\epsilon = 10^{-8}$ under the square roots of the norms,
# $\sqrt{\lVert\mathbf{u}\rVert^2 + \epsilon}$, so a zero slot simply has
# similarity 0:

# %% slideshow={"slide_type": "skip"}
print("naive softmax  :", np.exp(naive) / np.exp(naive).sum())
safe = np.asarray(addressing.cosine_similarity(zero_row_memory[None], k[None]))[0]
print("ntm_core cosine:", safe)
print("ntm_core weights:", np.asarray(addressing.content_weights(zero_row_memory[None], k[None], scalar(5.0)))[0])


# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 3.2 — Cosine similarity
#
# Implement eq. 6 for a batch: `memory` `(B, N, M)`, `key` `(B, M)`;
# return a new `(B, N)` array, the similarity of each slot with the key
# (leave the inputs unchanged). It must give 0, not NaN, for a zero slot or
# a zero key, also in float32.

# %% tags=["exercise"] slideshow={"slide_type": "skip"}
def my_cosine(memory, key):
    """Eq. 6: memory (B, N, M), key (B, M) -> similarities (B, N), finite for zero vectors."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"] slideshow={"slide_type": "skip"}
checks.check_cosine(my_cosine)


# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 3.3 — Content weights
#
# Implement eq. 5: `beta` has shape `(B, 1)`. Use your `my_cosine`. The
# softmax runs over the slots. The check feeds β = 100 in **float32**:
# $e^{100}$ is larger than the largest float32 number, so a plain
# `np.exp(beta * K)` overflows to inf and inf/inf is NaN. Subtracting each
# sequence's largest $\beta K(i)$ before `np.exp` changes nothing in the
# fraction and keeps every exponent at or below 0.

# %% tags=["exercise"] slideshow={"slide_type": "skip"}
def my_content_weights(memory, key, beta):
    """Eq. 5: softmax over the slots of beta * cosine. Returns (B, N)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"] slideshow={"slide_type": "skip"}
checks.check_content_weights(my_content_weights)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Interpolation *(core)*
#
# Content addressing forgets where the head was. To *walk* through the
# memory (slot after slot) the head must be able to start from its
# previous weighting $\mathbf{w}_{t-1}$. The **interpolation gate**
# $g_t \in [0, 1]$ chooses between the two (eq. 7):
#
# $$\mathbf{w}^g_t \longleftarrow g_t\,\mathbf{w}^c_t + (1 - g_t)\,\mathbf{w}_{t-1}$$

# %%
w_content = content[20.0]                         # the content weighting from above (beta = 20)
w_prev = focused_weighting(8, focus=6, blur=0.0)  # last step the head was on slot 6
gates = [0.0, 0.5, 1.0]
gated = {g: np.asarray(addressing.interpolate(w_content[None], w_prev[None], scalar(g)))[0] for g in gates}
fig, axes = plt.subplots(1, 3, figsize=(11, 2.6), layout="constrained", sharey=True)
for ax, g in zip(axes, gates):
    plot_weighting(gated[g], ax=ax, title=f"g = {g}", color=STAGE_COLORS["interpolated"])
plt.show()

# %% [markdown]
# **What you should see.** $g = 0$ keeps the previous focus (slot 6),
# $g = 1$ uses content only (slot 3), $g = 0.5$ splits the weight between
# the two. The copy task uses both: content (or the starting position)
# once, then $g = 0$ and a shift at every later step.

# %% slideshow={"slide_type": "skip"}
InterpolationExplorer(memory_size=8)


# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 3.4 — Interpolation
#
# Implement eq. 7: `w_content` and `w_prev` `(B, N)`, `g` `(B, 1)`; return
# a new `(B, N)` array (leave the inputs unchanged).

# %% tags=["exercise"] slideshow={"slide_type": "skip"}
def my_interpolate(w_content, w_prev, g):
    """Eq. 7: g * w_content + (1 - g) * w_prev. Returns (B, N)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"] slideshow={"slide_type": "skip"}
checks.check_interpolate(my_interpolate)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Convolutional shift *(core)*
#
# To step to the next slot, the head emits a **shift weighting**
# $\mathbf{s}_t$: a distribution over the allowed offsets, here $-1, 0, +1$.
# Eq. 8 mixes rotated copies of the weighting (indices modulo $N$, so the
# focus wraps around the ends):
#
# $$\tilde{w}_t(i) \longleftarrow \sum_{j=0}^{N-1} w^g_t(j)\, s_t(i - j)$$
#
# Read it as: the weight on **slot** $j$ moves to slot $i$ with the
# probability $s_t(i - j)$ of the **offset** $o = i - j$.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Only three offsets have a weight, so substitute $j = i - o$ and sum over
# the offsets instead of the slots:
#
# $$\tilde{w}_t(i) = \sum_{o=-1}^{+1} s_t(o)\, w^g_t(i - o)$$
#
# That is the form to compute: three terms per slot. `ntm_core` stores
# $\mathbf{s}$ as the vector $(s(-1), s(0), s(+1))$: offset $o$ sits at
# index $R + o$ with $R = 1$, and offset $+1$ moves the focus from slot $i$
# to slot $i + 1$.

# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 3.5 — Predict: a shift by s = (0.1, 0, 0.9)
#
# The next cell shifts a one-hot weighting on slot 3 of 8 slots with
# $\mathbf{s} = (0.1, 0, 0.9)$. Before running it: which slot will hold most
# of the weight?

# %% slideshow={"slide_type": "skip"}
my_prediction = ...  # YOUR ANSWER: a slot index
predict("Exercise 3.5", my_prediction)

# %%
start = 3
w_g = focused_weighting(8, focus=start, blur=0.0)[None]
s_question = np.array([[0.1, 0.0, 0.9]], "float32")
shifted = np.asarray(addressing.shift(w_g, s_question))[0]
print("w^g                 :", w_g[0])
print("s = (0.1, 0, 0.9)   :", shifted.round(2))

# %% slideshow={"slide_type": "skip"}
checks.question_shift_peak(int(np.argmax(shifted)), start=start)

# %%
s_forward = np.array([[0.0, 0.0, 1.0]], "float32")   # all probability on offset +1
s_blurred = np.array([[0.1, 0.2, 0.7]], "float32")   # mostly +1, a bit of 0 and -1
last = focused_weighting(8, focus=7, blur=0.0)[None]
print("shift +1            :", np.asarray(addressing.shift(w_g, s_forward))[0])
print("blurred shift       :", np.asarray(addressing.shift(w_g, s_blurred))[0].round(2))
print("+1 from slot 7      :", np.asarray(addressing.shift(last, s_forward))[0], "(wraps to slot 0)")

# %% [markdown]
# **What you should see.** A one-hot $\mathbf{s}$ moves the focus exactly
# one slot, from the last slot back to slot 0; a blurred $\mathbf{s}$
# leaves part of the weight behind and spreads it over three slots. If the
# weight moved to slot 2 instead of 4, the offsets were read backwards.

# %% slideshow={"slide_type": "skip"}
ShiftExplorer(memory_size=8)


# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 3.6 — Circular shift
#
# Implement eq. 8: `w` `(B, N)`, `s` `(B, 2R+1)` holding the weights of
# the offsets $-R, \dots, 0, \dots, +R$ in that order (so `s[:, R + o]` is
# the weight of offset $o$). Return a new `(B, N)` array. Make it work for
# any odd width, not only 3. Mind the direction: offset $+1$ must move
# slot $i$ to slot $i + 1$.
#
# *Hint:* `np.roll(w, o, axis=1)[:, i]` is `w[:, i - o]` (modulo $N$): the
# term $s(o)\,w(i - o)$ of the sum above, for every slot $i$ at once.

# %% tags=["exercise"] slideshow={"slide_type": "skip"}
def my_shift(w, s):
    """Eq. 8: circular convolution of w (B, N) with the offsets s (B, 2R+1). Returns (B, N)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"] slideshow={"slide_type": "skip"}
checks.check_shift(my_shift)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Sharpening *(core)*
#
# **Why?** Every blurred shift spreads the weighting a little more. Over
# many steps the focus would dissolve. Here a head starts sharply on slot
# 0 and shifts by a slightly blurred $+1$ at every step, first without
# sharpening ($\gamma = 1$), then with $\gamma = 3$:

# %%
s = shift_distribution(shift=1, blur=0.3)[None]
print("s =", s[0].round(2))
walks = {}
for gamma in (1.0, 3.0):
    w = focused_weighting(16, focus=0, blur=0.0)[None]
    steps = []
    for t in range(14):
        w = addressing.sharpen(addressing.shift(w, s), scalar(gamma))
        steps.append(np.asarray(w)[0])
    walks[gamma] = np.stack(steps, axis=1)   # (slots, time)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained", sharey=True)
for ax, (gamma, image) in zip(axes, walks.items()):
    image_over_time(ax, image)
    ax.set(title=rf"shift +1 (blurred) at every step, $\gamma$ = {gamma:g}", xlabel="step", ylabel="slot")
plt.show()

# %% [markdown]
# **What you should see.** With $\gamma = 1$ (left) the dark diagonal fades
# into a grey smear several slots wide; with $\gamma = 3$ (right) it stays
# one slot wide as it moves. Sharpening raises every weight to the power
# $\gamma_t \ge 1$ and renormalises (eq. 9), so large weights grow relative
# to small ones:
#
# $$w_t(i) \longleftarrow \frac{\tilde{w}_t(i)^{\gamma_t}}{\sum_j \tilde{w}_t(j)^{\gamma_t}}$$

# %%
w_tilde = np.array([[0.1, 0.2, 0.4, 0.2, 0.1]], "float32")
for gamma in (1.0, 2.0, 5.0):
    print(f"gamma = {gamma}:", np.asarray(addressing.sharpen(w_tilde, scalar(gamma)))[0].round(3))

# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 3.7 — Why γ ≥ 1?
#
# The controller computes $\gamma = 1 + \mathrm{softplus}(z)$, so $\gamma$
# never drops below 1. What would $\gamma = 0.5$ do to the weighting
# $(0.8, 0.2)$? Pick one of the choices printed below.

# %% slideshow={"slide_type": "skip"}
show_choices("Exercise 3.7")
my_answer = ...  # YOUR ANSWER: "a", "b", "c" or "d"
check_question("Exercise 3.7", my_answer)

# %% slideshow={"slide_type": "skip"}
print("gamma = 0.5 on (0.8, 0.2):", np.asarray(addressing.sharpen(np.array([[0.8, 0.2]], "float32"), scalar(0.5)))[0].round(3))

# %% slideshow={"slide_type": "skip"}
SharpenExplorer(memory_size=8)


# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 3.8 — Sharpening
#
# Implement eq. 9: `w` `(B, N)`, `gamma` `(B, 1)`; return a new `(B, N)`
# array. The check tries two float32 traps. **Exact zeros** (a shifted
# one-hot is full of them): $0^\gamma = 0$ must stay 0, but a detour
# through logarithms meets $\log 0 = -\infty$. **A large γ on a nearly flat
# weighting**: $(1/16)^{50} \approx 6 \cdot 10^{-61}$ rounds to 0 in float32
# in every slot, and $0/0$ is NaN. The ratio
# $w(i)^\gamma / \sum_j w(j)^\gamma$ does not change if you first divide
# every $w(j)$ by the largest one; then the largest power is 1.

# %% tags=["exercise"] slideshow={"slide_type": "skip"}
def my_sharpen(w, gamma):
    """Eq. 9: w ** gamma, renormalised over the slots. Returns (B, N)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"] slideshow={"slide_type": "skip"}
checks.check_sharpen(my_sharpen)

# %% [markdown] slideshow={"slide_type": "skip"}
# ## 5. Keeping every parameter in range *(going deeper)*
#
# The controller is a neural network: its outputs are arbitrary real
# numbers. The equations above only make sense for parameters in certain
# ranges, so each raw output passes through an **activation** that maps
# the real line onto the right range, whatever the weights (the table
# below).

# %% [markdown] slideshow={"slide_type": "skip"}
# | parameter | needs | activation | what would go wrong without it |
# |---|---|---|---|
# | key strength $\beta$ | $\ge 0$ | softplus $\log(1 + e^z)$ | $\beta < 0$ would prefer the *least* similar slot |
# | gate $g$ | $[0, 1]$ | sigmoid | $g = 1.5$ gives $1.5\,w^c - 0.5\,w_{t-1}$: negative weights |
# | shift $\mathbf{s}$ | a distribution | softmax | weights that do not sum to 1 would shrink or grow the weighting |
# | sharpening $\gamma$ | $\ge 1$ | $1 + {}$softplus | $\gamma < 1$ *blurs* (Exercise 3.7) |
# | erase $\mathbf{e}$ | $[0, 1]$ | sigmoid | $e > 1$ flips the sign of memory contents |
# | add $\mathbf{a}$ | any sign, bounded | tanh | unbounded adds let memory values grow without limit |
# | key $\mathbf{k}$ | any | linear (or tanh) | the cosine ignores the key's length anyway |

# %% slideshow={"slide_type": "skip"}
raw = np.array([-10.0, -2.0, 0.0, 2.0, 10.0], "float32")
print("raw controller output  :", raw)
print("beta  = softplus       :", np.asarray(ops.softplus(raw)).round(3))
print("g, e  = sigmoid        :", np.asarray(ops.sigmoid(raw)).round(3))
print("gamma = 1 + softplus   :", (1 + np.asarray(ops.softplus(raw))).round(3))
print("a     = tanh           :", np.asarray(ops.tanh(raw)).round(3))
print("s     = softmax of (-2, 0, 2):", np.asarray(ops.softmax(raw[None, 1:4]))[0].round(3))

# %% [markdown] slideshow={"slide_type": "skip"}
# **What you should see.** Whatever the raw number, each column lands in
# its range: β and γ − 1 never negative, g and e between 0 and 1, a
# between −1 and 1, s summing to 1.
#
# ### Where NaNs come from
#
# NTMs have a reputation for training runs that suddenly turn into NaN.
# Besides large learning rates, the usual culprits hide in the
# **gradient**, where you do not see them, even when the forward pass is
# finite:
#
# 1. **The square root in the norm** (eq. 6):
#    $\frac{d}{dx}\sqrt{x} = \frac{1}{2\sqrt{x}}$ is infinite at a zero row.
# 2. **Sharpening a weighting that contains exact zeros** (eq. 9):
#    $\frac{\partial}{\partial\gamma} w^\gamma = w^\gamma \ln w$, and at
#    $w = 0$ that is $0 \cdot (-\infty)$ = NaN.

# %% slideshow={"slide_type": "skip"}
with np.errstate(divide="ignore", invalid="ignore"):
    print("d sqrt(x)/dx at x = 0       :", 1 / (2 * np.sqrt(0.0)))
    print("d (w ** gamma)/d gamma at w=0:", 0.0**2.0 * np.log(0.0))

# %% [markdown] slideshow={"slide_type": "skip"}
# `ntm_core.addressing` avoids both: norms are $\sqrt{x + \epsilon}$, and
# sharpening is computed as $\mathrm{softmax}(\gamma \log(w + \epsilon))$,
# which equals eq. 9 up to $\epsilon$ but has finite gradients everywhere
# (and cannot underflow when $\gamma$ is large). A weighting with exact
# zeros sharpens to tiny positive numbers instead:

# %% slideshow={"slide_type": "skip"}
w_zeros = np.array([[0.0, 0.5, 0.5, 0.0]], "float32")
print(np.asarray(addressing.sharpen(w_zeros, scalar(3.0)))[0])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. The whole pipeline *(core)*
#
# `addressing.address_stages` runs the four stages of Figure 2 in order and
# returns each intermediate weighting. On a memory of 16 slots: a key close
# to slot 9, a strong $\beta$, the gate fully on content, a slightly blurred
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
# **What you should see.** Content finds slot 9 (blue), the gate keeps it
# (orange), the shift moves it to slot 10 and blurs it (green), sharpening
# focuses it again (red). If the red bars are as spread as the green ones,
# γ is 1. In the explorer, change one parameter at a time: what does
# $g = 0$ do? A shift of $-1$? $\gamma = 1$?

# %% slideshow={"slide_type": "skip"}
AddressingPipelineExplorer(memory_size=16, memory_width=6, seed=SEED)


# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 3.9 — The whole pipeline
#
# Chain your four functions: content weights, interpolation with the
# previous weighting, shift, sharpening. Arguments: `memory` `(B, N, M)`,
# `w_prev` `(B, N)`, `key` `(B, M)`, `beta`, `g`, `gamma` `(B, 1)`, `s` `(B, 2R+1)`.

# %% tags=["exercise"] slideshow={"slide_type": "skip"}
def my_address(memory, w_prev, key, beta, g, s, gamma):
    """Eq. 5-9: content -> interpolate -> shift -> sharpen. Returns (B, N)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"] slideshow={"slide_type": "skip"}
checks.check_address(my_address)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Program the NTM by hand *(core)*
#
# A trained NTM's controller emits the head parameters at every step. Here
# **you** are the controller: no network, no training, just the numbers.
# The task is the copy task in miniature: vectors arrive one per step and
# the write head must store each in the slot after the previous one; then,
# with no more input, the read head must read them back in the same order.
# The memory starts full of what an earlier sequence left behind, and both
# heads start on one slot:

# %%
print(f"{hand.LENGTH} vectors of width {hand.WIDTH}, a memory of {hand.N_SLOTS} slots; "
      f"both heads start on slot {hand.START_SLOT}.")
print(f"steps 0-{hand.LENGTH - 1}: vector t arrives and must go to slot t; "
      f"steps {hand.LENGTH}-{2 * hand.LENGTH - 1}: the read head must read slot t - {hand.LENGTH}.")
print("the sequence:\n", hand.copy_sequence(SEED))

# %% [markdown] slideshow={"slide_type": "subslide"}
# A program is a function `program(t, x)` of the step `t` and the input
# vector `x` (zeros once the inputs are over). It returns the parameters of
# both heads, in the ranges the activations of section 5 guarantee:
#
# ```python
# {"write": dict(k=..., beta=..., g=..., s=..., gamma=..., e=..., a=...),
#  "read":  dict(k=..., beta=..., g=..., s=..., gamma=...)}
# ```
#
# `hand.run_program` calls it at every step and runs the package's own
# `ntm_core.addressing` and `ntm_core.memory` functions in the order of the
# NTM layer: the write head addresses last step's memory and writes (erase,
# then add); then the read head addresses the new memory and reads it.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Here is a program that does nothing: both heads stay where they start
# ($g = 0$, all of $\mathbf{s}$ on offset 0), and the write erases and adds
# nothing. The picture shows, left to right: the inputs, where each head
# looked at every step (one column per step), what the read head read, and
# the memory after the last step.

# %%
def idle(t, x):
    nothing = np.zeros(hand.WIDTH)
    head = dict(k=nothing, beta=0.0, g=0.0, s=[0.0, 1.0, 0.0], gamma=1.0)
    return {"write": dict(head, e=nothing, a=nothing), "read": head}


hand.plot_program(idle, seed=SEED)

# %% [markdown]
# **What you should see.** Both weightings are one horizontal line on the
# start slot: no head moved. The reads repeat that slot's old contents at
# every step, and the memory still holds what the earlier sequence left
# (the dashed line marks the end of the inputs). Your program must turn
# both lines into staircases.

# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 3.10 — Program the NTM by hand
#
# Fill in `my_program` so that the check passes. Think about one phase at a
# time. Where must the write head be at step 0, and which shift takes it
# from slot $t$ to slot $t + 1$? What do $\mathbf{e}$ and $\mathbf{a}$ do to
# a slot full of old numbers (notebook 02)? Where is the read head when the
# inputs end, and what must the write head do while the read head reads?
# With $g = 0$ the key and β are ignored, but give them anyway (any values
# in range). The check runs your program on the sequence above and on a
# second one and names the first step and head where it goes wrong.

# %% tags=["exercise"] slideshow={"slide_type": "skip"}
def my_program(t, x):
    """The head parameters at step t; x is the input vector (zeros after the inputs)."""
    # YOUR CODE: return {"write": dict(k=..., beta=..., g=..., s=..., gamma=..., e=..., a=...),
    #                    "read": dict(k=..., beta=..., g=..., s=..., gamma=...)}
    # k, e and a hold one number per memory column; s = (s(-1), s(0), s(+1)).
    raise NotImplementedError


# %% tags=["check"] slideshow={"slide_type": "skip"}
checks.check_program(my_program)

# %% slideshow={"slide_type": "skip"}
hand.plot_program(my_program, seed=SEED)

# %% [markdown] slideshow={"slide_type": "skip"}
# **What you should see** once the check passes: the write weighting is a
# staircase down one slot per step while the inputs arrive, the read
# weighting the same staircase after the dashed line, the reads panel
# repeats the inputs panel shifted by the sequence length, and the first
# slots of the memory hold the bits. Where a staircase stalls or jumps, the
# check above names the step.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The bridge to notebook 06.** The paper describes the program its
# trained copy NTM uses in these words (section 4.1): move the head to the
# start location; while inputs arrive, write each to the head's location
# and increment the location by one; return to the start location; read,
# emit and increment. That is the program you just wrote with
# $g = 0$, one-hot shifts and erase-then-add. Training finds it from
# examples alone; notebook 06 reads it back from a trained model's
# weightings (the paper's Figure 6). Reference solutions to every exercise
# are in `solutions/solutions_02_04.py`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * **Content addressing** (eq. 5-6) weighs each slot by the softmax of β
#   times its cosine similarity to a key: β = 0 is uniform, a large β picks
#   the best match.
# * **The gate** $g$ (eq. 7) chooses between that and the previous step's
#   weighting; $g = 0$ lets a head keep its place.
# * **The shift** (eq. 8) moves the weight by $-1, 0, +1$ slots with the
#   probabilities $\mathbf{s}$, circularly; **sharpening** (eq. 9) with
#   $\gamma \ge 1$ undoes its blur.
# * Max subtraction in the softmax, an ε for zero vectors and sharpening
#   that cannot underflow keep every stage finite.
# * Hand-written parameters ($g = 0$, one-hot shifts, erase then add) copy
#   a sequence: the program a trained NTM finds.
#
# **Next, 04 · Building the layer:** where the controller's output becomes
# these parameters, and the finished Keras layer.
