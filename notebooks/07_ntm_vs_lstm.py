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
# # 7. NTM against LSTM: generalising to longer sequences
#
# <!-- course-links -->
# <!-- /course-links -->
#
# The paper's copy experiment (section 4.1) trains on sequences of 1 to 20
# vectors and then asks for longer ones. A network that learned the
# *algorithm* ("write each vector to the next slot, then read them back in
# order") does not care about the length. A network that learned the lengths it
# saw does. The paper's LSTM copied the training lengths almost perfectly and
# broke down beyond them (its Figure 5); its NTM went on copying (Figure 4).
# Here you repeat that test with two trained models.

# %% [markdown]
# **After this notebook you can**
# - predict how a model that fits the training lengths does on longer
#   sequences, and check the prediction on fresh sequences;
# - read the paper's Figure 4/5-style picture of targets and outputs and point
#   to where a copy breaks down;
# - explain why an LSTM's fixed-size state does not carry a copy beyond the
#   lengths it saw, while the NTM's loop over memory slots does;
# - say what limits the NTM's copy length, and lift that limit without
#   retraining.
#
# *Time: 35 minutes core, 15 more for going deeper. Needs: notebook 06.*

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
LENGTHS = [10, 20, 30, 50, 80, 120]  # the paper's test lengths, and 80 between 50 and 120
PICTURE_LENGTHS = [10, 20, 30, 50]  # the top row of the paper's Figures 4 and 5
EVAL_SEQUENCES = 200
SEED = 0

# %%
import os
QUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")
if QUICK:
    EVAL_SEQUENCES = 20
print("quick mode" if QUICK else "full mode", f"- {EVAL_SEQUENCES} fresh sequences per length, lengths {LENGTHS}")

# %%
import matplotlib.pyplot as plt
import numpy as np

import ntm_core
from ntm_core.evaluation import format_table
from ntm_core.metrics import bit_errors_per_sequence
from ntm_core.models import PAPER_LSTM, PAPER_NTM
from ntm_core.resize import find_ntm
from ntm_core.teaching.questions import check_prediction, check_question, predict, show_choices
from ntm_core.teaching.results import first_stage
from ntm_core.viz.curves import plot_generalisation, plot_learning_curve
from ntm_core.viz.sequences import plot_outputs_by_length

# %% [markdown]
# ## 1. Two models, one task *(core)*
#
# Both models learned the paper's copy task from the same kind of data. The NTM
# has an LSTM controller, as in the paper's Table 2. The baseline is the
# paper's own (Table 3): stacked LSTM layers with a sigmoid readout. Their sizes
# are printed below; how each checkpoint was trained is in the instructor's
# appendix (`docs/instructor.md`, section 07).

# %%
models, infos = {}, {}
for label, name in {"NTM": "copy_ntm", "LSTM": "copy_lstm"}.items():
    models[label], infos[label] = ntm_core.load_pretrained(name)

paper = {"NTM": ("NTM, LSTM controller (Table 2)", PAPER_NTM["lstm"]["copy"][3]),
         "LSTM": (f"{PAPER_LSTM['copy'][0]} x {PAPER_LSTM['copy'][1]} LSTM (Table 3)", PAPER_LSTM["copy"][3])}
print(f"{'model':6}{'trained on lengths':>20}{'parameters':>12}{'paper':>12}   paper's model")
for label, model in models.items():
    config = infos[label]["config"]
    lengths_seen = f"{config['min_length']} to {config['max_length']}"
    print(f"{label:6}{lengths_seen:>20}{ntm_core.count_params(model)['trainable']:>12,}{paper[label][1]:>12,}"
          f"   {paper[label][0]}")
TRAIN_MAX_LENGTH = max(info["config"]["max_length"] for info in infos.values())

lstm_config = infos["LSTM"]["config"]
lstm_state = 2 * lstm_config["lstm_layers"] * lstm_config["lstm_units"]  # a hidden and a cell vector per layer
cell = find_ntm(models["NTM"]).cell
print(f"\nLSTM: {lstm_config['lstm_layers']} layers of {lstm_config['lstm_units']} units; what it carries from "
      f"one step to the next is {lstm_state:,} numbers (hidden and cell state of every layer).")
print(f"NTM:  an LSTM controller of {cell.controller_units} units and a memory of N = {cell.memory_size} slots "
      f"of M = {cell.memory_width} numbers ({cell.memory_size * cell.memory_width:,}).")
longest_bits = max(LENGTHS) * 8
print(f"The longest test copy (length {max(LENGTHS)}) holds {longest_bits} bits: "
      f"{'fewer' if longest_bits < lstm_state else 'more'} than the numbers in the LSTM's state.")

# %% [markdown]
# **What you should see.** Our parameter counts are close to the paper's but
# not equal (its counts cannot be rebuilt exactly from its description). The
# LSTM has many times the NTM's parameters, and its state has more numbers than
# the longest copy has bits: keep that in mind for Exercise 7.2.

# %% [markdown]
# ## 2. Predict first *(core)*
#
# ### ✏️ Exercise 7.1 — predict, then run
#
# Section 3 will show that both models copy sequences of the longest training
# length with (almost) no wrong bit. Now give the **LSTM** a sequence longer
# than any it saw (the length is printed below). How many wrong bits per
# sequence will it make on average? Answer with one of the levels printed
# below, *before* running section 3.

# %% tags=["helpers"]
import numpy as np

from ntm_core.tasks import get_task

LEVELS = {0: "almost none: under 1 wrong bit per sequence",
          1: "a few: 1 to 10 wrong bits per sequence",
          2: "many: more than 10 wrong bits per sequence"}


def error_level(bit_errors):
    """The key of LEVELS that a mean number of wrong bits per sequence falls in."""
    return 0 if bit_errors < 1 else (1 if bit_errors <= 10 else 2)


QUESTION_LENGTH = 30  # the test length of Exercise 7.1


def level_mistakes(trained_length, length, bits=8):
    """Exercise 7.1's (wrong level, hint) pairs for a model trained up to ``trained_length``."""
    extra = length - trained_length
    return [
        (0, f"you expected the LSTM to run the procedure it uses at length {trained_length} for {extra} more "
            f"vectors. Nothing in its training asked it to go beyond {trained_length}, and nothing in an LSTM "
            "makes a procedure carry over to longer sequences."),
        (1, f"a few wrong bits means almost every vector copied. Even a model that copied the first "
            f"{trained_length} vectors perfectly and guessed the other {extra} would get about "
            f"{extra} x {bits} / 2 = {extra * bits // 2} bits wrong."),
    ]


def error_rate_by_position(model, length, num_sequences, seed=0):
    """Share of wrong bits at each position of the recalled copy, over fresh sequences of one length.

    Returns an array of ``length`` shares: 0 where every sequence's vector came
    back right, about 0.5 where the model is guessing.
    """
    rng = np.random.default_rng([int(seed), int(length)])
    batch = get_task("copy").test_task().sample(num_sequences, rng, min_length=length, max_length=length)
    prediction = np.asarray(model.predict_on_batch(batch.x))
    recall = batch.mask[0] > 0  # every sequence has this length, so the recall steps are the same
    wrong = (prediction[:, recall] > 0.5) != (batch.y[:, recall] > 0.5)
    return wrong.mean(axis=(0, 2))


# %% tags=["exercise"]
print(f"The LSTM was trained on lengths up to {TRAIN_MAX_LENGTH}; the test sequence has length {QUESTION_LENGTH}.")
for level, text in LEVELS.items():
    print(level, "=", text)
my_prediction_7_1 = ...  # YOUR ANSWER: 0, 1 or 2, the LSTM's level at that length
predict("Exercise 7.1", my_prediction_7_1)

# %% [markdown]
# ## 3. Bit errors against length *(core)*
#
# The test: fresh sequences at each length, the same ones for both models,
# scored in wrong bits per sequence (outputs on the wrong side of 0.5, as in
# notebook 05). The dashed line marks the longest training length: everything
# to its right is generalisation.

# %%
rows_by_model = {label: ntm_core.evaluate(model, "copy", lengths=LENGTHS, num_sequences=EVAL_SEQUENCES, seed=SEED)
                 for label, model in models.items()}
for label, rows in rows_by_model.items():
    print(label)
    print(format_table(rows))

# %%
fig = plot_generalisation(rows_by_model, train_max_length=TRAIN_MAX_LENGTH)
ax = fig.axes[0]
ax.set_yscale("symlog", linthresh=1)  # linear below 1 wrong bit, so the zeros stay on the plot
ax.set_ylim(bottom=0)
ax.set_title("copy: trained on short sequences, tested on longer ones")
fig

# %% [markdown]
# **What you should see.** Both lines sit at (almost) zero up to the dashed
# line. Right of it the LSTM's climbs to tens, then hundreds of wrong bits, while
# the NTM's stays near zero: the paper's contrast. A small bump in the NTM's
# line is a rare failed copy, not a trend (section 6 meets such failures again).

# %% tags=["check"]
lstm_errors = next((r["bit_errors"] for r in rows_by_model["LSTM"] if r["length"] == QUESTION_LENGTH), None)
check_prediction("Exercise 7.1", None if lstm_errors is None else error_level(lstm_errors),
                 mistakes=level_mistakes(TRAIN_MAX_LENGTH, QUESTION_LENGTH),
                 explanation="Fitting the lengths it saw says nothing about the lengths it did not see.")

# %% [markdown]
# ## 4. Targets and outputs (the paper's Figures 4 and 5) *(core)*
#
# One fresh sequence per length. In each block the top row is the target (only
# the recall steps are drawn), then the LSTM's output, then the NTM's; red dots
# mark wrong bits. The paper's Figures 4 (NTM) and 5 (LSTM) show the same
# lengths, and 120 below them.

# %% tags=["helpers"]
from ntm_core.tasks import copy_batch


def copy_examples(models, lengths, seed=0, bits=8):
    """One random copy sequence per length, run through every model ({name: model}).
    Returns ``[{"length", "target", "outputs": {name: output}}]``, recall steps only."""
    examples = []
    for length in lengths:
        batch = copy_batch(1, int(length), bits=bits, rng=np.random.default_rng([int(seed), int(length)]))
        recall = batch.mask[0] > 0
        outputs = {name: np.asarray(model.predict_on_batch(batch.x))[0][recall] for name, model in models.items()}
        examples.append({"length": int(length), "target": batch.y[0][recall], "outputs": outputs})
    return examples


# %%
examples = copy_examples({"LSTM": models["LSTM"], "NTM": models["NTM"]}, PICTURE_LENGTHS, seed=SEED)
plot_outputs_by_length(examples)

# %% [markdown]
# **What you should see.** At the training lengths both outputs match their
# targets. At longer ones the LSTM's output smears into grey bands full of red
# dots (at the longest, almost from the start); the NTM's matches at every
# length. A stray red dot on the NTM is a rare failure of its own: change `SEED`
# to draw other sequences.

# %% [markdown]
# ## 5. Why the LSTM breaks down *(core)*
#
# ### ✏️ Exercise 7.2 — why?
#
# Both models fit the training lengths. Why does the LSTM fail on longer
# sequences while the NTM does not? Pick the best explanation from the choices
# printed below.

# %% tags=["exercise"]
show_choices("Exercise 7.2")
answer_7_2 = ...  # YOUR ANSWER: "a", "b", "c" or "d"

# %% tags=["check"]
check_question("Exercise 7.2", answer_7_2)

# %% [markdown]
# ## 6. Give it more memory *(core)*
#
# The controller receives the input and the read vectors and emits, for each
# head, a key, β, g, a shift and γ (eq. 5–9), and for a write head the erase
# and add vectors (eq. 3–4). None of these has the number of slots *N* in its
# shape. *N* only sets how many rows content addressing normalises over and how
# long the ring is that the shift moves around. So the same trained weights can
# run on a memory of any size.
#
# A copy NTM writes one vector per slot. A sequence longer than *N* makes the
# write head wrap around and overwrite the start of the sequence before it is
# read back: a limit of the memory, not of the learned program.

# %% [markdown]
# `ntm_core.resize_memory(model, memory_size)` (or
# `load_pretrained(name, memory_size=...)`) rebuilds the model with another *N*
# and copies every weight. Only the start state depends on *N*: the initial
# memory is tiled (new row i is old row i mod *N*), and the new slots get
# initial-weighting logits so low that the heads start where they did.
#
# ### ✏️ Exercise 7.3 — predict, then run
#
# `copy_ntm` gets a sequence longer than its memory (the length is printed
# below). Which change lets it copy that sequence? Answer before running the
# experiment; the check comes after it.


# %%
BIG_N = 512
COPY_LENGTH = 150 if QUICK else 200  # longer than the trained memory either way
trained_n = cell.memory_size
print(f"copy_ntm was trained with N = {trained_n} slots on lengths up to {TRAIN_MAX_LENGTH}; "
      f"the sequence: {COPY_LENGTH} vectors")

# %% tags=["exercise"]
show_choices("Exercise 7.3")
answer_7_3 = ...  # YOUR ANSWER: "a", "b" or "c"

# %%
resized_ntm = ntm_core.load_pretrained("copy_ntm", memory_size=BIG_N)[0]
one = get_task("copy").test_task().sample(1, SEED, min_length=COPY_LENGTH, max_length=COPY_LENGTH)
scored_bits = int(one.mask.sum()) * one.y.shape[-1]
for n, model in ((trained_n, models["NTM"]), (BIG_N, resized_ntm)):
    wrong = bit_errors_per_sequence(one.y, np.asarray(model.predict_on_batch(one.x)), one.mask, reduce=False)[0]
    print(f"N = {n:4}: a copy of {COPY_LENGTH} vectors, {wrong:.0f} of {scored_bits} bits wrong")

# %% tags=["check"]
check_question("Exercise 7.3", answer_7_3)

# %% [markdown]
# The table below was measured on many fresh sequences for each memory size
# (the same sequences for every *N*, fewer at the longest lengths; how, in
# `docs/results.md`). Each line is one memory size; the dotted line of the same
# colour marks the length equal to its *N*.

# %%
resized = ntm_core.load_result("copy_ntm_resized")
table = {(r["memory_size"], r["length"]): r for r in resized["rows"]}
sizes, lengths = resized["memory_sizes"], resized["lengths"]
print(f"{'length':>7} {'sequences':>9}" + "".join(f"{'N = ' + str(n):>16}" for n in sizes))
for length in lengths:
    cells = [table[(n, length)] for n in sizes]
    print(f"{length:>7} {cells[0]['num_sequences']:>9}"
          + "".join(f"{c['bit_errors']:>8.1f} {c['perfect']:>6.0%} " for c in cells))
print("each cell: bit errors per sequence, share of perfect copies")

fig, (ax_err, ax_perfect) = plt.subplots(1, 2, figsize=(11, 3.8))
for i, n in enumerate(sizes):
    rows = [table[(n, length)] for length in lengths]
    colour = f"C{i}"
    size = 10 - 2 * i  # later lines are drawn over earlier ones: keep each visible where they meet
    ax_err.plot(lengths, [r["bit_errors"] for r in rows], "o-", color=colour, markersize=size, label=f"N = {n}")
    ax_perfect.plot(lengths, [100 * r["perfect"] for r in rows], "o-", color=colour, markersize=size)
    for ax in (ax_err, ax_perfect):
        ax.axvline(n, color=colour, linestyle=":", linewidth=1)
ax_err.set_yscale("symlog", linthresh=1)  # linear below 1 bit, so perfect copies (0) stay on the plot
ax_err.set_ylim(bottom=0)
ax_err.set_ylabel("bit errors per sequence")
ax_perfect.set_ylabel("perfect copies (%)")
for ax in (ax_err, ax_perfect):
    ax.set_xscale("log")
    ax.set_xticks(lengths, [str(length) for length in lengths])
    ax.set_xlabel("sequence length")
ax_err.legend()
ax_err.set_title(f"copy_ntm (trained with N = {trained_n}) given other memory sizes")
plt.tight_layout()
plt.show()

# %%
for n in sizes:
    fits = [length for length in lengths if length <= n]
    too_long = [length for length in lengths if length > n]
    worst_fit = min((table[(n, length)]["perfect"] for length in fits), default=None)
    best_too_long = max((table[(n, length)]["perfect"] for length in too_long), default=None)
    print(f"N = {n:4}: lengths <= N copied perfectly in at least {worst_fit:.0%} of sequences"
          + (f"; lengths > N in at most {best_too_long:.0%}" if too_long else "; no tested length is longer"))

# %% [markdown]
# **What you should see.** With its trained memory, `copy_ntm` fails on every
# length beyond *N*, with hundreds of wrong bits (the overwritten start). Each
# bigger memory moves that cliff out to its own *N*, without retraining. The few
# failed copies left are the controller's own, the same share at every *N* that
# holds the sequence.

# %% [markdown]
# ## 7. Where in a sequence the LSTM goes wrong *(going deeper)*
#
# A mean over a whole sequence hides *where* the errors are. Below: for each
# position of the recalled copy, the share of its bits that came out wrong,
# over fresh sequences. 0 means every sequence got that vector right; 0.5 is
# guessing.

# %%
position_lengths = [TRAIN_MAX_LENGTH, 30, 50]
fig, axes = plt.subplots(1, len(position_lengths), figsize=(12, 3.2), sharey=True)
for ax, length in zip(axes, position_lengths):
    for i, (label, model) in enumerate(models.items()):
        rate = error_rate_by_position(model, length, EVAL_SEQUENCES, seed=SEED)
        ax.plot(np.arange(1, length + 1), rate, "o-", ms=3, color=f"C{i}", label=label)
        if label == "LSTM":
            broken = np.nonzero(rate > 0.25)[0]
            where = f"first at position {broken[0] + 1}" if broken.size else "at no position"
            print(f"length {length}: the LSTM gets more than a quarter of the bits wrong {where}; "
                  f"share wrong over positions 1-{TRAIN_MAX_LENGTH}: {rate[:TRAIN_MAX_LENGTH].mean():.2f}")
    ax.axhline(0.5, color="0.5", ls=":", lw=1)
    ax.set_title(f"length {length}")
    ax.set_xlabel("position in the copy")
axes[0].set_ylabel("share of bits wrong")
axes[0].legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# **What you should see.** At the training length both models get every
# position right. At longer lengths the LSTM goes wrong at positions it copies
# perfectly in a shorter sequence, then sits near 0.5 (guessing): a longer
# sequence upsets its code as a whole, not just its end. The NTM stays at 0.

# %% [markdown]
# ## 8. How fast each learned (the paper's Figure 3) *(going deeper)*
#
# The learning curves recorded while the two checkpoints trained: cost on a
# validation set of training-length sequences, against the number of training
# sequences seen. (For the NTM, the first of its training runs, on the same
# data as the LSTM's.)

# %%
curves = {"NTM": first_stage(infos["NTM"]), "LSTM": infos["LSTM"]}
ax = None
for label, info in curves.items():
    fig = plot_learning_curve(info["history"], ax=ax, label=label, y="val_bits_per_seq", logy=True)
    ax = fig.axes[0]
for label, info in curves.items():
    done = info.get("converged_at_sequences")
    print(f"{label:5} under 0.1 wrong bits per validation sequence after "
          + (f"{done:,} sequences" if done else "- not within its training"))
fig

# %% [markdown]
# **What you should see.** The NTM's cost drops steeply after a few tens of
# thousands of sequences (its line ends where that run ended); the LSTM's falls
# slowly over hundreds of thousands, as in the paper's Figure 3. The LSTM did
# learn the training lengths, slowly; what it learned does not extend beyond
# them.

# %% [markdown]
# ## Summary
#
# - Generalisation beyond the training lengths is the test that separates a
#   learned algorithm from a fit of the training data.
# - Both models copy the lengths they were trained on; beyond them the LSTM's
#   errors climb to near guessing, while the NTM keeps copying (the paper's
#   Figures 4 and 5).
# - The LSTM's fixed-size state holds a code that works for the lengths it saw;
#   a longer sequence breaks the code as a whole, not just its end.
# - The NTM's program is a loop over memory slots, addressed by location; it is
#   limited by the number of slots, and more slots extend it without retraining.
#
# Next: notebook 08 looks at the paper's other four tasks.
