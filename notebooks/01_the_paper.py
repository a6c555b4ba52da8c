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
# machine learns from examples by gradient descent. This first notebook
# is the map; nothing here trains a network.

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

# %% [markdown] slideshow={"slide_type": "subslide"}
# **After this notebook you can**
# - say what the controller, the heads and the memory of an NTM each do, and what the controller sees of the memory;
# - compute a read with a sharp and with a blurry weighting, and say why blur gives the controller a gradient;
# - name the four addressing stages and what each one is for;
# - describe the paper's five tasks and what each one asks of a network;
# - explain why a trained NTM can copy sequences longer than any it was trained on.
#
# *Time: 20 minutes core, 10 more for going deeper.* Needs: knowing what an LSTM is.

# %% tags=["parameters"] slideshow={"slide_type": "skip"}
SEED = 0
HOOK_LENGTH = 50
QUICK = False

# %% slideshow={"slide_type": "skip"}
import os

QUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")

# %% [markdown] slideshow={"slide_type": "skip"}
# `HOOK_LENGTH` is the length of the test sequence below, `SEED` picks
# its random bits. `QUICK` (or the environment variable `NTM_QUICK=1`)
# uses fewer sequences in the one place where several are run.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

import ntm_core
from ntm_core import memory, metrics, tasks
from ntm_core.evaluation import format_table
from ntm_core.teaching.demo_data import focused_weighting
from ntm_core.teaching.questions import check_prediction, check_question, predict, show_choices
from ntm_core.viz.architecture import plot_architecture
from ntm_core.viz.attention import plot_attention_over_time
from ntm_core.viz.curves import plot_generalisation
from ntm_core.viz.sequences import plot_copy_example
from ntm_core.viz.weightings import plot_memory, plot_weighting

NUM_SEQUENCES = 4 if QUICK else 32

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. A teaser: copying a sequence it has never seen *(core)*
#
# The **copy task** is the first experiment of the paper (section 4.1).
# The network sees $L$ random 8-bit vectors, then a delimiter bit; after
# that it gets no more input and must output the same $L$ vectors, in
# order.
#
# The network below was trained on short sequences only (the cell prints
# their lengths). We give it a longer one than it has ever seen, of
# length `HOOK_LENGTH`.

# %% slideshow={"slide_type": "skip"}
model, info = ntm_core.load_pretrained("copy_ntm")
config = info.get("config", {})
memory_size = model.get_layer("ntm").cell.memory_size
print(f"trained on lengths {config.get('min_length')} to {config.get('max_length')}; "
      f"this test: one sequence of length {HOOK_LENGTH}")

# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 1.1 — predict, then run
#
# Before running the next cells: what share of the output bits will be
# wrong on this longer sequence? Pick one:
#
# 1. almost none (under 5 %);
# 2. some (between 5 % and 35 %);
# 3. about half, as if the network were guessing.

# %% slideshow={"slide_type": "skip"}
my_prediction = ...  # YOUR ANSWER: 1, 2 or 3
predict("Exercise 1.1", my_prediction)

# %% slideshow={"slide_type": "skip"}
batch = tasks.copy_batch(1, HOOK_LENGTH, rng=SEED)  # one new sequence of HOOK_LENGTH random vectors
prediction = np.asarray(model.predict_on_batch(batch.x))

errors = metrics.bit_errors_per_sequence(batch.y, prediction, batch.mask)
wrong_per_vector = ((prediction > 0.5) != (batch.y > 0.5)).sum(axis=-1)[0][batch.mask[0] > 0]
print(f"length {HOOK_LENGTH}: {errors:.0f} wrong bits out of {HOOK_LENGTH * 8}; "
      f"{(wrong_per_vector == 0).sum()} of {HOOK_LENGTH} vectors copied perfectly")
print(f"(guessing would get about {HOOK_LENGTH * 4} bits wrong)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Input on top, then the target, then what the network wrote. Time runs
# to the right; each column is one time step, each row one bit (black =
# 1). The shaded first half of the target and output is not scored:
# while the input arrives, nothing is expected.

# %%
plot_copy_example(batch.x, batch.y, prediction, batch.mask)

# %% [markdown] slideshow={"slide_type": "fragment"}
# **What you should see.** The output's scored half looks like the
# target's, column for column, though the sequence is longer than any in
# training. If you see grey or wrong columns, look at the same time
# steps in the attention picture below.

# %% slideshow={"slide_type": "skip"}
wrong_share = errors / (HOOK_LENGTH * 8)
outcome = 1 if wrong_share < 0.05 else (2 if wrong_share < 0.35 else 3)
if HOOK_LENGTH <= memory_size:
    hints = [(3, "that is what a network that memorised its training lengths does (the paper's LSTM, "
                 "Figure 5). An NTM can learn a procedure that does not depend on the length."),
             (2, "you expected the error to grow slowly with the length. A learned procedure either "
                 "runs or breaks; here it ran.")]
else:
    hints = [(1, f"the memory has {memory_size} slots: a longer sequence overwrites its own beginning "
                 "before the recall starts.")]
check_prediction("Exercise 1.1", outcome, mistakes=hints,
                 explanation="The heads' program below explains why the length does not matter.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# How does it do it, with no more input after the delimiter? The trained
# NTM runs something like a small program:
#
# > write each input vector to the next memory slot;
# > at the delimiter, go back to the first slot;
# > read the slots one after another, in the same order.
#
# Such a program does not care how long the sequence is, as long as the
# memory has room. `ntm_core.trace` records what the NTM does at every
# step, so we can watch it run.

# %%
run = ntm_core.trace(model, batch.x)
plot_attention_over_time(run)

# %% [markdown] slideshow={"slide_type": "fragment"}
# **What you should see.** In the bottom row (time to the right, memory
# slots down) each head is a thin line: the **write head** (left) moves
# one slot per step while the input arrives; the **read head** (right)
# waits, then after the delimiter walks the same slots in the same order.
# The middle row shows what is written ($a_t$) and read ($r_t$). This is
# the paper's Figure 6. A line that goes *up* instead of down is just as
# good: the shift wraps around the ends of the memory.

# %% [markdown] slideshow={"slide_type": "skip"}
# Where the output has wrong bits, look at the read weighting at the same
# time steps: a wrong bit usually means the read head blurred over two
# slots or slipped one. Notebooks 05 and 06 come back to this picture.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Why an external memory? *(core)*
#
# An LSTM keeps everything it remembers in its hidden state $h_t$ and
# cell state $c_t$: a vector of, say, 256 numbers, rewritten at every
# step by the same weight matrices. That has three consequences:
#
# * **Capacity is tied to the size of the network.** Twice the state
#   needs four times as many recurrent weights.
# * **Storage and computation are entangled.** The same numbers hold the
#   data *and* the progress of the computation: there is no clean way to
#   "store vector 37 and come back to it later".
# * **What it learns is tied to the lengths it saw.** Nothing in an LSTM
#   says "repeat the same step for every item".

# %% [markdown] slideshow={"slide_type": "subslide"}
# Computers solve this by separating a **processor** from a **memory**
# that it addresses. Psychology talks of **working memory**: a small
# store of facts manipulated by rules. The NTM borrows both ideas: a
# neural network (the *controller*) plays the processor, and a matrix of
# $N$ slots of $M$ numbers plays the memory. "Put this here, fetch that
# later" becomes easy to express.
#
# The catch: a computer addresses memory with integers ("slot 37"), and
# an integer choice has no gradient. The NTM makes addressing
# *differentiable*; section 4 shows how.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. The architecture *(core)*
#
# The paper's Figure 1, redrawn:

# %%
plot_architecture()

# %% [markdown] slideshow={"slide_type": "subslide"}
# At every time step $t$ (section 3):
#
# 1. The **controller** (an LSTM or a feed-forward network) receives the
#    external input $x_t$ *and* what the read heads read at the previous
#    step, $r_{t-1}$.
# 2. From its output it computes the parameters of every **head**: where
#    to look ($k, \beta, g, s, \gamma$, notebook 03) and, for write heads,
#    what to erase and add ($e, a$, notebook 02).
# 3. The **write heads** change the **memory matrix** $M_t$ ($N$ rows or
#    *slots*, each $M$ numbers wide).
# 4. The **read heads** read a vector $r_t$ from the memory.
# 5. The controller's output and the reads give the external output $y_t$.
#
# The controller never sees the whole memory, only what its heads read.

# %% [markdown] slideshow={"slide_type": "fragment"}
# **What you should see.** In the figure, the only arrows between the
# controller and the memory go through the heads. That is what makes
# the memory *external*: its size is independent of the controller.

# %% [markdown] slideshow={"slide_type": "skip"}
# The pretrained model of section 1 is exactly this, with the paper's sizes:

# %% slideshow={"slide_type": "skip"}
cell = model.get_layer("ntm").cell
print("memory:", cell.memory_size, "slots x", cell.memory_width, "numbers")
print("heads:", cell.read_heads, "read,", cell.write_heads, "write | shifts:", cell.shift_range)
print("controller:", cell.controller_kind, "with", cell.controller_units, "units")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Blurry reads and writes *(core)*
#
# Here is the central trick. A head does not choose *one* slot; it puts
# a **weighting** $w_t$ over all $N$ slots: non-negative numbers that sum
# to 1, like a softmax. A read returns the weighted sum of all rows
# (section 3.1),
#
# $$\mathbf{r}_t = \sum_i w_t(i)\,\mathbf{M}_t(i) \qquad \text{(eq. 2)}$$
#
# If all the weight is on slot 3, that is an ordinary read of slot 3.
# If the weight is spread out, the read is a blend of neighbouring slots,
# a *blurry* read. Let us try both on a small memory of 8 slots.

# %% slideshow={"slide_type": "subslide"}
rng = np.random.default_rng(SEED)
M = np.round(rng.uniform(-1, 1, (8, 6)), 1)   # 8 slots of 6 numbers

sharp = focused_weighting(8, focus=3, blur=0.0)    # all weight on slot 3
blurry = focused_weighting(8, focus=3, blur=1.0)   # spread around slot 3

fig, axes = plt.subplots(1, 3, figsize=(12, 2.8), layout="constrained")
plot_memory(M, ax=axes[0], title="memory: 8 slots x 6 numbers")
plot_weighting(sharp, ax=axes[1], title="a sharp weighting")
plot_weighting(blurry, ax=axes[2], title="a blurry weighting")
plt.show()

# %% slideshow={"slide_type": "fragment"}
print("slot 3 of the memory:", M[3])
print("sharp read          :", np.asarray(memory.read(M[None], sharp[None]))[0].round(2))
print("blurry read         :", np.asarray(memory.read(M[None], blurry[None]))[0].round(2))

# %% [markdown] slideshow={"slide_type": "fragment"}
# **What you should see.** The sharp read is exactly row 3 of the
# memory. The blurry read mixes row 3 with its neighbours, so it can look
# quite unlike any single row. If the two reads were equal, the
# weighting would not be blurred at all.

# %% [markdown] slideshow={"slide_type": "subslide"}
# Why bother with blur? Because the read is a **smooth function of the
# weighting**: nudge $w_t(i)$ a little and $\mathbf{r}_t$ moves a little,
# by $\mathbf{M}_t(i)$ times the nudge. So the gradient of the loss tells
# the controller *in which direction to move its attention*. With an
# integer address there would be no such signal. Writes are blurry in
# the same way: every slot changes in proportion to its weight (eq. 3-4,
# section 3.2, notebook 02).
#
# Training usually makes the weightings nearly sharp anyway (the thin
# lines of section 1), but it gets there through blurry ones.

# %% [markdown] slideshow={"slide_type": "subslide"}
# **How does a head choose its weighting?** Two ways, content and
# location, combined in four stages (section 3.3, the paper's Figure 2,
# notebook 03):
#
# | stage | what it does | parameter |
# |---|---|---|
# | content addressing (eq. 5-6) | look for slots whose content resembles a key | key $\mathbf{k}_t$, strength $\beta_t$ |
# | interpolation (eq. 7) | choose between that and last step's weighting | gate $g_t$ |
# | convolutional shift (eq. 8) | move the focus by $-1$, $0$ or $+1$ slots | shift weighting $\mathbf{s}_t$ |
# | sharpening (eq. 9) | undo the blur that shifting adds | $\gamma_t \ge 1$ |
#
# Content addressing finds "the slot holding this"; the shift walks "to
# the next slot", as in the copy task.

# %% [markdown] slideshow={"slide_type": "skip"}
# ### ✏️ Exercise 1.2 — which stage walks?
#
# The copy NTM of section 1 writes each vector to the next slot and later
# reads them back in the same order. Which stage of the table above lets
# a head move on to the next slot, whatever that slot holds? Pick one of
# the choices printed below.

# %% slideshow={"slide_type": "skip"}
show_choices("Exercise 1.2")
my_answer = ...  # YOUR ANSWER: "a", "b", "c" or "d"
check_question("Exercise 1.2", my_answer)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The five tasks of the paper *(core)*
#
# Each task is a small algorithm that a network must learn from
# input/output examples alone (section 4). Three store and recall:
#
# | task (section) | input → target | the paper's result |
# |---|---|---|
# | **copy** (4.1) | $L$ random 8-bit vectors, a delimiter → the same vectors | NTM near-perfect to about $L$ = 50 (Figure 4); LSTM fails beyond the training lengths (Figure 5) |
# | **repeat copy** (4.2) | a sequence, a repeat count → the sequence that many times, an end marker | NTM generalises to longer sequences and more repeats, but loses count beyond about 11 repeats (Figure 8) |
# | **associative recall** (4.3) | items of three 6-bit vectors, a query item → the item after it | NTM near 0 bits after about 30,000 episodes; LSTM not after a million (Figure 10) |

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two more count and order:
#
# | task (section) | input → target | the paper's result |
# |---|---|---|
# | **dynamic n-grams** (4.4) | 200 bits from a random 6-gram distribution → the next bit, at every step | NTM a little above the Bayes optimum of about 133 bits per sequence, never quite reaching it; LSTM above the NTM (Figure 13) |
# | **priority sort** (4.5) | 20 vectors with priorities in $[-1, 1]$ → the 16 of highest priority, sorted | NTM well below the LSTM (Figure 18) |
#
# The copy task needs a pointer that moves; associative recall a search
# by content; n-grams a table of counts; priority sort writing each
# vector where its priority says. Inputs and targets are bit vectors;
# the score is the cross-entropy in **bits per sequence** (0 is perfect).

# %% slideshow={"slide_type": "skip"}
for name in tasks.list_tasks():
    task = tasks.get_task(name)
    print(f"{name:>20}: input width {task.input_size:2d}, output width {task.output_size:2d}, "
          f"training lengths {task.train_lengths}")

# %% [markdown] slideshow={"slide_type": "skip"}
# **What you should see.** One line per task, with the input and output
# widths and the training lengths `ntm_core.tasks` uses; notebook 08
# trains on the other four tasks.

# %% [markdown] slideshow={"slide_type": "skip"}
# ## 6. How far does it generalise? *(going deeper)*
#
# One sequence of section 1 may be lucky, or unlucky. A few more of the
# same length:

# %% slideshow={"slide_type": "skip"}
more = tasks.copy_batch(NUM_SEQUENCES, HOOK_LENGTH, rng=SEED + 1)
per_sequence = metrics.bit_errors_per_sequence(
    more.y, np.asarray(model.predict_on_batch(more.x)), more.mask, reduce=False)
print(f"{NUM_SEQUENCES} sequences of length {HOOK_LENGTH}: bit errors", per_sequence.astype(int))
print(f"mean {per_sequence.mean():.1f} wrong bits of {HOOK_LENGTH * 8}; {(per_sequence == 0).mean():.0%} perfect")

# %% [markdown] slideshow={"slide_type": "skip"}
# The checkpoint also stores its own evaluation on fresh sequences of
# several lengths, most of them far beyond training (the dashed line):

# %% slideshow={"slide_type": "skip"}
rows = info["evaluation"]["rows"]
per_length = info["evaluation"]["num_sequences"]
imperfect = sum(round((1 - row["perfect"]) * per_length) for row in rows)
print(format_table(rows))
print(f"{per_length} sequences per length; {imperfect} of {per_length * len(rows)} have any wrong bit")
plot_generalisation({"NTM": rows}, train_max_length=config.get("max_length", 20))

# %% [markdown] slideshow={"slide_type": "skip"}
# **What you should see.** Bit errors near zero at every length, far
# beyond training: a network that had only memorised its training
# lengths would be near half the bits wrong there. If a length shows
# errors, the heads' program slipped on some sequences. The paper's NTM
# is near-perfect up to length 50 and makes a small error at 120
# (Figure 4), while its LSTM fails beyond the training lengths
# (Figure 5); notebook 07 repeats that comparison. How this checkpoint
# was trained is in the [instructor's appendix](../docs/instructor.md).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# * An NTM is a controller network with an external memory of $N$ slots of $M$ numbers, which it reaches only through read and write heads.
# * Heads read and write with a weighting over all slots, so every memory access is differentiable and the whole machine trains by gradient descent.
# * A weighting comes from content addressing (find a slot by what it holds) and location addressing (shift from where the head was).
# * The memory's size appears in none of the controller's weights, so a learned procedure can run on longer sequences than it was trained on.
# * The paper tests this on five tasks: copy, repeat copy, associative recall, dynamic n-grams and priority sort.
#
# **Next, 02 · Reading and writing:** equations 2-4 on a memory small enough to see whole.

# %% [markdown] slideshow={"slide_type": "skip"}
# **Try it:** change `HOOK_LENGTH` in the parameters cell (for instance
# to 100, or to more than the memory's number of slots) and `SEED`, and
# run the notebook again. Where do the first wrong bits appear, and what
# does the read head do at those time steps?
