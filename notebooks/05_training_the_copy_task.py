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
# # 5. Training an NTM on the copy task
#
# <!-- course-links -->
# <!-- /course-links -->
#
# In notebooks 01–04 you built the Neural Turing Machine piece by piece: reading
# and writing a memory matrix (eq. 2–4), addressing by content and by location
# (eq. 5–9) and the controller that drives the heads. Now we **train** one.
#
# The copy task (section 4.1 of the paper) is the NTM's "hello world". The network
# sees a sequence of random 8-bit vectors, then a delimiter, and must then output
# the same sequence with no input at all. An LSTM has to squeeze the whole
# sequence into its hidden state; an NTM can write it to memory and read it back
# — *if* it learns to. Whether it does depends on the data, the loss, the
# optimiser and a fair amount of luck, so this notebook goes through each.
#
# 1. the data: a padded batch and its mask,
# 2. the loss (masked binary cross-entropy) and the paper's metrics,
# 3. curricula: easy sequences first,
# 4. the two recipes: the paper's and a more stable one,
# 5. where training runs (CPU or GPU) and how to watch it in TensorBoard,
# 6. **training**, then the learning curve and an evaluation by length.
#
# **Time.** With `QUICK = True` (or the environment variable `NTM_QUICK=1`) the
# whole notebook takes about a minute and the training is only a smoke test: it
# will *not* learn to copy. With `QUICK = False` (the default) it trains the same
# configuration as the shipped checkpoint until it converges: a few minutes on a
# laptop CPU, depending on the seed and the machine (section 5 prints the shipped
# run's own record), and `MAX_SECONDS` stops it after 30 minutes at most.

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
QUICK = False
SEED = 4
TRAIN_STEPS = 6250
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
MEMORY_SIZE = 128
MEMORY_WIDTH = 20
CONTROLLER_UNITS = 100
MAX_LENGTH = 20
EVAL_EVERY = 25
PATIENCE = 20
VAL_SEQUENCES = 128
MAX_SECONDS = 1800
JIT_COMPILE = None
EVAL_LENGTHS = [10, 20, 30, 50]
EVAL_SEQUENCES = 200
RUN_NAME = "notebook_copy"

# %%
import os
QUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")
if QUICK:
    # A smoke run: a tiny memory, short sequences, a few dozen steps.
    TRAIN_STEPS, EVAL_EVERY, VAL_SEQUENCES, BATCH_SIZE = 30, 10, 32, 8
    MEMORY_SIZE, MEMORY_WIDTH, CONTROLLER_UNITS = 16, 8, 32
    MAX_LENGTH, MAX_SECONDS = 5, 60
    JIT_COMPILE = False  # compiling with XLA costs more than it saves on 30 steps
    EVAL_SEQUENCES = 20
print("quick mode (a smoke test, will not converge)" if QUICK else "full mode (trains until convergence)")

# %%
import keras
import numpy as np

import ntm_core
from ntm_core import metrics, tasks
from ntm_core.cell import PRESETS
from ntm_core.evaluation import format_table
from ntm_core.teaching.results import first_stage, load_result_or_none, run_folder
from ntm_core.training import RECIPES
from ntm_core.viz.curves import plot_curriculum, plot_generalisation, plot_learning_curve
from ntm_core.viz.sequences import plot_batch_mask, plot_copy_example

# %% tags=["helpers"]
import json

from ntm_core.pretrained import available_pretrained, pretrained_path


def pretrained_info(name):
    """The json saved beside a shipped checkpoint: how it was trained, its
    learning curve and its evaluation, without loading the model. None when
    the checkpoint is not shipped."""
    if name not in available_pretrained():
        return None
    info = pretrained_path(name).with_suffix(".json")
    return json.loads(info.read_text()) if info.exists() else {}


# %%
SHIPPED = pretrained_info("copy_ntm")  # the json of the shipped checkpoint, or None
# It was trained by three commands; this notebook repeats the first (see section 5).
SHIPPED_FIRST = first_stage(SHIPPED)
print("Keras backend:", keras.backend.backend())
print("shipped checkpoints:", ntm_core.available_pretrained())

# %% [markdown]
# ## 1. The data
#
# A copy sequence of length $L$ has $2L+1$ time steps and 9 input channels
# (8 bits and a delimiter):
#
# | steps | input $x_t$ | target $y_t$ | scored? |
# |---|---|---|---|
# | $0 \dots L-1$ | the $L$ random vectors | 0 | no |
# | $L$ | the delimiter (channel 8) | 0 | no |
# | $L+1 \dots 2L$ | all zero | the $L$ vectors again | **yes** |
#
# *Why the delimiter?* The network must know when the input ends. *Why zero input
# while recalling?* So that the answer can only come from what the network stored.
#
# Training draws each sequence's length uniformly from 1–20. A batch needs one
# array, so shorter sequences are **padded** with zeros at the end, and a **mask**
# $m_{bt}$ marks the steps that are scored (1) and the rest (0).

# %%
task = tasks.CopyTask()
batch = task.sample(8, rng=SEED)  # lengths drawn from 1-20, padded to the longest
print("x", batch.x.shape, " y", batch.y.shape, " mask", batch.mask.shape)
print("lengths L:", batch.lengths)

# %% [markdown]
# One sequence of the batch, cut to its own $2L+1$ steps. The grey bands on the
# target are the steps the mask leaves out.

# %%
i = int(np.argmax(batch.lengths))
T_i = 2 * int(batch.lengths[i]) + 1
plot_copy_example(batch.x[i, :T_i], batch.y[i, :T_i], mask=batch.mask[i, :T_i])

# %% [markdown]
# And the mask of the whole batch: each row is a sequence; its black stripe is its
# $L$ recall steps, starting right after its delimiter; everything to the right of
# it is padding.

# %%
plot_batch_mask(batch)

# %% [markdown]
# ## 2. The loss and the paper's metrics
#
# The network ends in a sigmoid, so each output $p_{btc}$ is the probability that
# target bit $y_{btc}$ is 1. The natural loss for independent bits is the **binary
# cross-entropy** (the negative log-likelihood of the targets), averaged over the
# $C = 8$ channels and counted only where the mask is 1:
#
# $$\ell_{bt} = -\frac{1}{C}\sum_{c=1}^{C}\Big[y_{btc}\ln p_{btc} + (1-y_{btc})\ln(1-p_{btc})\Big],
# \qquad \mathcal{L} = \frac{1}{BT}\sum_{b=1}^{B}\sum_{t=1}^{T} m_{bt}\,\ell_{bt}.$$
#
# That is what Keras computes when the mask is passed as `sample_weight`. Note the
# $\frac{1}{BT}$: Keras divides by *all* steps, scored or not, so the loss it prints
# depends on how much padding a batch has. The paper therefore reports a cost that
# does not: **bits per sequence**, the same cross-entropy in base 2, summed over a
# sequence's scored steps and channels,
#
# $$\text{bits}_b = -\sum_{t} m_{bt}\sum_{c}\Big[y_{btc}\log_2 p_{btc} + (1-y_{btc})\log_2(1-p_{btc})\Big],$$
#
# and we add the easier number **bit errors per sequence**, the wrong bits after
# thresholding at 0.5:
#
# $$\text{errors}_b = \sum_{t} m_{bt}\sum_{c}\big[\,\mathbb{1}(p_{btc} > 0.5) \ne y_{btc}\,\big].$$
#
# A network that always answers 0.5 pays exactly 1 bit per target bit, $8L$ bits
# for a sequence of length $L$. Zero bit errors is a perfect copy; bits per sequence
# near 0 is a perfect *and confident* copy. Let us check the formulas by hand
# against `ntm_core.metrics` and Keras.

# %%
y, mask = batch.y, batch.mask
p_half = np.full_like(y, 0.5)
print("always 0.5: bits/seq", metrics.bits_per_sequence(y, p_half, mask, reduce=False))
print("        8 L          ", 8 * batch.lengths)

# %%
# A made-up "half-trained" prediction: right side of 0.5 most of the time.
rng = np.random.default_rng(SEED)
p = np.clip(np.where(y > 0.5, 0.75, 0.25) + rng.normal(0, 0.2, y.shape), 0.01, 0.99).astype("float32")

ce = -(y * np.log(p) + (1 - y) * np.log(1 - p))               # nats, per bit
loss_by_hand = (mask * ce.mean(axis=2)).sum() / mask.size      # the 1/(BT) of the formula
bits_by_hand = (mask[..., None] * ce).sum(axis=(1, 2)) / np.log(2)
errors_by_hand = (mask[..., None] * ((p > 0.5) != (y > 0.5))).sum(axis=(1, 2))

print("loss   by hand", round(float(loss_by_hand), 5), " Keras",
      round(float(keras.losses.BinaryCrossentropy()(y, p, sample_weight=mask)), 5))
print("bits   by hand", bits_by_hand.round(2), "\n       metrics", metrics.bits_per_sequence(y, p, mask, reduce=False).round(2))
print("errors by hand", errors_by_hand, "\n       metrics", metrics.bit_errors_per_sequence(y, p, mask, reduce=False))

# %% [markdown]
# The two are tied: summing $\mathcal{L}$ back up gives
# $\overline{\text{bits}} = \mathcal{L}\cdot T\cdot C / \ln 2$ (the mean over the batch).

# %%
B, T, C = y.shape
print("loss * T * C / ln 2 =", round(float(loss_by_hand) * T * C / np.log(2), 3),
      "  mean bits/seq =", round(float(bits_by_hand.mean()), 3))

# %% [markdown]
# ## 3. Curriculum: easy sequences first
#
# Early in training the network has not yet discovered that it can write to memory
# and read back. On a length-20 sequence it then fails on all 160 bits and the
# gradient says little about *how* to improve; on short sequences the write-then-read
# loop is easier to stumble upon. But training only on short sequences teaches the
# loop slowly. A **curriculum** starts short and lengthens the sequences as the
# error falls. (The paper trained on lengths 1–20 from the start; curricula came
# from later implementations, e.g. Collier & Beel 2018.)
#
# `ntm_core.tasks.Curriculum` keeps a current `max_length`. Each `update(err)`
# reports the latest bit errors per sequence; when they are below `threshold` (and
# the final length is not reached) it grows `max_length` by `step`. Its `log`
# records every change. `ntm_core.train(curriculum=True)` for copy starts at
# length 5 and grows in steps of 5 to 20, with a threshold of 0.5 bit errors, and
# `TaskDataset` pads every batch to the current maximum, so the shapes only change
# when the curriculum moves (an XLA-compiled step then recompiles rarely).
#
# Below, a curriculum is fed **made-up** error numbers (not a training run) that
# fall over time and jump when the sequences get longer, to show its logic:

# %%
cur = tasks.Curriculum(start_max_length=5, final_max_length=20, step=5, threshold=0.5)
rng = np.random.default_rng(SEED)
errors, since_change = [], 0
for update in range(60):
    err = 3.0 * cur.max_length / 5 * np.exp(-since_change / 5) * rng.uniform(0.7, 1.3)
    errors.append(err)
    since_change = 0 if cur.update(err) else since_change + 1
print(cur, "\nlog (update, max_length):", cur.log)
plot_curriculum(errors, cur.log, cur.threshold)

# %% [markdown]
# In this notebook we train **without** a curriculum (`curriculum=False`), as the
# shipped checkpoint was: with batches of 32 and Adam at $10^{-3}$ the copy NTM
# learns lengths 1–20 directly. Trying `curriculum=True` is one of the
# experiments at the end.
#
# ## 4. Two recipes: the paper's and a stable one
#
# Two separate choices decide how an NTM trains.
#
# **The preset** (`build_ntm(preset=...)`, `ntm_core.PRESETS`) fixes how the cell
# starts every sequence and how hard its raw outputs are limited:
#
# * `"paper"` — "state reset to learned bias values": memory, read vectors, head
#   weightings and controller state all start from trainable biases; no clipping.
# * `"stable"` — Collier & Beel 2018: memory starts as a small constant ($10^{-6}$,
#   not trained), the controller state at zero, read vectors and weightings learned,
#   and every raw controller output clipped to $[-20, 20]$. They found it converges
#   about twice as fast and fails far less often.
#
# **The optimiser recipe** (`train(optimizer=...)`, `ntm_core.training.RECIPES`):
#
# * `"rmsprop"` — the paper's: RMSProp with momentum 0.9, learning rate $10^{-4}$,
#   and **every gradient component clipped** to $(-10, 10)$;
# * `"adam"` — Adam at $10^{-3}$ with the **global norm** of the gradient clipped to 1.

# %%
for name, preset in PRESETS.items():
    print(f"preset {name!r:9}", preset)
for name, recipe in RECIPES.items():
    print(f"recipe {name!r:9}", recipe, "+ momentum 0.9" if name == "rmsprop" else "")

# %% [markdown]
# The two clips differ in a way that matters. Clipping by value acts on each
# component, $g_i \leftarrow \max(-c, \min(c, g_i))$, and so can turn the gradient;
# clipping by global norm rescales the whole vector,
# $g \leftarrow g \cdot \min\!\big(1, c / \lVert g\rVert\big)$, and keeps its direction.
# (Small thresholds here, to see the effect.)
#
# *Why 1?* Collier & Beel clip the global norm to 50, but of a loss summed over
# whole sequences. Our loss is a mean over every target bit, and its gradient is
# small: while copy trains, its norm sits at 0.01–0.2 and now and then spikes to
# about 3. A clip at 50 never acts (the recipe clipped each variable's norm to 50
# until late 2026, and it never did); a clip at 1 leaves the usual steps alone and
# cuts exactly the spikes. That was worth more than any other change we measured:
# the runs that used to collapse suddenly, a well-known NTM failure, mostly stopped
# doing so, and ten seeds out of ten converged (notebook 07, section 5).

# %%
g = np.array([30.0, 0.5, -12.0])
by_value = np.clip(g, -10, 10)
by_norm = g * min(1.0, 10 / np.linalg.norm(g))
cosine = lambda a, b: a @ b / np.linalg.norm(a) / np.linalg.norm(b)
print("gradient      ", g)
print("clip value 10 ", by_value, f"  direction kept: cos = {cosine(g, by_value):.3f}")
print("clip norm 10  ", by_norm.round(3), f"  direction kept: cos = {cosine(g, by_norm):.3f}")

# %% [markdown]
# We use the defaults of `ntm_core.train`: the `"stable"` preset and Adam, with
# the learning rate $10^{-3}$ and batches of 32 of the shipped checkpoint.
#
# ## 5. Where does training run?
#
# Keras places the work on a GPU by itself when the backend sees one. Will it be
# faster? Only with enough sequences per batch. The NTM is a *recurrent loop* of
# many small operations on a $128\times 20$ memory; one sequence at a time, each
# operation launches a GPU kernel that finishes almost at once and leaves the GPU
# idle. Measured on an NVIDIA H100 (JAX), a training step took 9 ms at batch 1
# (13 ms on a 2-core CPU), 12 ms at batch 32 (77 ms on the CPU) and 14 ms at
# batch 256: the GPU does 256 sequences in the time it takes for one.
#
# **On Colab**, ask for a GPU before you run anything: *Runtime → Change runtime
# type → T4 GPU* (or any GPU offered), *Save*; the runtime restarts, so run the
# notebook from the top. Colab's TensorFlow finds the GPU by itself. On your own
# machine, select the GPU before starting Jupyter (the README says how). The
# cell below prints where this kernel computes: `gpu: ...` or `cpu`.

# %%
from ntm_core.training import accelerator

print("Keras backend:", keras.backend.backend(), "| computing on:", accelerator())

# %% [markdown]
# What to expect: the shipped checkpoint was trained on a CPU by three commands.
# The first, on the paper's data, is the run this notebook repeats, except for the
# gradient clipping: it ran before the global clip of 1 (section 4) was the
# default, and its `--clipnorm 50` gives that day's clipping back. The second
# went on with the same data, the third with sequences that have blank vectors
# put in (notebook 06, section 7, says why). Its json records every command, how
# far each took the run and on what machine.

# %%
if SHIPPED:
    m = SHIPPED.get("machine", {})
    print("command:    ", SHIPPED_FIRST.get("command"))
    print("wall time:  ", f"{SHIPPED_FIRST.get('wall_time_s', float('nan')) / 60:.1f} min",
          f"({SHIPPED_FIRST.get('sequences_seen', '?')} sequences, stopped: {SHIPPED_FIRST.get('stopped')})")
    print("converged at", SHIPPED_FIRST.get("converged_at_sequences"), "sequences")
    print("machine:    ", m.get("processor"), f"{m.get('cpu_count')} CPUs,", m.get("platform"), "backend", m.get("backend"))
    for stage in SHIPPED.get("stages", [])[1:]:
        print("then:       ", stage["command"])
        print("            ", f"until {stage['sequences_seen']} sequences, {stage['wall_time_s'] / 60:.1f} min in all")
else:
    print("No shipped copy_ntm checkpoint in data/pretrained: expect a few minutes on a laptop CPU.")

# %% [markdown]
# The same command ran once on the H100 (`data/results/copy_ntm_h100.json`). Plotted
# against wall-clock time, compilation included, the two runs look like this:

# %%
import matplotlib.pyplot as plt

GPU_RUN = load_result_or_none("copy_ntm_h100")
fig, ax = plt.subplots(figsize=(6.5, 3.4))
for info, label in ((SHIPPED_FIRST, "2-core CPU, TensorFlow"), (GPU_RUN, "NVIDIA H100, JAX")):
    if info:
        plot_learning_curve(info["history"], ax=ax, x="time", label=label)
ax.axhline(0.1, color="gray", ls=":", lw=1)
ax.set_title("copy, seed 4, batch 32: validation bit errors against wall time")
plt.show()

# %% [markdown]
# ### Watching a run in TensorBoard
#
# `ntm_core.train(..., out=FOLDER)` writes TensorBoard logs to `FOLDER/logs`
# (loss, bits per sequence and bit errors, every `eval_every` steps) besides
# `history.json` and the checkpoints. To watch a run while it trains, open a
# terminal in the repository root and run
#
# ```bash
# .venv/bin/tensorboard --logdir runs/notebook_copy/logs
# ```
#
# then open <http://localhost:6006>. Inside Jupyter you can instead run
# `%load_ext tensorboard` and then `%tensorboard --logdir ../runs/notebook_copy/logs`
# (the path is relative to `notebooks/`). This notebook does not start
# TensorBoard itself, since that starts a server.

# %%
RUN_DIR = run_folder(RUN_NAME, temporary=QUICK)  # runs/ at the repository root (git ignores it)
print("this run writes to", RUN_DIR)
print("TensorBoard:  tensorboard --logdir", RUN_DIR / "logs")

# %% [markdown]
# ## 6. Train
#
# `ntm_core.train` wraps Keras' `fit` with what NTM training needs: padding to a
# fixed length, a fixed validation set at length `max_length`, the best weights
# kept, the learning rate lowered once converged, early stopping (here: validation
# bit errors below 0.1 per sequence `PATIENCE` = 20 times in a row, so that it
# goes on learning for a while at the lowered rate), a clean stop on NaN,
# and a time limit. It also guards against the NTM's best-known failure: a run that
# is well on its way and then, within a few dozen updates, falls back to chance
# level. When validation gets worse than the best so far by more than a quarter of
# chance level, training goes back to the best weights (and the optimizer's state
# at that point) and halves the learning rate; the history marks the step as
# `rolled_back`.
#
# **Quick mode:** 30 steps of 8 sequences on a $16 \times 8$ memory and lengths up to 5.
# This only shows that the machinery runs; the network will *not* learn to copy and
# its curves stay flat. **Full mode:** the configuration of the shipped checkpoint,
# until convergence or `MAX_SECONDS`.

# %%
result = ntm_core.train(
    "copy",
    batch_size=BATCH_SIZE,
    learning_rate=LEARNING_RATE,
    curriculum=False,
    steps=TRAIN_STEPS,
    max_length=MAX_LENGTH,
    memory_size=MEMORY_SIZE,
    memory_width=MEMORY_WIDTH,
    controller_units=CONTROLLER_UNITS,
    eval_every=EVAL_EVERY,
    patience=PATIENCE,
    val_sequences=VAL_SEQUENCES,
    max_seconds=MAX_SECONDS,
    jit_compile=JIT_COMPILE,
    seed=SEED,
    out=RUN_DIR,
)

# %%
best = result.best
print(f"stopped: {result.stopped} after {result.history[-1]['sequences']} sequences, {result.wall_time:.0f} s")
print(f"converged at: {result.converged_at} sequences")
print(f"best validation (length {MAX_LENGTH}): {best['val_bits_per_seq']:.2f} bits/seq, {best['val_bit_errors']:.2f} bit errors/seq")

# %% [markdown]
# **Did it converge?** Usually, but not always within a given budget: with this
# recipe all ten seeds of our sweep converged, nine within 3 minutes, after 24,800
# to 71,200 sequences, and seven of ten more within 4 minutes (notebook 07); a run
# can sit on its plateau for a long time and then drop within a few hundred steps. If yours stopped on `steps` or `time` while still far from zero
# bit errors, either run the training cell again with `resume=True` added and a
# larger `TRAIN_STEPS` or `MAX_SECONDS` (it continues from `RUN_DIR/checkpoint.keras`
# where it stopped), or change `SEED`.
# The sections below work either way; they show what this run learned.

# %% [markdown]
# ## 7. The learning curve
#
# The validation cost against the number of sequences seen, for this run and for
# the shipped checkpoint's run (logarithmic scale: the cost falls by orders of
# magnitude). A typical NTM curve sits on a plateau while the network has not yet
# found the memory loop, then drops steeply once it has. In quick mode this run
# validates on length 5 sequences only, so its numbers are not comparable.

# %%
fig = plot_learning_curve(result.history, label="this run", y="val_bits_per_seq", logy=True)
if SHIPPED_FIRST and SHIPPED_FIRST.get("history"):
    plot_learning_curve(SHIPPED_FIRST["history"], ax=fig.axes[0], label="shipped copy_ntm (first stage)",
                        y="val_bits_per_seq", logy=True)
fig

# %% [markdown]
# ## 8. Evaluation by length
#
# The model was trained on lengths up to 20. Does it copy longer sequences? Fresh
# sequences of each length, scored with the paper's metrics; `perfect` is the
# fraction copied without a single wrong bit. The shipped checkpoint's own
# evaluation (from its json, 200 sequences per length) is drawn beside it.

# %%
rows = ntm_core.evaluate(result.model, "copy", lengths=EVAL_LENGTHS, num_sequences=EVAL_SEQUENCES)
print(format_table(rows))

# %%
rows_by_model = {"this run": rows}
if SHIPPED and SHIPPED.get("evaluation"):
    rows_by_model["shipped copy_ntm"] = SHIPPED["evaluation"]["rows"]
plot_generalisation(rows_by_model, train_max_length=MAX_LENGTH)

# %% [markdown]
# And one sequence of length 20 through this run's model: input, target and output.

# %%
one = tasks.copy_batch(1, 20, rng=SEED)
prediction = np.asarray(result.model.predict_on_batch(one.x))
plot_copy_example(one.x[0], one.y[0], prediction[0], mask=one.mask[0])

# %% [markdown]
# ## What next
#
# * Notebook **06** looks inside the shipped copy NTM: where it writes, where it
#   reads, and why that is an algorithm.
# * Notebook **07** compares it with an LSTM on longer sequences.
#
# **Experiments** (set `QUICK = False` and change the call in section 6; each is a
# real training run of minutes):
#
# 1. `curriculum=True`: does it converge after fewer sequences?
# 2. The paper's recipe: `optimizer="rmsprop", preset="paper"` and the paper's
#    learning rate `1e-4`. Expect a much longer plateau.
# 3. A feed-forward controller: `controller="dense"`. Which algorithm can it learn
#    without a hidden state of its own?
# 4. Another `SEED`: how much does the time to converge vary? (Notebook 07 shows a
#    seed sweep.)
# 5. The clipping of before (section 4): add `clipnorm=50` to the call. Count the
#    rows of `result.history` marked `rolled_back`, with and without it.
