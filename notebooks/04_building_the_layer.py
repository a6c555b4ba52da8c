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
# Notebooks 02 and 03 built the equations. This one assembles them into
# the NTM layer of `ntm_core`, the one the later notebooks train:
#
# 1. The controller and what it sees
# 2. How the controller's output becomes head parameters
# 3. **One step of the cell by hand**, checked against the real cell
# 4. The Keras layer: `NTM` in a model
# 5. Parameter counts: ours beside the paper's Tables 1-3
# 6. Saving and loading a model
# 7. The same model on TensorFlow, JAX and PyTorch

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

keras.utils.set_random_seed(SEED)
print("Keras", keras.__version__, "on", keras.backend.backend())

# %% [markdown]
# ## 1 · The controller
#
# The controller is an ordinary network: an LSTM (the paper's Table 2) or
# a single feed-forward layer (Table 1). At step $t$ it sees the external
# input $x_t$ **and the vectors its read heads read at step $t-1$**,
# concatenated. That loop is the only way information gets from the
# memory into the network.
#
# For the paper's copy task: 9 input bits (8 data bits and the
# delimiter), one read head reading 20 numbers, 100 controller units.

# %%
print("controller input, output width:", controller_input_output_shape(
    input_size=9, memory_width=20, read_heads=1, controller_units=100))

# %% [markdown]
# With an LSTM controller, the controller's own state ($h$, $c$) is part
# of the NTM's state, next to the memory, the head weightings and the last
# reads. With a feed-forward controller the memory is the *only* state:
# everything the network remembers from one step to the next must be
# written into it.
#
# ## 2 · From controller output to head parameters
#
# A dense layer maps the controller output $h_t$ to one long vector of raw
# numbers, which is cut into each head's parameters. The order and
# widths are given by `head_parameter_sizes` (memory width $M$, the number
# of shifts, read or write head):

# %%
ACTIVATIONS = {"key": "linear", "beta": "softplus", "g": "sigmoid", "shift": "softmax",
               "gamma": "1 + softplus", "erase": "sigmoid", "add": "tanh"}
RANGES = {"key": "any", "beta": ">= 0", "g": "(0, 1)", "shift": "sums to 1", "gamma": ">= 1",
          "erase": "(0, 1)", "add": "(-1, 1)"}

start = 0
print(f"{'head':6} {'parameter':10} {'columns':>9} {'width':>6}  activation     range")
for head, is_write in (("write", True), ("read", False)):
    for name, width in head_parameter_sizes(memory_width=20, shift_range=3, is_write=is_write):
        print(f"{head:6} {name:10} {start:>3} - {start + width - 1:<3} {width:>6}  "
              f"{ACTIVATIONS[name]:14} {RANGES[name]}")
        start += width
print("total", start)

# %% [markdown]
# This is the split of the paper's copy NTM: every step, the controller
# emits these raw numbers; the cell cuts them at these columns and applies
# the activations of notebook 03, section 5.
#
# ### ✏️ Exercise 4.1 — Count the head parameters
#
# Without running anything: how many raw numbers does the controller emit
# per step for an NTM with memory width $M = 20$, shifts $-1, 0, +1$, **one
# write head and one read head**? (Then check it against the table above.)

# %% tags=["exercise"]
answer = None  # YOUR ANSWER: a number

# %% tags=["check"]
checks.check_head_parameter_count(answer)


# %% [markdown]
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
# ## 3 · One step of the cell, by hand
#
# Now the whole of one time step, on a cell small enough to print: memory
# 8 × 4, a feed-forward controller of 8 units, one write head and one read
# head, 5 input bits and 3 outputs. With `preset="paper"` the memory starts
# from learned (here: random) values, which makes content addressing more
# interesting than an all-equal memory.
#
# We take the cell's weights, compute every step of the paper with the
# equation functions of `ntm_core`, and at the end compare with what the
# cell itself computes.

# %%
N, W = 8, 4  # memory slots and width
cell = NTMCell(units=3, memory_size=N, memory_width=W, controller="dense", controller_units=8,
               read_heads=1, write_heads=1, shift_range=3, preset="paper", seed=SEED)
cell.build((None, 5))
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
# **Controller.** Input $[x_t, r_{t-1}]$; a dense layer with tanh:
# $h_t = \tanh(W_c\,[x_t, r_{t-1}] + b_c)$.

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
# **Write head addressing** on the old memory $M_{t-1}$, eq. 5 → 7 → 8 → 9:
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
print("✅ the step by hand matches cell.step and cell(...)")

# %% [markdown]
# That is all an NTM does at one step. The cell adds only bookkeeping:
# several heads (every write head's erase before any add), optional
# clipping of the raw numbers (`preset="stable"` clips them to ±20),
# dropout on the controller, and an LSTM controller's state.
#
# ## 4 · The Keras layer
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
print("input", batch.x.shape, "-> output", tuple(seq_model(batch.x).shape))

# %% [markdown]
# `Non-trainable params` are the parts of the state that start from a
# fixed value: with the default `preset="stable"` the memory starts at a
# small constant ($10^{-6}$, Collier & Beel 2018) and the LSTM state at
# zero. `models.build_ntm` builds the same thing as a functional model with
# the paper's copy sizes.
#
# ## 5 · Parameter counts, ours and the paper's
#
# The paper lists the parameter count of every network in its Tables 1-3;
# `models.PAPER_NTM` and `models.PAPER_LSTM` keep them:

# %%
print(f"{'task':19} {'NTM, feed-forward (Table 1)':>30} {'NTM, LSTM (Table 2)':>30} {'LSTM (Table 3)':>22}")
for task in models.PAPER_LSTM:
    (h1, u1, _, p1), (h2, u2, _, p2) = models.PAPER_NTM["dense"][task], models.PAPER_NTM["lstm"][task]
    layers, units, _, p3 = models.PAPER_LSTM[task]
    print(f"{task:19} {f'{h1} heads, {u1} units: {p1:,}':>30} {f'{h2} heads, {u2} units: {p2:,}':>30} "
          f"{f'{layers} x {units}: {p3:,}':>22}")

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
# preset, weight by weight:

# %%
ntm_paper = models.build_ntm("copy", controller="lstm", preset="paper")
for weight in ntm_paper.get_layer("ntm").weights:
    print(f"{weight.path.split('/', 1)[1]:45} {str(tuple(weight.shape)):12} {int(np.prod(weight.shape)):>7,}")

# %% [markdown]
# So: LSTM controller $4 \times (29 + 100 + 1) \times 100 = 52{,}000$; head
# parameters $(100 + 1) \times 92 = 9{,}292$; output $(100 + 20 + 1) \times 8
# = 968$; and the learned start state: memory $128 \times 20 = 2{,}560$,
# weighting logits $2 \times 128$, read vector 20, LSTM state 200.
#
# **Why not exactly the paper's numbers?** The paper does not say what it
# counts, and several choices change the total:
#
# * **The learned initial state.** The paper resets the state "to learned
#   bias values": a learned 128 × 20 memory alone is 2,560 parameters. The
#   `stable` preset does not learn the memory, hence its lower trainable count.
# * **The output layer's inputs.** Ours sees the controller output *and* the
#   read vectors; the paper's Figure 1 does not say which it uses.
# * **Biases and peepholes.** Graves' LSTMs usually have peephole
#   connections (3 × 100 more weights per layer); whether every layer has a
#   bias is not stated.
# * **The LSTM baseline** (Table 3, 3 × 256): we get 1,325,064 against
#   1,352,969; independent re-implementations report that the paper's
#   numbers cannot be rebuilt exactly from the stated architectures.
#
# The orders of magnitude are what matter: the NTM has about 65,000
# parameters against 1.3 million for the LSTM baseline, and it generalises
# far better on copy (notebook 01).
#
# ## 6 · Saving and loading
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
# The checkpoints in `data/pretrained/` are such files; notebooks load them
# with `ntm_core.load_pretrained(name)`, which finds them from any folder.
#
# ## 7 · The same model on TensorFlow, JAX and PyTorch
#
# `ntm_core` uses only `keras.ops`, so the same code and the same saved
# model run on any Keras 3 backend. Keras picks the backend **once, when it
# is first imported**, from the environment variable `KERAS_BACKEND`
# (default: TensorFlow). Setting it after `import keras` has no effect, so
# choose before Python starts, e.g. `KERAS_BACKEND=jax jupyter lab`, or
# with `os.environ["KERAS_BACKEND"] = "jax"` in the very first cell.
#
# This notebook has already imported Keras, so to try other backends we
# start a fresh Python for each, with `KERAS_BACKEND` set in its
# environment. Each one loads the file saved above, predicts on the same
# inputs and prints a checksum. Backends whose package is not installed
# are skipped, and so, in quick mode, is the backend of this kernel (the
# round trip of section 6 already ran on it). The processes run side by
# side; each needs a few seconds to import its framework.

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
        print(f"KERAS_BACKEND={backend:<10} -> skipped in quick mode: section 6 already ran on it")
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
# The checksums agree up to float32 rounding in the last digits: the
# backends compute the same model with their own kernels.
#
# ## Summary
#
# * The controller sees the input and the last reads; a dense layer turns
#   its output into every head's raw parameters, which are cut at fixed
#   columns and passed through activations.
# * One step: controller → head parameters → write head addressing on
#   $M_{t-1}$ → erase, add → read head addressing on $M_t$ → read → output.
#   Our step by hand matched the cell to float32 precision.
# * `NTM` is a Keras layer: it goes into `Sequential` or functional models,
#   saves to `.keras` and loads in safe mode, on every backend.
# * Parameter counts come close to the paper's but cannot match exactly,
#   because the paper leaves out what it counts.
#
# **Next:** training the NTM on the copy task.
