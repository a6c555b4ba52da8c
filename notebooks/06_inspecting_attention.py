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
# # 6. Inspecting attention: watching a trained NTM copy
#
# <!-- course-links -->
# <!-- /course-links -->
#
# Most trained networks are black boxes: we see what goes in and what comes out.
# An NTM is different. Its heads decide *where* to read and write with explicit
# weightings over memory slots, and those weightings can be recorded and plotted.
# That is what made the paper convincing: its Figure 6 shows that the network
# learned something we can describe as a *program*: write each vector to the next
# slot, then go back and read them in order. Here we make that figure for a
# trained copy NTM, predict what it will show before we look, and then look closer
# than the paper did.

# %% [markdown]
# **After this notebook you can**
# - read a figure of write and read weightings over time (the paper's Figure 6) and say which slot each head uses at each step;
# - tell from a head's gate $g$ and shift $s$ whether it moves by location (eq. 7–8) or looks a slot up by content (eq. 5);
# - predict where the read head is at a given output step from where the write head started;
# - find where an input vector is stored by an intervention: flip its bits and see which memory rows change;
# - explain how a rare input, an all-zero vector, can break the program a network learned.
#
# *Time: 40 minutes core, 25 more for going deeper.* Needs: notebook 05 (and the addressing of notebook 03).

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
LENGTH = 20
SEED = 1
LONG_LENGTH = 50
FLIP_VECTOR = 5
BLANK_SEQUENCES = 1000

# %%
import os
QUICK = QUICK or os.environ.get("NTM_QUICK", "") not in ("", "0")
if QUICK:
    # Shorter traces (each step runs in plain Python) and fewer test sequences.
    LENGTH, LONG_LENGTH, BLANK_SEQUENCES = 12, 30, 200
FLIP_VECTOR = min(FLIP_VECTOR, LENGTH - 1)
print("quick mode" if QUICK else "full mode", f"- length {LENGTH}, long length {LONG_LENGTH}")

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown

import ntm_core
from ntm_core.evaluation import format_table
from ntm_core.metrics import bit_errors_per_sequence
from ntm_core.tasks import get_task
from ntm_core.teaching.copy_attention import (describe_copy_attention, explain_copy_attention, format_phase_summary,
                                              phase_summary, slot_changes)
from ntm_core.teaching.questions import check_choice, check_prediction, check_question, predict, show_choices
from ntm_core.trace import find_ntm
from ntm_core.viz.attention import (plot_attention_over_time, plot_head_parameters, plot_memory_rows,
                                    plot_slot_changes, plot_stages_around_focus, slot_band)
from ntm_core.viz.sequences import plot_copy_example
from ntm_core.widgets.inspector import AttentionInspector
from ntm_core.widgets.patterns import copy_input

# %% [markdown]
# The trained copy NTM that comes with the course (`copy_ntm`, notebook 05's
# network), and how well it copies: its own evaluation, stored with it. If it is
# missing, an *untrained* NTM stands in so that the notebook still runs, but then
# every pattern below is noise. How this checkpoint was trained is in the
# instructor's appendix ([docs/instructor.md](../docs/instructor.md), section 06).

# %%
if "copy_ntm" in ntm_core.available_pretrained():
    model, info = ntm_core.load_pretrained("copy_ntm")
    print(f"copy_ntm on {info['evaluation']['num_sequences']} fresh sequences per length "
          "(bit_errors: wrong bits per sequence; perfect: share of perfect copies)")
    print(format_table(info["evaluation"]["rows"]))
else:
    model, info = ntm_core.build_ntm("copy"), {}
    print("WARNING: no data/pretrained/copy_ntm.keras: using an UNTRAINED model; the figures show noise.")
cell = find_ntm(model).cell  # the NTMCell inside the model
N = cell.memory_size
print(f"memory {N} x {cell.memory_width}, {cell.write_heads} write head, "
      f"{cell.read_heads} read head, {cell.controller_kind} controller of {cell.controller_units} units")

# %% [markdown]
# ## 1. One sequence, recorded *(core)*
#
# `copy_input(length, seed)` makes one copy sequence (notebook 05's format): $L$
# input vectors at steps $t = 0 \dots L-1$, the delimiter at $t = L$, and the
# copy expected at $t = L+1 \dots 2L$. `ntm_core.trace(model, x)` runs it **one
# step at a time in plain Python** and keeps every intermediate value: the memory
# after each step, each head's weighting and its four addressing stages, and the
# head parameters. Its outputs are exactly the model's outputs.

# %%
x, y, mask = copy_input(LENGTH, SEED)
tr = ntm_core.trace(model, x[None])
wrong = int(bit_errors_per_sequence(y[None], tr.outputs, mask[None]))
print(f"length {LENGTH}: {tr.num_steps} steps, {wrong} wrong bits")
plot_copy_example(x, y, tr.outputs[0], mask=mask)

# %% [markdown]
# **What you should see.** The output rows repeat the input rows after the
# delimiter, with 0 wrong bits. Grey cells are outputs near 0.5: the network is
# unsure. If the output is noise, the untrained stand-in is running.

# %%
print("memory after each step   ", tr.memory.shape, "  (batch, time, slots N, width M)")
for head in tr.heads:
    print(f"{head.label:13} weights", head.weights.shape, " key", head.key.shape, " beta", head.beta.shape,
          " shift", head.shift.shape)

# %% [markdown]
# ## 2. Predict, then look: the paper's Figure 6 *(core)*
#
# The paper (section 4.1) sums up the program its NTM learned for copying:
#
# ```
# initialise: move head to start location
# while input delimiter not seen:
#     receive input vector
#     write input to head location
#     increment head location by 1
# return head to start location
# while true:
#     read output vector from head location
#     emit output
#     increment head location by 1
# ```
#
# One detail of our cell (notebook 04): the output at step $t$ is computed from
# the controller's state $h_t$ *and* the read vector $r_t$ of the same step, and
# the controller itself received the previous read $r_{t-1}$ as input.

# %% [markdown]
# **Exercise 6.1 (predict).** The cell below prints where the write head starts.
# Output $k$ is emitted at time step $t = L + k$. If the network runs the paper's
# program, on which **slot** is the read head at the step that emits the 3rd
# output, $t = L + 3$?
#
# **Exercise 6.2 (predict).** During the recall nothing is left to write. By how
# many slots per step does the write head move then: 0 if it stays, $+1$ or $-1$
# for a step?
#
# Commit to both numbers, run the cell, then run the figure.

# %% tags=["exercise"]
write_start = int(tr.write_heads[0].weights[0, 0].argmax())
print(f"The write head starts on slot {write_start}; input vector 1 arrives at step 0, the delimiter at step {LENGTH}.")
my_prediction_6_1 = ...  # YOUR ANSWER: a slot number
my_prediction_6_2 = ...  # YOUR ANSWER: slots per step during the recall (0, +1 or -1)
predict("Exercise 6.1", my_prediction_6_1)
predict("Exercise 6.2", my_prediction_6_2)

# %% [markdown]
# The paper's Figure 6 shows, for one copy sequence, the inputs and outputs, the
# vectors the write head **adds** to memory and those the read head **reads**, and
# the two heads' **weightings** over time: slots down, time to the right, black
# where the weight is. `plot_attention_over_time` draws the same six panels from
# our trace, write side on the left, read side on the right. Like the paper it
# shows only the **band of slots in use** (the tick labels name the real slots);
# `slots="all"` would draw all of them.

# %%
band = slot_band(tr)
print(f"slots in use: {len(band)} of {N} (slots {band[0]} to {band[-1]}, a few of margin included)")
plot_attention_over_time(tr)

# %% [markdown]
# **What you should see.** In the bottom panels each column is one time step. A
# **diagonal** is a head moving one slot per step (down for $+1$); a
# **horizontal** line is a head that stays put. The write diagonal runs through
# the input; the read head waits, then traces a diagonal of its own during the
# output. If the bottom panels are grey noise, the model is untrained.

# %% tags=["helpers"]
def signed_moves(slots, n):
    """The circular moves between consecutive slots on a ring of n slots, each in [-n/2, n/2)."""
    return (np.diff(np.asarray(slots, int)) + n // 2) % n - n // 2


def typical_move(slots, n):
    """The most common move between consecutive slots (None for fewer than two slots)."""
    moves = signed_moves(slots, n)
    if moves.size == 0:
        return None
    values, counts = np.unique(moves, return_counts=True)
    return int(values[np.argmax(counts)])


def read_slot_mistakes(write_start, direction, length, n):
    """(diagnosis, hint) pairs for Exercise 6.1; ``direction``: the write head's move per input step."""
    return [
        (lambda p: p == (write_start + 2 * direction) % n,
         "you took output k to be read from the slot input vector k was written to, at the very step it is "
         "emitted. Find the step where the read diagonal starts moving and the slot it starts from: is the "
         "read head early or late against that plan?"),
        (lambda p: p == length + 3,
         "L + 3 is the time step, not a slot: the paper's program returns the head to where the writing "
         "started before it reads."),
        (lambda p: 0 < ((write_start - p) * direction) % n <= n // 2,
         "that slot lies before the start of the writing: the paper's read loop moves the same way round the "
         "memory as its write loop."),
    ]


def recall_move_mistakes(radius, actual):
    """(diagnosis, hint) pairs for Exercise 6.2; ``radius``: the largest shift of eq. 8; ``actual``: the
    move the run gave (the direction hint only fits a head that moved)."""
    return [
        (lambda p: p == 0 and actual != 0,
         "you expected the head to stop because nothing is left to write. A write head has no 'off' switch: "
         "eq. 3-4 erase and add at every step wherever its weighting points, and stopping would be one more "
         "thing for the controller to learn. Look at the write weighting's recall columns."),
        (lambda p: abs(p) > radius,
         f"the shift of eq. 8 moves a weighting by at most {radius} slot per step; a longer jump would need a "
         "content lookup, and nothing is written during the recall that a key could match."),
        (lambda p: actual not in (0, None) and p == -actual,
         "look at the direction: in the figure, slot numbers grow downwards. Did anything tell the head to "
         "turn round at the delimiter?"),
    ]

# %% tags=["check"]
facts = describe_copy_attention(tr, LENGTH)
read_at_third_output = int(facts["read_focus"][LENGTH + 3])
write_direction = typical_move(facts["write_focus"][:LENGTH], N) or 1
check_prediction("Exercise 6.1", read_at_third_output,
                 mistakes=read_slot_mistakes(write_start, write_direction, LENGTH, N),
                 explanation="Compare where the read head sits at the delimiter step with where it is when "
                             "the first output comes out: the read that feeds an output reaches the controller "
                             "a step earlier, through r_{t-1}.")
write_move_in_recall = typical_move(facts["write_focus"][LENGTH:2 * LENGTH + 1], N)
check_prediction("Exercise 6.2", write_move_in_recall,
                 mistakes=recall_move_mistakes(tr.heads[0].shift.shape[2] // 2, write_move_in_recall),
                 explanation=("Whatever it writes now lands in slots beyond the sequence, which the read head "
                              "does not visit: harmless, and learning to stop would gain the network nothing."
                              if write_move_in_recall else
                              "It parks on one slot; rewriting it is harmless once nothing there is still to be read."))

# %% [markdown]
# ## 3. How the heads move: by location or by content *(core)*
#
# Two rules from notebook 03:
#
# * a gate $g$ near 0 with an expected shift near $+1$ is a **location-based
#   step**: keep the last weighting (eq. 7) and rotate it by one slot (eq. 8);
# * a gate $g$ near 1 with a large key strength $\beta$ is a **content lookup**:
#   the weighting comes from matching the key $k$ against every row (eq. 5).
#
# **Exercise 6.3 (concept).** Why does the write weighting move by exactly one
# slot per step during the input? Which head parameter does it?

# %% tags=["helpers"]
MOVE_CHOICES = {
    "a": "The key k (eq. 5): at every step the controller emits a key that matches the next empty row.",
    "b": "The shift weighting s (eq. 8): with the gate g near 0 (eq. 7) the head keeps its last weighting, "
         "and s rotates it by one slot.",
    "c": "The sharpening exponent γ (eq. 9): it pushes the weight on to the next slot.",
    "d": "The erase vector e (eq. 3): it clears the slot, so the head moves on to the next one.",
}
MOVE_HINTS = {
    "a": "every empty row holds the same initial contents, so no key can tell 'the next empty row' from any "
         "other empty row. And look at g in the write head's input row of the table below: near 0, the content "
         "weighting is ignored.",
    "b": "a location step needs a gate g near 0, but this model's write gate is near 1 during the input: the "
         "content weighting decides where it writes.",
    "c": "γ raises each weight to a power and renormalises (eq. 9): it sharpens the weighting where it already "
         "is, and never moves weight to another slot.",
    "d": "e decides what is removed from the slots the head is on (eq. 3); where the head goes next is decided "
         "by the addressing, eq. 5-9.",
}


def moves_by_location(rows, head_label, phase="input"):
    """True when a head's mean gate is below 0.5 and its mean expected shift is at least 0.5 slot away from 0."""
    row = next(r for r in rows if r["head"] == head_label and r["phase"] == phase)
    return row["g"] < 0.5 and abs(row["shift"]) >= 0.5

# %% tags=["exercise"]
for letter, text in MOVE_CHOICES.items():
    print(f"({letter}) {text}")
answer_6_3 = ...  # YOUR ANSWER: "a", "b", "c" or "d"

# %% tags=["check"]
rows = phase_summary(tr, LENGTH)
correct_6_3 = "b" if moves_by_location(rows, tr.write_heads[0].label) else "a"
check_choice("Exercise 6.3", answer_6_3, correct=correct_6_3, choices=MOVE_CHOICES,
             hints={k: v for k, v in MOVE_HINTS.items() if k != correct_6_3},
             explanation="The table below shows it: the write head's gate and expected shift in the input phase.")

# %% [markdown]
# What the heads did, in words. The text is **computed from this trace**: change
# `SEED` or `LENGTH` and it changes with them.

# %%
Markdown(explain_copy_attention(tr, LENGTH))

# %% [markdown]
# The same as mean head parameters in the three phases of the sequence (`max w`
# is the largest weight: 1.00 means all weight on one slot):

# %%
print(format_phase_summary(rows))

# %% [markdown]
# **What you should see.** A write gate $g$ near 0 and an expected shift near
# $+1$ in the input rows: "increment head location by 1" as a shift. Whether the
# read head also steps by location, or looks each slot up by content ($g$ near 1
# during the recall), decides how it copies sequences longer than any it saw:
# section 7 tests that.

# %% [markdown]
# ## 4. The head parameters over time *(going deeper)*
#
# The values the controller emits at every step (notebook 04): the key strength
# $\beta$ (eq. 5), the gate $g$ (eq. 7), the expected shift $\sum_j j\,s(j)$ of the
# shift distribution (eq. 8) and the sharpening exponent $\gamma$ (eq. 9). Solid:
# write head; dashed: read head; dotted line: the delimiter.

# %%
plot_head_parameters(tr, length=LENGTH)

# %% [markdown]
# **What you should see.** The read head's expected shift jumps from about 0 to
# about $+1$ near the delimiter: that is where it starts moving. A sharpening
# $\gamma$ well above 1 undoes the blur that shifting adds and keeps the focus on
# one slot; if $\gamma$ stayed near 1, the diagonals of section 2 would smear.
#
# ### The addressing stages at two moments
#
# Eq. 5–9 turn the parameters into a weighting in four stages: content $w^c$,
# interpolated $w^g$, shifted $\tilde w$, sharpened $w$. Here they are for the
# write head in the middle of the input and for the read head at the first
# output step, on the band of slots in use (`slots="all"` shows all of them).

# %%
t_write = LENGTH // 2
plot_stages_around_focus(tr.write_heads[0], t_write, slots=band,
                         title=f"write head at step t = {t_write} (input phase)")

# %%
t_read = LENGTH + 1
plot_stages_around_focus(tr.read_heads[0], t_read, slots=band,
                         title=f"read head at step t = {t_read} (first output step)")

# %% [markdown]
# **What you should see.** For a location-based head the content stage is flat
# (spread thinly over every slot), the interpolated stage is the last weighting,
# the shift moves it one slot on (blurred over two slots when $s$ is unsure),
# and sharpening makes it one bar again. A tall
# content bar that survives to the end would mean a content lookup.

# %% [markdown]
# ## 5. Where is a vector stored? *(core)*
#
# The weightings say where the heads *look*; they do not say what is stored
# where. We can find out with an intervention: flip every bit of one input vector,
# run the sequence again, and see which memory rows change (at the delimiter step,
# when the whole sequence has been written). `slot_changes` does exactly that.
#
# **Exercise 6.4 (predict).** The cell below prints which slot the write head
# focused on when input vector `FLIP_VECTOR` arrived. How many memory rows will
# change by more than a quarter of the largest change?

# %% tags=["helpers"]
def rows_changed(changes, share=0.25):
    """How many memory rows changed by more than ``share`` of the largest change."""
    changes = np.asarray(changes, float)
    return int(np.sum(changes > share * changes.max())) if changes.max() > 0 else 0


def rows_changed_mistakes(flip_vector, length):
    """(diagnosis, hint) pairs for Exercise 6.4."""
    return [
        (lambda p: p == 1,
         "one row is what the write weighting alone suggests: one slot per step, all weight on it. But what the "
         "write head adds at the *next* step is computed by the controller, and the controller still remembers "
         "the vector it has just seen."),
        (lambda p: p < 1,
         "flipping 8 input bits changes what the controller emits at that step, and the write head adds that "
         "to memory (eq. 4): something must change."),
        (lambda p: p >= length - flip_vector,
         "that many rows would mean every later write still depends on the flipped vector. The controller "
         "only needs to carry a vector until it is written."),
    ]

# %% tags=["exercise"]
print(f"Input vector {FLIP_VECTOR} arrived at step {FLIP_VECTOR}, when the write head focused on slot "
      f"{int(tr.write_heads[0].weights[0, FLIP_VECTOR].argmax())}.")
my_prediction_6_4 = ...  # YOUR ANSWER: a number of memory rows
predict("Exercise 6.4", my_prediction_6_4)

# %%
changes = slot_changes(model, x, FLIP_VECTOR)
print("rows that changed most:", np.argsort(-changes)[:3])
plot_slot_changes(changes, FLIP_VECTOR)

# %% tags=["check"]
changed = rows_changed(changes)
check_prediction("Exercise 6.4", changed, mistakes=rows_changed_mistakes(FLIP_VECTOR, LENGTH),
                 explanation=("The vector is spread over the slot the head was on and the rows after it: the "
                              "controller still carries it when it writes the next time, and the read side "
                              "has to undo that spread (compare Exercise 6.1)." if changed > 1 else
                              "The vector sits in one row: a sharp write weighting, and a controller that "
                              "drops the vector as soon as it is written."))

# %% [markdown]
# **What you should see.** The tallest bar at the slot the write head focused
# on, perhaps a smaller one next to it, everything else near 0. Changes spread
# over many rows would mean blurred write weightings, or a controller that keeps
# the vector in its state for many steps.
#
# The memory itself after the input phase, the rows in the order the write head
# visited them: each holds a 20-number code of an 8-bit vector (blue negative,
# red positive), not the bits themselves.

# %%
visited = facts["write_focus"][:LENGTH + 1]
plot_memory_rows(tr.memory[0, LENGTH], visited, title=f"memory after step {LENGTH}: the rows written, in order")

# %% [markdown]
# **What you should see.** Every visited row holds a different pattern; no two
# rows are copies of each other, and none is simply the 8 input bits.

# %% [markdown]
# ## 6. Step through it yourself: the AttentionInspector *(core)*
#
# The inspector records one sequence with `trace` and lets you move through time.
#
# * **time step t**: the red line in the left panels; the memory and the
#   addressing stages of the chosen head at that step appear on the right, with
#   $k, \beta, g, s, \gamma$ (and $e, a$ for the write head, $r$ for the read
#   head) as numbers;
# * **head**: the write head or the read head;
# * **slots**: *in use* shows the band of slots the heads use on this sequence,
#   *all* every slot of the memory;
# * **length** and **seed**: a new random sequence (recorded once; moving the
#   sliders afterwards only looks things up);
# * **pattern**: type your own rows of 8 bits (e.g. `11110000 00001111`) and
#   press *Run this sequence*.

# %% [markdown]
# Things to try: a length above 20; a pattern of identical rows (can a content
# lookup tell them apart?); a single row of zeros.

# %%
AttentionInspector(model, length=LENGTH, seed=SEED)

# %% [markdown]
# **What you should see.** As you move *t* through the input, the write head's
# focus (red circle) steps down one slot and a new row fills in the memory
# picture. During the output the read head steps through the same rows. With
# *slots: all* the band shrinks to a thin strip at the top.

# %% [markdown]
# ## 7. Beyond the training length *(core)*
#
# The model never saw a sequence longer than 20. The paper's NTM copied sequences
# of length 50 and more almost perfectly (its Figure 4), because "increment the
# head by one" does not care how long the sequence is. What does ours do at
# length `LONG_LENGTH`?

# %%
x_long, y_long, mask_long = copy_input(LONG_LENGTH, SEED)
tr_long = ntm_core.trace(model, x_long[None])
facts_long = describe_copy_attention(tr_long, LONG_LENGTH)
wrong_long = int(bit_errors_per_sequence(y_long[None], tr_long.outputs, mask_long[None]))
print(f"length {LONG_LENGTH}: {wrong_long} wrong bits of {8 * LONG_LENGTH}")
print("write head moved", facts_long["typical_write_move"], "slot per step in",
      int(np.sum(facts_long["write_moves"] == facts_long["typical_write_move"])), "of", LONG_LENGTH - 1, "input steps")
print("read head's first misread: output step", facts_long["first_misread"], "(None = never)")
plot_attention_over_time(tr_long)

# %% [markdown]
# **What you should see.** It depends on the program the network found (section 3):
#
# * If **both** heads move by location, nothing in the program depends on the
#   length. The diagonals simply continue, and the copy stays correct until the
#   sequence no longer fits in the memory (the shift then wraps round and
#   overwrites the start).
# * If the read head finds its slots **by content**, it needs keys that match the
#   right rows, and the keys come from the controller's state, trained on 20 steps
#   only. The read diagonal keeps up for a while and then loses the track.
#
# Networks trained from other random starts do find the second program; notebook
# 07 compares how far each kind generalises.

# %% [markdown]
# ## 8. Blank vectors: where the program breaks *(going deeper)*
#
# Even a location-based copier makes a mistake now and then. One input is
# special: an **all-zero vector**, no bit set. During the input it looks exactly
# like the silent steps after the delimiter. A network may learn the shortcut "no
# input bits: the recall has begun", which is almost always true in the paper's
# data, where a blank vector is rare:

# %%
p_blank = 2.0 ** -8  # each of the 8 bits is 0 with probability 1/2
p_sequence = 1 - (1 - p_blank) ** 20
print(f"a vector is blank with probability 1/{1 / p_blank:.0f}; a sequence of length 20 holds at least one "
      f"with probability {p_sequence:.3f}, about 1 in {1 / p_sequence:.0f}")

# %% [markdown]
# This checkpoint saw extra training sequences with a vector blanked out (the
# instructor's appendix has the story). Does it still fail? We test it on
# `BLANK_SEQUENCES` sequences of length 20, each with one vector blanked out,
# and count the copies with 5 or more wrong bits.

# %%
drawn = get_task("copy", blank_share=1.0).sample(BLANK_SEQUENCES, min_length=20, max_length=20, rng=1001)
predicted = np.asarray(model.predict(drawn.x, batch_size=500, verbose=0))
errors = bit_errors_per_sequence(drawn.y, predicted, drawn.mask, reduce=False)
failed = np.flatnonzero(errors >= 5)
print(f"{len(failed)} of {BLANK_SEQUENCES} copied wrongly (5 or more wrong bits), "
      f"{int(np.sum((errors > 0) & (errors < 5)))} with a wrong bit or few")

# %% [markdown]
# The first failure, if there is one, next to its twin with one bit set in each
# blank vector. The read head's weights (dark = weight) with the blank vectors
# (red lines) and the delimiter (blue line) marked; the cell prints what happened.

# %%
if len(failed) == 0:
    print(f"No failure among these {BLANK_SEQUENCES} sequences: this model copies every one of them.")
else:
    i = failed[0]
    x_fail, y_fail, m_fail = drawn.x[i], drawn.y[i], drawn.mask[i]
    blank = np.flatnonzero(x_fail[:20, :8].sum(-1) == 0)
    x_twin, y_twin = x_fail.copy(), y_fail.copy()
    x_twin[blank, 0], y_twin[21 + blank, 0] = 1.0, 1.0  # set one bit of each blank vector
    print(f"sequence {i}: blank vector(s) at input step(s) {blank.tolist()}")

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), sharey=True)
    for ax, xs, ys, title in ((axes[0], x_fail, y_fail, "as drawn"), (axes[1], x_twin, y_twin, "one bit set")):
        t = ntm_core.trace(model, xs[None])
        read_focus = t.read_heads[0].weights[0].argmax(axis=1)
        wrong_bits = int(bit_errors_per_sequence(ys[None], t.outputs, m_fail[None]))
        moved = [int(s) for s in np.flatnonzero(np.diff(read_focus[:21]) != 0)]
        print(f"{title:12}: {wrong_bits:3d} wrong bits; read head on slot {read_focus[20]} at the delimiter, "
              f"moved during the input after step(s) {moved or 'none'}")
        ax.imshow(t.read_heads[0].weights[0, :, :24].T, aspect="auto", cmap="Greys", vmin=0, vmax=1)
        for position in blank:
            ax.axvline(position, color="tab:red", ls=":")
        ax.axvline(20, color="tab:blue", ls=":")
        ax.set(title=f"sequence {i}, {title}: {wrong_bits} wrong bits", xlabel="time step")
    axes[0].set_ylabel("slot (read head's weight)")
    plt.show()

# %% [markdown]
# **What you should see.** With one bit set (right) the read head waits until the
# delimiter and the copy is perfect. As drawn (left), the read head takes a step
# during the input at a blank vector, as if the recall had begun, and so reads
# from the wrong slots once the recall starts. If the cell found no failure, try
# another `rng` in the sampling cell, or more sequences.
#
# **Exercise 6.5 (concept).** Why can an all-zero input vector make the read head
# start early?

# %% tags=["exercise"]
show_choices("Exercise 6.5")
answer_6_5 = ...  # YOUR ANSWER: "a", "b", "c" or "d"

# %% tags=["check"]
check_question("Exercise 6.5", answer_6_5)

# %% [markdown]
# ## Summary
#
# * `ntm_core.trace` records every weighting, stage and head parameter of a run; `plot_attention_over_time` draws the paper's Figure 6 from it, on the band of slots in use.
# * A trained copy NTM writes its vectors one slot apart by a location step: a gate $g$ near 0 keeps the last weighting and the shift $s$ (eq. 8) moves it on by one slot.
# * The read head goes back to where the writing started and steps through the same slots; since a read reaches the output through the controller, it may run a step ahead of the paper's plan.
# * Flipping one input vector and watching which memory rows change shows where the vector is stored, which the weightings alone do not.
# * A learned program can take shortcuts: an all-zero input can look like the start of the recall.
#
# Notebook 07 measures how far this program generalises, against an LSTM.
