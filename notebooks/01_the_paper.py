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
# # 01 · Neural Turing Machines: the paper
#
# <!-- course-links -->
# <!-- /course-links -->
#
# *Graves, Wayne & Danihelka (2014), "Neural Turing Machines", [arXiv:1410.5401](https://arxiv.org/abs/1410.5401)*
#
# A Neural Turing Machine (NTM) is a recurrent neural network with a
# **memory it can read and write**, like a computer's RAM, where every
# read and write is a smooth, differentiable operation, so the whole
# machine learns from examples by gradient descent.
#
# This first notebook is the map. You will
#
# 1. watch a trained NTM copy a sequence **longer** than any it was trained on,
# 2. see why a network may want an external memory at all,
# 3. meet the parts: controller, read and write heads, memory,
# 4. understand the key idea, *blurry* reads and writes,
# 5. get to know the five tasks of the paper.
#
# You should know what an LSTM is. Nothing here trains a network; the
# notebook runs in well under a minute.

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
HOOK_LENGTH = 50
QUICK = False

# %%
import os

QUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")

# %% [markdown]
# `HOOK_LENGTH` is the length of the test sequence below, `SEED` picks
# its random bits. `QUICK` (or the environment variable `NTM_QUICK=1`)
# uses fewer sequences in the one place where several are run.

# %%
import matplotlib.pyplot as plt
import numpy as np

import ntm_core
from ntm_core import memory, metrics, tasks
from ntm_core.evaluation import format_table
from ntm_core.teaching.demo_data import focused_weighting
from ntm_core.viz.architecture import plot_architecture
from ntm_core.viz.attention import plot_attention_over_time
from ntm_core.viz.curves import plot_generalisation
from ntm_core.viz.sequences import plot_copy_example
from ntm_core.viz.weightings import plot_memory, plot_weighting

NUM_SEQUENCES = 4 if QUICK else 32

# %% [markdown]
# ## 1 · A teaser: copying a sequence it has never seen
#
# The **copy task** is the first experiment of the paper. The network
# sees $L$ random 8-bit vectors, then a delimiter bit; after that it
# gets no more input and must output the same $L$ vectors, in order.
#
# The network below was trained on sequences of length 1 to 20 only.
# We give it a much longer one than it has ever seen (`HOOK_LENGTH`, 50).

# %%
model, info = ntm_core.load_pretrained("copy_ntm")

config = info.get("config", {})
print("controller:", config.get("controller"), "| trained on lengths",
      config.get("min_length"), "to", config.get("max_length"))
print("training:", info.get("sequences_seen"), "sequences,",
      round(info.get("wall_time_s", 0) / 60), "minutes on a", info.get("machine", {}).get("cpu_count"), "core CPU")

# %%
batch = tasks.copy_batch(1, HOOK_LENGTH, rng=SEED)  # one new sequence of HOOK_LENGTH random vectors
prediction = np.asarray(model.predict_on_batch(batch.x))

errors = metrics.bit_errors_per_sequence(batch.y, prediction, batch.mask)
wrong_per_vector = ((prediction > 0.5) != (batch.y > 0.5)).sum(axis=-1)[0][batch.mask[0] > 0]
print(f"length {HOOK_LENGTH}: {errors:.0f} wrong bits out of {HOOK_LENGTH * 8}; "
      f"{(wrong_per_vector == 0).sum()} of {HOOK_LENGTH} vectors copied perfectly")
print(f"(guessing would get about {HOOK_LENGTH * 4} bits wrong)")

# %% [markdown]
# Input on top, then the target, then what the network wrote. Time runs
# to the right; each column is one time step, each row one bit (black =
# 1). The shaded first half of the target and output is not scored:
# while the input arrives, nothing is expected.

# %%
plot_copy_example(batch.x, batch.y, prediction, batch.mask)

# %% [markdown]
# How does it do it, with no more input after the delimiter? The trained
# NTM runs something like a small program:
#
# > write each input vector to the next memory slot;
# > at the delimiter, go back to the first slot;
# > read the slots one after another, in the same order.
#
# Such a program does not care how long the sequence is, as long as the
# memory has room (here 128 slots). We can watch it run: `ntm_core.trace`
# records everything the NTM does at every step.

# %%
run = ntm_core.trace(model, batch.x)
plot_attention_over_time(run)  # all 128 slots; the heads use a band of them

# %% [markdown]
# The bottom row shows where the heads look: one column per time step,
# one row per memory slot, black = all attention on that slot. The
# **write head** (left) starts at slot 0 and moves one slot per step
# while the input arrives: 0, 1, 2, ... (Other seeds learn to move
# *backwards*, 0, 127, 126, ...: the shift wraps around the ends of the
# memory, so that works just as well.) The
# **read head** (right) waits at slot 0 during the input; after the
# delimiter it walks the same slots in the same order, one per step: that
# is the copy. (The write head keeps moving during the recall, into slots
# that are never read.) The middle row
# shows what is written ($a_t$) and what is read ($r_t$). This is the
# paper's Figure 6; notebooks 05 onward come back to it in detail.
#
# Where the output has wrong bits, look at the read weighting at the same
# time steps: a wrong bit in the output usually means the read head
# blurred or slipped a slot.
#
# ### How far does it generalise?
#
# One sequence may be lucky, or unlucky. A few more of the same length:

# %%
more = tasks.copy_batch(NUM_SEQUENCES, HOOK_LENGTH, rng=SEED + 1)
per_sequence = metrics.bit_errors_per_sequence(
    more.y, np.asarray(model.predict_on_batch(more.x)), more.mask, reduce=False)
print(f"{NUM_SEQUENCES} sequences of length {HOOK_LENGTH}: bit errors", per_sequence.astype(int))
print(f"mean {per_sequence.mean():.1f} wrong bits of {HOOK_LENGTH * 8}; {(per_sequence == 0).mean():.0%} perfect")

# %% [markdown]
# The checkpoint also stores its evaluation on 200 fresh sequences per
# length, up to lengths far beyond 20 (the dashed line):

# %%
rows = info["evaluation"]["rows"]
print(format_table(rows))
plot_generalisation({"NTM": rows}, train_max_length=config.get("max_length", 20))

# %% [markdown]
# Two things to notice:
#
# * **Far beyond length 20 it still works.** A network that had only
#   memorised its training lengths would be near chance there, half the
#   bits wrong. The Keras NTM project this one descends from measured
#   exactly that for its 3-layer LSTM: 50 % bit accuracy at lengths 40
#   and 80; the paper's Figure 4 shows the same for its LSTMs, and
#   notebook 07 shows it for ours. The NTM learned a *procedure* (move
#   one slot, write; go back; move one slot, read) that does not depend
#   on the length, so it carries over, up to the 128 slots of memory.
# * **It is not quite perfect.** About 1 sequence in 100 has a wrong
#   vector or two, at any length: the read head occasionally blurs over
#   two slots. The paper's NTM, trained for far longer, has the same kind
#   of rare error at length 120. Not every training run finds this
#   procedure either: notebook 07 shows a seed sweep, how often it does.
#
# The rest of this notebook explains the ideas behind the figures above;
# notebooks 02-04 build them one equation at a time.

# %% [markdown]
# ## 2 · Why an external memory?
#
# An LSTM keeps everything it remembers in its hidden state $h_t$ and
# cell state $c_t$: a vector of, say, 256 numbers that is rewritten at
# every step by the same weight matrices. That has three consequences:
#
# * **Capacity is tied to the size of the network.** Remembering twice as
#   much needs a state twice as large, which needs four times as many
#   recurrent weights.
# * **Storage and computation are entangled.** The same numbers hold the
#   data *and* the progress of the computation, so an LSTM has no clean way
#   to "store vector 37 and come back to it later".
# * **What it learns is tied to the lengths it saw.** Nothing in an LSTM
#   says "repeat the same step for every item", so it often learns
#   something that works up to length 20 and not beyond.
#
# Computers solve this by separating a **processor** from a **memory**
# that it addresses. Psychology talks of **working memory**: a small store
# of facts that is manipulated by rules. The NTM borrows both ideas: a
# neural network (the *controller*) plays the processor, and a matrix of
# $N$ slots of $M$ numbers plays the memory. The memory can be made larger
# without adding a single weight, and "put this here, fetch that later"
# becomes easy to express.
#
# The catch: a computer addresses memory with integers ("slot 37"), and
# an integer choice has no gradient. The NTM makes addressing
# *differentiable*; section 4 shows how.

# %% [markdown]
# ## 3 · The architecture
#
# The paper's Figure 1, redrawn:

# %%
plot_architecture()

# %% [markdown]
# At every time step $t$:
#
# 1. The **controller** (an LSTM or a plain feed-forward layer) receives
#    the external input $x_t$ *and* what the read heads read at the
#    previous step, $r_{t-1}$.
# 2. From its output it computes the parameters of every **head**: where
#    to look ($k, \beta, g, s, \gamma$, notebook 03) and, for write heads,
#    what to erase and add ($e, a$, notebook 02).
# 3. The **write heads** change the **memory matrix** $M_t$ ($N$ rows or
#    *slots*, each $M$ numbers wide).
# 4. The **read heads** read a vector $r_t$ from the memory.
# 5. The controller's output and the reads give the external output $y_t$.
#
# The controller never sees the whole memory, only what its heads read.
# That is what makes the memory *external*: its size is independent of
# the controller, and the same trained controller can be given a larger
# memory.
#
# The pretrained model above is exactly this, with the paper's sizes:

# %%
cell = model.get_layer("ntm").cell
print("memory:", cell.memory_size, "slots x", cell.memory_width, "numbers")
print("heads:", cell.read_heads, "read,", cell.write_heads, "write | shifts:", cell.shift_range)
print("controller:", cell.controller_kind, "with", cell.controller_units, "units")

# %% [markdown]
# ## 4 · Blurry reads and writes
#
# Here is the central trick. A head does not choose *one* slot; it puts
# a **weighting** $w_t$ over all $N$ slots: non-negative numbers that sum
# to 1, like a softmax. A read returns the weighted sum of all rows,
#
# $$\mathbf{r}_t = \sum_i w_t(i)\,\mathbf{M}_t(i) \qquad \text{(eq. 2)}$$
#
# If all the weight is on slot 3, that is an ordinary read of slot 3.
# If the weight is spread out, the read is a blend of neighbouring slots,
# a *blurry* read. Let us try both on a small memory of 8 slots.

# %%
rng = np.random.default_rng(SEED)
M = np.round(rng.uniform(-1, 1, (8, 6)), 1)   # 8 slots of 6 numbers

sharp = focused_weighting(8, focus=3, blur=0.0)    # all weight on slot 3
blurry = focused_weighting(8, focus=3, blur=1.0)   # spread around slot 3

fig, axes = plt.subplots(1, 3, figsize=(12, 2.8), layout="constrained")
plot_memory(M, ax=axes[0], title="memory: 8 slots x 6 numbers")
plot_weighting(sharp, ax=axes[1], title="a sharp weighting")
plot_weighting(blurry, ax=axes[2], title="a blurry weighting")
plt.show()

# %%
print("slot 3 of the memory:", M[3])
print("sharp read          :", np.asarray(memory.read(M[None], sharp[None]))[0].round(2))
print("blurry read         :", np.asarray(memory.read(M[None], blurry[None]))[0].round(2))

# %% [markdown]
# Why bother with blur? Because the read is a **smooth function of the
# weighting**: nudge $w_t(i)$ a little and $\mathbf{r}_t$ moves a little,
# by $\mathbf{M}_t(i)$ times the nudge. So the gradient of the loss tells the
# controller *in which direction to move its attention*. With an integer
# address there would be no such signal. Writes are blurry in the same
# way: every slot is changed in proportion to its weight (eq. 3-4,
# notebook 02).
#
# Training usually makes the weightings nearly sharp anyway (look at the
# crisp diagonals above), but it gets there through blurry ones.
#
# **How does a head choose its weighting?** Two ways, combined in four
# stages (the paper's Figure 2, notebook 03):
#
# | stage | what it does | parameter |
# |---|---|---|
# | content addressing (eq. 5-6) | look for slots whose content resembles a key | key $\mathbf{k}_t$, strength $\beta_t$ |
# | interpolation (eq. 7) | choose between that and last step's weighting | gate $g_t$ |
# | convolutional shift (eq. 8) | move the focus by $-1$, $0$ or $+1$ slots | shift weighting $\mathbf{s}_t$ |
# | sharpening (eq. 9) | undo the blur that shifting adds | $\gamma_t \ge 1$ |
#
# Content addressing is how the NTM finds "the slot holding this";
# the shift is how it walks "to the next slot", as in the copy task.

# %% [markdown]
# ## 5 · The five tasks of the paper
#
# Each task is a small algorithm that a network must learn from
# input/output examples alone (section 4 of the paper). All inputs and
# targets are bit vectors; the score is the cross-entropy in **bits per
# sequence** (0 is perfect).
#
# | task (section) | input | target | what it takes | training range | the paper's result |
# |---|---|---|---|---|---|
# | **copy** (4.1) | $L$ random 8-bit vectors, then a delimiter | the same $L$ vectors | store and recall a sequence | $L$ = 1-20 | NTM near-perfect to about $L$ = 50; LSTM fails beyond 20 |
# | **repeat copy** (4.2) | a sequence and a number of repeats | the sequence that many times, then an end marker | a loop with a counter | $L$ = 1-10, 1-10 repeats | NTM generalises to longer sequences and more repeats (miscounts beyond about 11) |
# | **associative recall** (4.3) | items of three 6-bit vectors, then one of them as a query | the item that followed the query | find by content, then step to the next | 2-6 items | NTM near 0 bits in about 30,000 episodes; LSTM not after a million |
# | **dynamic n-grams** (4.4) | 200 bits from a random 6-gram distribution | the next bit, at every step | count what followed each context | 200 bits | NTM about 133 bits per sequence against 136 for the LSTM (optimal about 131) |
# | **priority sort** (4.5) | 20 vectors, each with a priority in $[-1, 1]$ | the 16 of highest priority, sorted | write each vector where its priority says | 20 in, 16 out | NTM about 10-20 bits against about 50 for the LSTM |
#
# `ntm_core.tasks` generates all five; their sizes:

# %%
for name in tasks.list_tasks():
    task = tasks.get_task(name)
    print(f"{name:>20}: input width {task.input_size:2d}, output width {task.output_size:2d}, "
          f"training lengths {task.train_lengths}")

# %% [markdown]
# ## What's next
#
# * **02 · Reading and writing**: equations 2-4 on a memory you can see whole.
# * **03 · Addressing**: equations 5-9, one mechanism at a time, with widgets.
# * **04 · Building the layer**: the controller, one step of the cell by hand,
#   and the finished Keras layer on TensorFlow, JAX and PyTorch.
# * **05 onward**: training NTMs on the paper's tasks, comparing them with
#   LSTMs, and looking inside what they learned.
#
# **Try it:** change `HOOK_LENGTH` in the parameters cell to 20, 40 or 60
# (and `SEED` for other sequences) and run the notebook again. Where do
# the first wrong bits appear, and what does the read head do at those
# time steps?
