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
# # 04 · Building the layer
#
# <!-- course-links -->
# <!-- /course-links -->
#
# Notebooks 02 and 03 built the equations one at a time. This notebook puts
# them together into one time step of the NTM, and that step into the Keras
# layer that the later notebooks train.

# %% [markdown]
# **After this notebook you can**
# - trace one time step of the NTM in order, from the input to the output,
#   and name the equation each stage computes;
# - count the raw numbers a controller must emit for a given memory width,
#   shift range and number of heads;
# - cut a head's raw numbers into $\mathbf{k}, \beta, g, \mathbf{s}, \gamma$
#   and give each the activation that keeps it in its range;
# - explain why a read head sees the memory *after* this step's write, and
#   why a larger memory adds no weights to the controller;
# - put the `NTM` layer into a Keras model and run it on a batch.
#
# *Time: 45 minutes core, 25 more for going deeper.* Needs: notebooks 02 and 03.

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
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import keras
import numpy as np
from keras import ops

import ntm_core
from ntm_core import NTM, NTMCell, addressing, memory, models, tasks
from ntm_core.cell import controller_input_output_shape, head_parameter_sizes
from ntm_core.teaching import layer_checks as checks
from ntm_core.teaching.questions import check_prediction, check_question, predict, show_choices
from ntm_core.viz.dataflow import plot_step_dataflow

keras.utils.set_random_seed(SEED)
print("Keras", keras.__version__, "on", keras.backend.backend())

# %% [markdown]
# ## 1. One time step at a glance *(core)*
#
# At every time step $t$ the NTM does the same things in the same order.
# The picture shows that order; each box carries the number of the paper's
# equation it computes (Graves, Wayne & Danihelka 2014, section 3). The rest
# of this notebook walks through the boxes from left to right, with the
# code of the cell that `ntm_core` trains.

# %%
plot_step_dataflow()

# %% [markdown]
# **What you should see.** The inputs on the left ($x_t$ and the reads of
# the last step), the output $y_t$ on the right. Learned weights sit in three
# places only: the controller, the head layer that turns $h_t$ into head
# parameters, and the output layer; addressing, writing and reading are
# fixed arithmetic. Two things carry over to step $t+1$, even with a
# feed-forward controller: the memory $M_t$ and the reads $r_t$ (dashed).

# %% [markdown]
# ## 2. The controller *(core)*
#
# The controller is an ordinary network: an LSTM (the paper's Table 2) or
# a feed-forward network (Table 1). At step $t$ it sees the external
# input $x_t$ **and the vectors its read heads read at step $t-1$**,
# concatenated. That loop is the only way information gets from the memory
# into the network (section 3.4).
#
# The sizes of the paper's copy NTM: 9 input bits (8 data bits and the
# delimiter), memory width $M = 20$, one read head, 100 controller units.

# %%
COPY = dict(input_size=9, memory_width=20, read_heads=1, controller_units=100)
controller_width, controller_out = controller_input_output_shape(**COPY)
print(f"controller input : {COPY['input_size']} input bits + {COPY['read_heads']} read vector(s) of "
      f"{COPY['memory_width']} = {controller_width} numbers")
print(f"controller output: h_t with {controller_out} numbers")

# %% [markdown]
# With an LSTM controller, the controller's own state ($h$, $c$) is part of
# the NTM's state, next to the memory, the head weightings and the last
# reads. With a feed-forward controller the memory is the *only* state:
# everything the network remembers from one step to the next must be
# written into it.
#
# ## 3. From controller output to head parameters *(core)*
#
# A dense layer maps the controller output $h_t$ to one long vector of raw
# numbers, which is cut into each head's parameters. A read head needs a key
# $\mathbf{k}$ ($M$ numbers), a key strength $\beta$, a gate $g$, a shift
# weighting $\mathbf{s}$ (one number per offset) and a sharpening $\gamma$;
# a write head also needs an erase vector $\mathbf{e}$ and an add vector
# $\mathbf{a}$ ($M$ numbers each).

# %% [markdown]
# ### ✏️ Exercise 4.1 — Predict the head layer's width
#
# Before running the table below: how many raw numbers does the controller
# emit per step for memory width $M = 20$, shifts $-1, 0, +1$, **one write
# head and one read head**? Put your number in place of `...` and run the
# cell; the check comes after the table.

# %%
my_prediction = ...  # a number
predict("Exercise 4.1", my_prediction)

# %%
ACTIVATIONS = {"key": "linear", "beta": "softplus", "g": "sigmoid", "shift": "softmax",
               "gamma": "1 + softplus", "erase": "sigmoid", "add": "tanh"}
RANGES = {"key": "any", "beta": ">= 0", "g": "(0, 1)", "shift": "sums to 1", "gamma": ">= 1",
          "erase": "(0, 1)", "add": "(-1, 1)"}
M_WIDTH, SHIFTS = 20, 3

start = 0
print(f"{'head':6} {'parameter':10} {'columns':>9} {'width':>6}  activation     range")
for head, is_write in (("write", True), ("read", False)):
    for name, width in head_parameter_sizes(memory_width=M_WIDTH, shift_range=SHIFTS, is_write=is_write):
        print(f"{head:6} {name:10} {start:>3} - {start + width - 1:<3} {width:>6}  "
              f"{ACTIVATIONS[name]:14} {RANGES[name]}")
        start += width
head_total = start
print("total", head_total)

# %%
check_prediction("Exercise 4.1", head_total, mistakes=checks.head_count_mistakes(M_WIDTH, SHIFTS),
                 explanation="Per head: k (M), β, g, s (one per offset), γ; a write head adds e and a (M each).")

# %% [markdown]
# **What you should see.** The write head's columns first, then the read
# head's, each parameter with the activation that keeps it in its range
# (notebook 03, section 5). Every step, the cell cuts the raw vector at these
# columns. If your prediction was off, the hint names the part you missed.
#
# ### ✏️ Exercise 4.2 — Cut and activate a read head
#
# Given the raw numbers of one **read** head, `raw` `(B, M + S + 3)` with
# `S` the number of shifts, return a dict with `key` `(B, M)`, `beta`,
# `g`, `gamma` `(B, 1)` and `shift` `(B, S)`, each cut from its place (the
# order of the table) and passed through its activation.
#
# *Hint:* slice with `raw[:, i:i + 1]` to keep the trailing axis of size 1;
# softplus is `np.logaddexp(0, z)`.

# %% tags=["exercise"]
def my_head_activations(raw, memory_width, shift_range):
    """Split one read head's raw parameters and apply their activations. Returns a dict."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_head_activations(my_head_activations)

# %% [markdown]
# ### ✏️ Exercise 4.3 — A larger memory
#
# The paper's copy NTM has $N = 128$ memory slots. We double $N$ to 256 and
# keep everything else. **How many weights does the controller gain?**
# Pick one of the choices printed below.

# %%
show_choices("Exercise 4.3")
my_answer = ...  # YOUR ANSWER: "a", "b", "c" or "d"
check_question("Exercise 4.3", my_answer)


# %% [markdown]
# Now count. We build the cell with both memory sizes and add up the
# weights of each part:

# %%
def weight_count(weights):
    return int(sum(np.prod(w.shape) for w in weights))


parts = {}
for n_slots in (128, 256):
    probe = NTMCell(8, memory_size=n_slots, memory_width=20, controller="lstm", controller_units=100,
                    preset="paper", seed=SEED)
    probe.build((None, 9))
    parts[n_slots] = {
        "controller (LSTM)": weight_count(probe.controller.weights),
        "head layer": weight_count(probe.head_layer.weights),
        "output layer": weight_count(probe.output_layer.weights),
        "start state": weight_count([probe.initial_memory, probe.initial_weight_logits,
                                     probe.initial_reads, *probe.initial_controller_state]),
    }
print(f"{'part':22} {'N = 128':>9} {'N = 256':>9}")
for part in parts[128]:
    print(f"{part:22} {parts[128][part]:>9,} {parts[256][part]:>9,}")

# %% [markdown]
# **What you should see.** Only the last row grows: the start state holds
# one memory of $N \times M$ numbers and one weighting of $N$ numbers per
# head. The controller, the head layer and the output layer keep their
# sizes, because nothing they see or emit has $N$ entries, so a trained
# NTM can be given a larger memory without retraining. If a controller row
# grew, the controller would be seeing all $N$ slots directly, which the
# NTM never does.

# %% [markdown]
# ## 4. One step of the cell, by hand *(core)*
#
# Now the whole of one time step, box by box, on a cell small enough to
# print: a small memory, a feed-forward controller, one write head and one
# read head. With `preset="paper"` the memory starts from learned (here:
# random) values, which makes content addressing more interesting than an
# all-equal memory.
#
# We take the cell's weights, compute every step of the paper with the
# equation functions of `ntm_core`, and at the end compare with what the
# cell itself computes.

# %%
N, W, INPUTS, OUTPUTS, UNITS = 8, 4, 5, 3, 8  # memory slots and width, input and output bits, controller
cell = NTMCell(units=OUTPUTS, memory_size=N, memory_width=W, controller="dense", controller_units=UNITS,
               read_heads=1, write_heads=1, shift_range=3, preset="paper", seed=SEED)
cell.build((None, INPUTS))
print(f"memory {N} x {W}, a dense controller of {UNITS} units, {INPUTS} input bits, {OUTPUTS} outputs")
for weight in cell.weights:
    print(f"{weight.path:40} {str(tuple(weight.shape)):10} trainable={weight.trainable}")


# %% [markdown]
# The start state: memory $M_0$, the weightings of both heads from the
# previous step (write head first) and the last read vector, all learned
# values repeated for each sequence of the batch. `keras.layers.RNN`
# wants flat tensors, so we reshape.

# %%
def to_np(t):
    return np.asarray(ops.convert_to_numpy(t))


states = cell.get_initial_state(batch_size=1)
M_prev = to_np(states[0]).reshape(1, N, W)
w_prev = to_np(states[1]).reshape(1, 2, N)  # [write head, read head]
r_prev = to_np(states[2])
x = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]], "float32")  # the input at this step
print("previous weightings:\n", w_prev[0].round(3))

# %% [markdown]
# **Controller** (section 3.4). Input $[x_t, r_{t-1}]$; a dense layer with
# tanh: $h_t = \tanh(W_c\,[x_t, r_{t-1}] + b_c)$.

# %%
controller_in = np.concatenate([x, r_prev], axis=-1)
h = np.tanh(controller_in @ to_np(cell.controller.kernel) + to_np(cell.controller.bias))

# %% [markdown]
# **Head parameters.** A dense layer gives the raw numbers,
# $z_t = W_h\,h_t + b_h$, cut by `head_parameter_sizes`, write head first:

# %%
raw = h @ to_np(cell.head_layer.kernel) + to_np(cell.head_layer.bias)


def cut(raw, sizes):
    parts, start = {}, 0
    for name, width in sizes:
        parts[name] = raw[:, start:start + width]
        start += width
    return parts, raw[:, start:]


write_raw, rest = cut(raw, head_parameter_sizes(W, 3, is_write=True))
read_raw, rest = cut(rest, head_parameter_sizes(W, 3, is_write=False))
print("raw numbers:", raw.shape[1], "| left over:", rest.shape[1])


# %% [markdown]
# **Activations** (notebook 03, section 5): $\beta = \mathrm{softplus}$,
# $g = \sigma$, $\mathbf{s} = \mathrm{softmax}$, $\gamma = 1 + \mathrm{softplus}$,
# $\mathbf{e} = \sigma$, $\mathbf{a} = \tanh$, the key stays linear.

# %%
def activate(p):
    out = {"key": p["key"], "beta": ops.softplus(p["beta"]), "g": ops.sigmoid(p["g"]),
           "shift": ops.softmax(p["shift"]), "gamma": 1.0 + ops.softplus(p["gamma"])}
    if "erase" in p:
        out["erase"], out["add"] = ops.sigmoid(p["erase"]), ops.tanh(p["add"])
    return {name: to_np(v) for name, v in out.items()}


write_head, read_head = activate(write_raw), activate(read_raw)
for name, value in write_head.items():
    print(f"write {name:6}", value[0].round(3))

# %% [markdown]
# **Write head addressing** on the old memory $M_{t-1}$, eq. 5 → 7 → 8 → 9
# (with the cosine similarity $K$ of eq. 6):
#
# $w^c = \mathrm{softmax}(\beta K[\mathbf{k}, M_{t-1}(i)])$,
# $w^g = g\,w^c + (1-g)\,w_{t-1}$,
# $\tilde w(i) = \sum_j w^g(i - j)\,s(j)$,
# $w = \tilde w^\gamma / \sum \tilde w^\gamma$

# %%
wh = write_head
w_c = addressing.content_weights(M_prev, wh["key"], wh["beta"])   # eq. 5-6
w_g = addressing.interpolate(w_c, w_prev[:, 0], wh["g"])          # eq. 7
w_s = addressing.shift(w_g, wh["shift"])                          # eq. 8
w_write = to_np(addressing.sharpen(w_s, wh["gamma"]))             # eq. 9
print("write weighting:", w_write[0].round(3))

# %% [markdown]
# **Write**: erase, then add (eq. 3-4):
# $\tilde M_t(i) = M_{t-1}(i)\,[\mathbf{1} - w(i)\,\mathbf{e}]$,
# $M_t(i) = \tilde M_t(i) + w(i)\,\mathbf{a}$

# %%
M_erased = memory.erase(M_prev, w_write, wh["erase"])   # eq. 3
M_new = to_np(memory.add(M_erased, w_write, wh["add"]))  # eq. 4

# %% [markdown]
# **Read head**: the same addressing, but on the *new* memory $M_t$ (so a
# read sees what was written at the same step), then the read (eq. 2):
# $\mathbf{r}_t = \sum_i w(i)\,M_t(i)$

# %%
rh = read_head
w_read = to_np(addressing.address(M_new, w_prev[:, 1], rh["key"], rh["beta"], rh["g"], rh["shift"], rh["gamma"]))
r = to_np(memory.read(M_new, w_read))   # eq. 2
print("read weighting:", w_read[0].round(3))
print("read vector   :", r[0].round(3))

# %% [markdown]
# **Output**: a dense layer on $[h_t, \mathbf{r}_t]$ with a sigmoid, one
# probability per output bit: $y_t = \sigma(W_o\,[h_t, \mathbf{r}_t] + b_o)$.

# %%
y = to_np(ops.sigmoid(np.concatenate([h, r], axis=-1) @ to_np(cell.output_layer.kernel)
                      + to_np(cell.output_layer.bias)))
print("output y_t:", y[0].round(4))

# %% [markdown]
# **The check.** `cell.step` is the cell's own step, which also returns
# every intermediate value; `cell(...)` is what `keras.layers.RNN` calls.
# Our hand-made step must agree with both, to float32 precision:

# %%
y_cell, new_states, info = cell.step(ops.convert_to_tensor(x), states)
close = dict(rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(y, to_np(y_cell), **close)
np.testing.assert_allclose(M_new.reshape(1, -1), to_np(new_states[0]), **close)
np.testing.assert_allclose(np.concatenate([w_write, w_read], axis=-1), to_np(new_states[1]), **close)
np.testing.assert_allclose(r, to_np(new_states[2]), **close)
np.testing.assert_allclose(h, to_np(info["controller_output"]), **close)

y_call, _ = cell(ops.convert_to_tensor(x), states)
np.testing.assert_allclose(y, to_np(y_call), **close)
pairs = [(y, y_cell), (M_new.reshape(1, -1), new_states[0]), (r, new_states[2]), (y, y_call)]
gap = max(float(np.max(np.abs(mine - to_np(theirs)))) for mine, theirs in pairs)
print(f"✅ the step by hand matches cell.step and cell(...): largest difference {gap:.1e}")

# %% [markdown]
# **What you should see.** A ✅ and a largest difference near $10^{-7}$ or
# below: float32 rounding. An `AssertionError` instead would mean the
# hand-made step and the cell disagree; its message names the array and
# the entries that differ. The read weighting need not sit where the write
# weighting does: with random weights the two heads go their own ways.
#
# That is all an NTM does at one step. The cell adds only bookkeeping:
# several heads (every write head's erase before any add), optional
# clipping of the raw numbers, dropout on the controller, and an LSTM
# controller's state.

# %% [markdown]
# ### ✏️ Exercise 4.4 — The memory's half of a step
#
# Write everything after the head parameters, for **one write head and any
# number R of read heads**: `my_memory_step(M_prev, w_prev, heads)` with
#
# * `M_prev` `(B, N, M)`: the memory $M_{t-1}$ (do not change it in place);
# * `w_prev` `(B, 1 + R, N)`: last step's weightings, write head first;
# * `heads`: a list of dicts, the write head first (`key, beta, g, shift,
#   gamma, erase, add`), then the R read heads (`key, beta, g, shift,
#   gamma`), already activated.
#
# Return `(M_new (B, N, M), w (B, 1 + R, N), reads (B, R, M))`, heads in the
# order of `heads`. You may use `addressing.address`, `memory.erase`,
# `memory.add`, `memory.read` and `ops.stack`, or your functions from
# notebooks 02 and 03.

# %% tags=["exercise"]
def my_memory_step(M_prev, w_prev, heads):
    """Address and write with heads[0], then address and read with heads[1:]. Returns (M_new, w, reads)."""
    # YOUR CODE: replace the next line
    raise NotImplementedError


# %% tags=["check"]
checks.check_memory_step(my_memory_step)

# %% [markdown]
# ## 5. The Keras layer *(core)*
#
# `NTM` wraps the cell in `keras.layers.RNN`, which runs it over the time
# axis: input `(batch, time, features)`, output `(batch, time, units)`
# (`return_sequences=True` by default, since every task maps a sequence
# to a sequence). It is an ordinary Keras layer:

# %%
seq_model = keras.Sequential([
    keras.Input((None, 9)),   # any number of steps, 9 input bits
    NTM(8, memory_size=128, memory_width=20, controller="lstm", controller_units=100),
], name="copy_ntm_sequential")
seq_model.summary()

# %%
batch = tasks.copy_batch(2, 5, rng=SEED)
y_seq = to_np(seq_model(batch.x))
print("input", batch.x.shape, "-> output", y_seq.shape)
print(f"outputs between {y_seq.min():.3f} and {y_seq.max():.3f}")

# %% [markdown]
# **What you should see.** One output vector per input step for both
# sequences of the batch, one probability per output bit; untrained, they
# all sit near 0.5. `Non-trainable params` in the summary are the parts of
# the start state that begin at a fixed value: with the default
# `preset="stable"` the memory starts at a small constant (Collier & Beel
# 2018). Notebook 05 trains this model.

# %% [markdown]
# ## 6. Parameter counts, ours and the paper's *(going deeper)*
#
# The paper gives the parameter count of every network in its Tables 1-3
# (1: NTM with a feed-forward controller, 2: NTM with an LSTM controller,
# 3: LSTM baselines); `models.PAPER_NTM` and `models.PAPER_LSTM` keep them.
# Controller sizes are printed as the tables give them: Table 2's
# priority-sort controller is "2 x 100", not one layer of 200 units.

# %%
def controller_size(units):
    return f"{units} units" if isinstance(units, int) else units


print(f"{'task':19} {'NTM, feed-forward (Table 1)':>32} {'NTM, LSTM (Table 2)':>32} {'LSTM (Table 3)':>22}")
for task in models.PAPER_LSTM:
    (h1, u1, _, p1), (h2, u2, _, p2) = models.PAPER_NTM["dense"][task], models.PAPER_NTM["lstm"][task]
    layers, units, _, p3 = models.PAPER_LSTM[task]
    table1 = f"{h1} head{'s' * (h1 > 1)}, {controller_size(u1)}: {p1:,}"
    table2 = f"{h2} head{'s' * (h2 > 1)}, {controller_size(u2)}: {p2:,}"
    print(f"{task:19} {table1:>32} {table2:>32} {f'{layers} x {units}: {p3:,}':>22}")

# %% [markdown]
# Our copy models, with both controllers and both presets, beside the
# paper's copy numbers:

# %%
print(f"{'model':32} {'trainable':>10} {'total':>10} {'paper':>10}")
for controller in ("dense", "lstm"):
    paper_count = models.PAPER_NTM[controller]["copy"][3]
    for preset in ("paper", "stable"):
        counts = models.count_params(models.build_ntm("copy", controller=controller, preset=preset))
        label = f"NTM, {controller} controller, {preset}"
        print(f"{label:32} {counts['trainable']:>10,} {counts['total']:>10,} {paper_count:>10,}")
layers, units, _, paper_lstm = models.PAPER_LSTM["copy"]
lstm_counts = models.count_params(models.build_lstm("copy", units=units, layers=layers))
label = f"LSTM baseline, {layers} x {units}"
print(f"{label:32} {lstm_counts['trainable']:>10,} {lstm_counts['total']:>10,} {paper_lstm:>10,}")

# %% [markdown]
# Where do our numbers come from? The LSTM-controller NTM with the paper
# preset, weight by weight, and the three layers' sizes worked out from
# the widths of section 2 and 3:

# %%
ntm_paper = models.build_ntm("copy", controller="lstm", preset="paper")
for weight in ntm_paper.get_layer("ntm").weights:
    print(f"{weight.path.split('/', 1)[1]:45} {str(tuple(weight.shape)):12} {int(np.prod(weight.shape)):>7,}")

n_in, n_units, n_read, n_out = controller_width, COPY["controller_units"], COPY["memory_width"], 8
print(f"\nLSTM controller: 4 x ({n_in} + {n_units} + 1) x {n_units} = {4 * (n_in + n_units + 1) * n_units:,}")
print(f"head layer     : ({n_units} + 1) x {head_total} = {(n_units + 1) * head_total:,}")
print(f"output layer   : ({n_units} + {n_read} + 1) x {n_out} = {(n_units + n_read + 1) * n_out:,}")

# %% [markdown]
# **What you should see.** Our counts are close to the paper's, not equal
# to them, and nothing here claims a match. The paper does not say what it
# counts, and several choices change the total:
#
# * **The learned start state.** The paper resets the state to learned bias
#   values; a learned memory alone is $N \times M$ parameters. The `stable`
#   preset does not learn the memory, hence its lower trainable count.
# * **The output layer's inputs.** Ours sees the controller output *and* the
#   read vectors; the paper's Figure 1 does not say which it uses.
# * **Biases and peepholes.** Graves' LSTMs often have peephole connections
#   (three more weights per unit and layer); whether every layer has a bias
#   is not stated.
#
# Independent re-implementations report that the paper's counts cannot be
# rebuilt exactly from the stated architectures, the LSTM baselines of
# Table 3 included.

# %%
ntm_count = models.count_params(ntm_paper)["total"]
print(f"NTM (LSTM controller, paper preset): {ntm_count:,} parameters; "
      f"LSTM baseline: {lstm_counts['total']:,}, {lstm_counts['total'] / ntm_count:.0f} times as many")

# %% [markdown]
# The orders of magnitude are what matter: the NTM needs far fewer
# parameters than the LSTM baseline, and it generalises far better on copy
# (notebook 01).
#
# ## 7. Saving and loading *(going deeper)*
#
# `NTMCell` and `NTM` have a `get_config` and are registered with Keras
# (`import ntm_core` registers them), so a whole model saves to a `.keras`
# file and loads back with Keras' default `safe_mode=True`, which refuses
# to run arbitrary code (no pickles, no lambdas). A small copy model:

# %%
small = models.build_ntm("copy", controller="dense", memory_size=16, memory_width=8, controller_units=16)
workdir = Path(tempfile.mkdtemp(prefix="ntm_nb04_"))
path = workdir / "small_copy_ntm.keras"
small.save(path)
print(path.name, path.stat().st_size, "bytes")

loaded = keras.saving.load_model(path)  # safe_mode=True is the default
x_test = tasks.copy_batch(2, 3, rng=SEED).x
y_before = to_np(small(x_test))
y_after = to_np(loaded(x_test))
np.testing.assert_array_equal(y_before, y_after)
print("✅ identical predictions after a .keras round trip; checksum", f"{y_before.sum():.6f}")

# %% [markdown]
# **What you should see.** A file of some tens of kilobytes and a ✅: the
# loaded model gives the same predictions, bit for bit. The checkpoints the
# later notebooks use are such files; `ntm_core.load_pretrained(name)` finds
# them from any folder.
#
# ## 8. The same model on TensorFlow, JAX and PyTorch *(going deeper)*
#
# `ntm_core` uses only `keras.ops`, so the same code and the same saved
# model run on any Keras 3 backend. Keras picks the backend **once, when it
# is first imported**, from the environment variable `KERAS_BACKEND`
# (default: TensorFlow). Setting it after `import keras` has no effect, so
# choose before Python starts, e.g. `KERAS_BACKEND=jax jupyter lab`, or
# with `os.environ["KERAS_BACKEND"] = "jax"` in the very first cell.

# %% [markdown]
# This notebook has already imported Keras, so to try other backends we
# start a fresh Python for each, with `KERAS_BACKEND` set in its
# environment. Each one loads the file saved above, predicts on the same
# inputs and prints a checksum. Backends whose package is not installed
# are skipped, and so, in quick mode, is the backend of this kernel (the
# round trip of section 7 already ran on it).

# %%
SCRIPT = '''
import sys

import keras
import numpy as np

import ntm_core  # registers the NTM layers, so load_model needs no custom_objects

model = keras.saving.load_model(sys.argv[1])
y = np.asarray(keras.ops.convert_to_numpy(model(np.load(sys.argv[2]))))
print(f"backend={keras.backend.backend()} checksum={y.sum():.6f}")'''
x_path = workdir / "x_test.npy"
np.save(x_path, x_test)

running = {}
for backend in ("tensorflow", "jax", "torch"):
    if QUICK and backend == keras.backend.backend():
        print(f"KERAS_BACKEND={backend:<10} -> skipped in quick mode: section 7 already ran on it")
        continue
    if importlib.util.find_spec(backend) is None:
        print(f"KERAS_BACKEND={backend:<10} -> skipped: {backend} is not installed")
        continue
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    running[backend] = subprocess.Popen([sys.executable, "-c", SCRIPT, str(path), str(x_path)], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
for backend, process in running.items():
    out, err = process.communicate(timeout=600)
    if process.returncode == 0:
        print(f"KERAS_BACKEND={backend:<10} -> {out.strip().splitlines()[-1]}")
    else:
        print(f"KERAS_BACKEND={backend:<10} -> failed:\n{err[-2000:]}")
print(f"this notebook's kernel   -> backend={keras.backend.backend()} checksum={y_before.sum():.6f}")

# %% [markdown]
# **What you should see.** One checksum per backend, agreeing up to float32
# rounding in the last digits: the backends compute the same model with
# their own kernels. A "failed" line prints that backend's error.

# %% [markdown]
# ## Summary
#
# * At each step the controller sees the input and the last step's reads;
#   a dense layer turns its output into every head's raw parameters, cut
#   at fixed columns and passed through range-keeping activations.
# * One step runs in a fixed order: write head addressing on $M_{t-1}$
#   (eq. 5-9), erase then add (eq. 3-4), read head addressing on $M_t$,
#   read (eq. 2), output.
# * A read head sees the memory after this step's write, so it can read
#   what was written at the same step.
# * Nothing the controller sees or emits has $N$ entries: a larger memory
#   adds no controller weights.
# * `NTM` is an ordinary Keras layer: it goes into `Sequential` or
#   functional models and runs a whole sequence at once.
#
# **Next:** notebook 05 trains this layer on the copy task.
