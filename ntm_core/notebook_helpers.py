"""Helpers for notebooks 05-09: figures and small computations that
:mod:`ntm_core.plots` does not cover, and short answer checks.

Figures follow the conventions of :mod:`ntm_core.plots`: every function
returns a :class:`matplotlib.figure.Figure` made with pyplot and then
detached from it, so it shows exactly once when it is the value of a cell;
bits and weightings are white = 0, black = 1, time runs to the right.

The answer checks (:func:`check_answer`) never raise: an unanswered question
reports "not done yet", so a notebook runs top to bottom unanswered.
"""

from __future__ import annotations

import math
import numbers
import tempfile
from pathlib import Path

import numpy as np
from matplotlib import pyplot as plt
from matplotlib.ticker import MaxNLocator

from ntm_core.exercises import FAILED, NOT_DONE, PASSED, CheckResult
from ntm_core.plots import BIT_CMAP, MEMORY_CMAP, image_over_time, plot_learning_curve, weighting_bars
from ntm_core.pretrained import DATA_DIR, load_result

__all__ = [
    "REPO_DIR",
    "check_answer",
    "circular_window",
    "copy_examples",
    "describe_copy_attention",
    "dnc_temporal_links",
    "explain_copy_attention",
    "format_phase_summary",
    "load_result_or_none",
    "ngram_costs",
    "ngram_true_probabilities",
    "phase_summary",
    "plot_batch_mask",
    "plot_curriculum",
    "plot_errors_by",
    "plot_head_parameters",
    "plot_link_matrix",
    "plot_memory_rows",
    "plot_ngram_example",
    "plot_outputs_by_length",
    "plot_priority_writes",
    "plot_sequence_example",
    "plot_slot_changes",
    "plot_stages_around_focus",
    "plot_sweep",
    "plot_weight_comparison",
    "pretrained_info",
    "repeat_copy_errors",
    "run_folder",
    "slot_changes",
    "used_slot_range",
]

REPO_DIR = DATA_DIR.parent


def _new_figure(figsize, **subplots_kwargs):
    fig, axes = plt.subplots(figsize=figsize, layout="constrained", **subplots_kwargs)
    plt.close(fig)  # shown once, as the value of the cell (see ntm_core.plots)
    return fig, axes


# --------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------

def run_folder(name, temporary=False):
    """Where a notebook's training run writes: ``runs/<name>`` at the repository
    root (git ignores ``runs/``), or a fresh temporary folder when ``temporary``.
    Returns a :class:`pathlib.Path`; the folder exists."""
    if temporary:
        return Path(tempfile.mkdtemp(prefix=f"ntm_{name}_"))
    path = REPO_DIR / "runs" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def pretrained_info(name):
    """The json beside a shipped checkpoint (how it was trained, its learning
    curve and evaluation) without loading the model, or None when
    ``data/pretrained/<name>.keras`` is not shipped."""
    import json

    path = DATA_DIR / "pretrained" / f"{name}.keras"
    if not path.exists():
        return None
    info = path.with_suffix(".json")
    return json.loads(info.read_text()) if info.exists() else {}


def first_stage(info):
    """A checkpoint's json cut down to the first command that trained it.

    A run trained by several commands (``copy_ntm``: the paper's data, then
    sequences with blank vectors) lists them in ``info["stages"]``, each with
    the run's totals when it ended. This keeps the first one's command, totals
    and learning curve: the run that notebook 05 repeats. ``info`` with fewer
    than two stages (or None) is returned as it is.
    """
    if not info or len(info.get("stages", [])) < 2:
        return info
    stage = info["stages"][0]
    first = {k: v for k, v in info.items() if k not in ("stages", "commands", "evaluation")}
    first.update({k: stage[k] for k in ("command", "sequences_seen", "wall_time_s", "converged_at_sequences", "stopped")})
    first["history"] = [r for r in info.get("history", []) if r["sequences"] <= stage["sequences_seen"]]
    return first


def load_result_or_none(name):
    """``ntm_core.load_result(name)``, or None when ``data/results/<name>.json``
    does not exist (a notebook then explains how to make it)."""
    try:
        return load_result(name)
    except ValueError:
        return None


# --------------------------------------------------------------------------
# answer checks
# --------------------------------------------------------------------------

def _is_unanswered(answer):
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


def check_answer(question, answer, expected, tolerance=0.0, hint=None, explanation=None):
    """Compare a number the student typed with the value the notebook computed.

    Args:
        question: a short name, e.g. ``"Question 6.1"``.
        answer: the student's answer; None (or ``...``) means not answered yet.
        expected: the correct number (computed from the trace, not hard-coded);
            None when the notebook could not compute it (then nothing is judged).
        tolerance: accepted absolute difference.
        hint: shown with a wrong answer.
        explanation: shown with a right answer.

    Returns:
        a :class:`ntm_core.exercises.CheckResult` (truthy when right). Shown as
        the value of a cell it prints its report. Never raises.
    """
    try:
        if _is_unanswered(answer):
            return CheckResult(question, NOT_DONE, "not done yet: type your answer above and run the cell again.")
        if expected is None:
            return CheckResult(question, NOT_DONE,
                               "cannot be checked here: the model did not show this behaviour on this sequence.")
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            try:
                answer = float(str(answer).strip())
            except ValueError:
                return CheckResult(question, FAILED, f"expected a number, got {answer!r}.")
        if not math.isfinite(float(answer)):
            return CheckResult(question, FAILED, f"expected a finite number, got {answer!r}.")
        if abs(float(answer) - float(expected)) <= float(tolerance) + 1e-9:
            message = f"right, {answer}."
            if explanation:
                message += " " + explanation
            return CheckResult(question, PASSED, message)
        message = f"{answer} is not it."
        if hint:
            message += " Hint: " + hint
        return CheckResult(question, FAILED, message)
    except Exception as err:  # noqa: BLE001 -- a check must never stop the notebook
        return CheckResult(question, FAILED, f"could not check this answer ({type(err).__name__}: {err}).")


# --------------------------------------------------------------------------
# the copy task: what the heads do
# --------------------------------------------------------------------------

def _signed_step(a, b, n):
    """The circular move from slot a to slot b on a ring of n slots, in [-n/2, n/2)."""
    d = (int(b) - int(a)) % n
    return d - n if d >= n / 2 else d


def describe_copy_attention(trace, length, batch_index=0, write_head=0, read_head=0):
    """Summarise what the heads of a copy NTM did on one sequence.

    The copy sequence has ``length`` input vectors (steps 0..L-1), the
    delimiter at step L and the recall at steps L+1..2L. The "focus" of a head
    at step t is the slot with the largest weight.

    Returns a dict:
        write_focus, read_focus: (T,) focus slot at every step.
        written_to: (L,) the slot where input vector i was written (step i).
        write_moves: (L-1,) circular move of the write focus between input steps.
        typical_write_move: the most common of those moves (e.g. +1).
        read_during_recall: (L,) the read focus at recall steps L+1..2L.
        recall_matches: fraction of recall steps whose read focus is the slot
            the same vector was written to.
        read_start_step: the first step t >= L (delimiter or later) at which
            the read head focuses on the slot of the first vector, or None.
        read_offset, read_offset_match: the offset k (-2..2) for which recall
            step i (i = 0..L-1) most often reads the slot the write head used
            at input step i + k, and the fraction of recall steps where it does.
        first_misread: the first recall step i (0-based: output step L+1+i)
            whose read focus is not that slot, or None.
        read_moves: circular moves of the read focus between recall steps.
        typical_read_move: the most common of those moves.
        focus_strength: mean largest weight of each head over the sequence
            ({"write": ..., "read": ...}; 1.0 = perfectly sharp).
        slots: number of memory slots N.
    """
    w = np.asarray(trace.write_heads[write_head].weights[batch_index])
    r = np.asarray(trace.read_heads[read_head].weights[batch_index])
    steps, n = w.shape
    length = int(length)
    if steps < 2 * length + 1:
        raise ValueError(f"the trace has {steps} steps; a copy sequence of length {length} needs {2 * length + 1}.")
    wf, rf = w.argmax(axis=1), r.argmax(axis=1)
    written = wf[:length]
    write_moves = np.array([_signed_step(a, b, n) for a, b in zip(written[:-1], written[1:])], int)
    recall = rf[length + 1:2 * length + 1]
    read_moves = np.array([_signed_step(a, b, n) for a, b in zip(recall[:-1], recall[1:])], int)
    start = next((t for t in range(length, steps) if rf[t] == written[0]), None)
    # Which input step's slot does recall step i read? Try offsets k: recall
    # step i reads the slot written at input step i + k (steps 0..L, the
    # delimiter included, since the write head moves on at the delimiter too).
    offsets = {}
    for k in range(-2, 3):
        pairs = [(recall[i], wf[i + k]) for i in range(length) if 0 <= i + k <= length]
        offsets[k] = float(np.mean([a == b for a, b in pairs])) if pairs else 0.0
    best_offset = max(offsets, key=lambda k: (offsets[k], -abs(k)))
    misread = [i for i in range(length) if 0 <= i + best_offset <= length and recall[i] != wf[i + best_offset]]

    def typical(moves):
        if moves.size == 0:
            return None
        values, counts = np.unique(moves, return_counts=True)
        return int(values[np.argmax(counts)])

    return {
        "write_focus": wf,
        "read_focus": rf,
        "written_to": written,
        "write_moves": write_moves,
        "typical_write_move": typical(write_moves),
        "read_during_recall": recall,
        "recall_matches": float(np.mean(recall == written)),
        "read_start_step": None if start is None else int(start),
        "read_offset": int(best_offset),
        "read_offset_match": offsets[best_offset],
        "first_misread": misread[0] if misread else None,
        "read_moves": read_moves,
        "typical_read_move": typical(read_moves),
        "focus_strength": {"write": float(w.max(axis=1).mean()), "read": float(r.max(axis=1).mean())},
        "slots": int(n),
    }


def phase_summary(trace, length, batch_index=0):
    """Mean head parameters in the three phases of one copy sequence.

    Phases: "input" (steps 0..L-1), "delimiter" (step L), "recall"
    (steps L+1..2L). Returns rows ``{"head", "phase", "g", "beta", "shift",
    "gamma", "sharpness"}``: means of the gate g (eq. 7), the key strength beta
    (eq. 5), the expected shift sum_j j s(j) (eq. 8), gamma (eq. 9) and of the
    largest weight (1.0 = all weight on one slot).
    """
    b, length = batch_index, int(length)
    phases = {"input": slice(0, length), "delimiter": slice(length, length + 1),
              "recall": slice(length + 1, 2 * length + 1)}
    rows = []
    for head in trace.heads:
        radius = head.shift.shape[2] // 2
        expected_shift = head.shift[b] @ np.arange(-radius, radius + 1)
        for phase, steps in phases.items():
            rows.append({
                "head": head.label,
                "phase": phase,
                "g": float(head.g[b, steps].mean()),
                "beta": float(head.beta[b, steps].mean()),
                "shift": float(expected_shift[steps].mean()),
                "gamma": float(head.gamma[b, steps].mean()),
                "sharpness": float(head.weights[b, steps].max(axis=-1).mean()),
            })
    return rows


def format_phase_summary(rows):
    """:func:`phase_summary` rows as a fixed-width table."""
    lines = [f"{'head':<13}{'phase':<11}{'g':>6}{'beta':>7}{'shift':>7}{'gamma':>7}{'max w':>7}"]
    for r in rows:
        lines.append(f"{r['head']:<13}{r['phase']:<11}{r['g']:>6.2f}{r['beta']:>7.2f}{r['shift']:>+7.2f}"
                     f"{r['gamma']:>7.2f}{r['sharpness']:>7.2f}")
    return "\n".join(lines)


def _how_it_moves(g, beta, shift, move):
    """A one-line reading of a head's mean parameters in a phase."""
    if move is not None and move != 0 and abs(shift - move) < 0.35 and (g < 0.5 or beta < 1.5):
        return (f"location-based: it mostly keeps its last weighting and shifts it by {move:+d} "
                f"(g = {g:.2f}, expected shift {shift:+.2f})")
    if g > 0.8 and beta > 3:
        return (f"content-based: its gate g = {g:.2f} takes the content weighting almost alone, with a sharp key "
                f"(beta = {beta:.1f}); it finds each slot by matching a key against what is stored, "
                f"not by shifting (expected shift {shift:+.2f})")
    return f"a mix of content and location (g = {g:.2f}, beta = {beta:.1f}, expected shift {shift:+.2f})"


def explain_copy_attention(trace, length, batch_index=0):
    """What the heads did on one copy sequence, in words (Markdown), computed
    from the trace: the numbers come from :func:`describe_copy_attention` and
    :func:`phase_summary`, the reading of them from simple rules (a gate g
    near 0 with an expected shift near +1 is a location-based step; g near 1
    with a large beta is a content lookup)."""
    length = int(length)
    f = describe_copy_attention(trace, length, batch_index)
    rows = {(r["head"], r["phase"]): r for r in phase_summary(trace, length, batch_index)}
    w_label, r_label = trace.write_heads[0].label, trace.read_heads[0].label
    w_in, r_rec = rows[(w_label, "input")], rows[(r_label, "recall")]
    moves = f["write_moves"]
    typical = f["typical_write_move"]
    regular = int(np.sum(moves == typical)) if typical is not None else 0
    first_read = int(f["read_focus"][length + 1])
    written_at = [t for t in range(length) if f["write_focus"][t] == first_read]
    read_rest = f["read_focus"][:length]
    rest_slots = np.unique(read_rest)
    read_typical = f["typical_read_move"]
    if typical is None or read_typical is None:
        return "The sequence is too short to say how the heads move: use a length of 3 or more."
    lines = [
        f"**Write head, input phase (steps 0–{length - 1}).** Its focus went from slot {f['written_to'][0]} "
        f"to slot {f['written_to'][-1]}, moving {typical:+d} slot per step in {regular} of {len(moves)} steps. "
        f"How: {_how_it_moves(w_in['g'], w_in['beta'], w_in['shift'], typical)}.",
        f"**Read head, input phase.** "
        + (f"It stayed on slot {int(rest_slots[0])}: nothing to read yet." if len(rest_slots) == 1 else
           f"It visited {len(rest_slots)} different slots (most often slot {int(np.bincount(read_rest).argmax())})."),
        f"**The first read.** At the first output step, t = {length + 1}, the read head is on slot {first_read}, "
        + (f"the slot the write head used at step {written_at[0]}." if written_at else
           "a slot the write head did not focus on during the input."),
        f"**Read head, recall phase (steps {length + 1}–{2 * length}).** It moved "
        f"{read_typical:+d} slot per step in {int(np.sum(f['read_moves'] == read_typical))} of "
        f"{len(f['read_moves'])} steps. At output step i (t = {length + 1} + i) it read the slot the write "
        f"head used at input step i {f['read_offset']:+d} in {f['read_offset_match']:.0%} of the steps. "
        f"How: {_how_it_moves(r_rec['g'], r_rec['beta'], r_rec['shift'], read_typical)}.",
        f"Focus: on average {f['focus_strength']['write']:.0%} of the write weight and "
        f"{f['focus_strength']['read']:.0%} of the read weight sit on a single slot.",
    ]
    return "\n\n".join(lines)


def slot_changes(model, x, vector, step=None, bits=None):
    """Where is input vector ``vector`` stored? Flip its bits and see which
    memory rows change.

    Runs the model twice with :func:`ntm_core.trace`: on ``x`` and on ``x``
    with the bits of input step ``vector`` inverted. Returns (N,) the summed
    absolute change of every memory row at ``step`` (default: the delimiter
    step, when the whole sequence has been written).
    """
    from ntm_core.trace import trace as run_trace

    x = np.asarray(x, np.float32)
    x = x[0] if x.ndim == 3 else x
    bits = x.shape[1] - 1 if bits is None else int(bits)
    length = (x.shape[0] - 1) // 2
    step = length if step is None else int(step)
    flipped = x.copy()
    flipped[vector, :bits] = 1.0 - flipped[vector, :bits]
    both = run_trace(model, np.stack([x, flipped]))
    return np.abs(both.memory[1, step] - both.memory[0, step]).sum(axis=1)


def circular_window(n, center, width):
    """``width`` slot indices of a ring of ``n`` slots, centred on ``center``
    (wrapping around: slot n-1 is the neighbour of slot 0)."""
    width = min(int(width), int(n))
    return (int(center) + np.arange(-(width // 2), width - width // 2)) % int(n)


def _label_slots(ax, slots, axis="x", max_labels=5):
    """Tick labels that name the real slots of a window (not 0, 1, 2, ...)."""
    step = max(1, int(np.ceil(len(slots) / max_labels)))
    positions = np.arange(0, len(slots), step)
    labels = [str(int(slots[i])) for i in positions]
    if axis == "x":
        ax.set_xticks(positions, labels)
    else:
        ax.set_yticks(positions, labels)


def used_slot_range(trace, batch_index=0, margin=2, threshold=0.5):
    """``(first, stop)`` of the slots any head focuses on (weight above
    ``threshold``), widened by ``margin`` -- for ``plot_attention_over_time(...,
    slots=...)`` -- or None when the used slots wrap around the end of the
    memory (e.g. slots 0 and 127), so that no single range shows them."""
    n = trace.heads[0].weights.shape[2]
    used = sorted({int(i) for head in trace.heads
                   for i in np.nonzero(head.weights[batch_index].max(axis=0) > threshold)[0]})
    if not used:
        return None
    first, last = used[0], used[-1]
    if last - first + 1 > n // 2:
        return None
    return max(0, first - margin), min(n, last + margin + 1)


def plot_stages_around_focus(head, t, width=16, batch_index=0, title=None):
    """The four addressing stages of ``head`` at step ``t`` (via
    :func:`ntm_core.plots.plot_addressing_stages`), on a window of ``width``
    slots around the head's focus; the ticks name the real slots."""
    from ntm_core.plots import plot_addressing_stages

    n = head.weights.shape[2]
    slots = circular_window(n, int(np.argmax(head.weights[batch_index, t])), width)
    fig = plot_addressing_stages(*(getattr(head, stage)[batch_index, t, slots]
                                   for stage in ("content", "interpolated", "shifted", "weights")))
    for ax in fig.axes:
        _label_slots(ax, slots)
    fig.suptitle(title or f"{head.label} at step t = {t}", fontsize="medium")
    return fig


def plot_memory_rows(memory, slots, title=None):
    """Chosen rows of a memory (N, M), in the given order (e.g. the order the
    write head visited them), via :func:`ntm_core.plots.plot_memory`; the
    vertical ticks name the real slots."""
    from ntm_core.plots import plot_memory

    slots = np.asarray(slots, int)
    fig = plot_memory(np.asarray(memory)[slots], title=title)
    _label_slots(fig.axes[0], slots, axis="y", max_labels=12)
    return fig


def plot_slot_changes(changes, vector, width=24):
    """Bar chart of :func:`slot_changes`: how much each memory row changed
    when input vector ``vector`` was flipped, on a window of ``width`` slots
    around the largest change (the ticks name the real slots)."""
    changes = np.asarray(changes, float)
    slots = circular_window(len(changes), int(np.argmax(changes)), width)
    fig, ax = _new_figure((max(5.0, 0.25 * len(slots) + 1.5), 2.8))
    ax.bar(np.arange(len(slots)), changes[slots], color="tab:purple", width=0.8)
    ax.set_xlim(-0.5, len(slots) - 0.5)
    _label_slots(ax, slots, max_labels=12)
    ax.set_xlabel("slot $i$")
    ax.set_ylabel(r"$\sum_j |\Delta M(i, j)|$")
    ax.set_title(f"memory rows that change when input vector {vector} is flipped", fontsize="medium")
    ax.grid(True, axis="y", alpha=0.3)
    return fig


def copy_examples(models, lengths, seed=0, bits=8):
    """One random copy sequence per length, run through every model.

    Args:
        models: ``{name: keras model}`` (e.g. ``{"NTM": ntm, "LSTM": lstm}``).
        lengths: the sequence lengths.

    Returns:
        a list of ``{"length", "target", "outputs": {name: output}}`` with the
        recall part only (L, bits), ready for :func:`plot_outputs_by_length`.
    """
    from ntm_core.tasks import copy_batch

    examples = []
    for length in lengths:
        batch = copy_batch(1, int(length), bits=bits, rng=np.random.default_rng([int(seed), int(length)]))
        recall = batch.mask[0] > 0
        outputs = {name: np.asarray(model.predict_on_batch(batch.x))[0][recall] for name, model in models.items()}
        examples.append({"length": int(length), "target": batch.y[0][recall], "outputs": outputs})
    return examples


def plot_outputs_by_length(examples, mark_errors=True):
    """Targets and outputs of copy sequences of several lengths (paper Figures 4-5).

    One block of rows per length: the target, then each model's output, on a
    common time scale (one step is as wide in every row, so a length-10
    sequence is a short strip and a length-120 one spans the figure). Wrong
    bits (output on the wrong side of 0.5) are marked with red dots.

    Args:
        examples: the list :func:`copy_examples` returns.

    Returns:
        the Figure.
    """
    if not examples:
        raise ValueError("`examples` is empty.")
    names = list(examples[0]["outputs"])
    longest = max(e["length"] for e in examples)
    rows_per = 1 + len(names)
    row_h, gap_h = 0.34, 0.42  # inches: one image row, the space above each block (its title)
    height = len(examples) * (rows_per * row_h + gap_h) + 0.6
    # No layout engine: fixed margins keep every block's left edge aligned,
    # so one time step is equally wide in every row.
    fig = plt.figure(figsize=(13.0, height))
    plt.close(fig)
    outer = fig.add_gridspec(len(examples), 1, left=0.11, right=0.99, top=1 - 0.5 / height, bottom=0.2 / height,
                             hspace=gap_h / (rows_per * row_h))
    for k, example in enumerate(examples):
        length = example["length"]
        inner = outer[k].subgridspec(rows_per, 2, width_ratios=[length, max(longest - length, 1e-3)],
                                     hspace=0.12, wspace=0)
        panels = [("target", example["target"])] + [(name, example["outputs"][name]) for name in names]
        for row, (label, data) in enumerate(panels):
            ax = fig.add_subplot(inner[row, 0])
            image_over_time(ax, np.asarray(data).T)
            if mark_errors and row > 0:
                wrong = (np.asarray(data) > 0.5) != (np.asarray(example["target"]) > 0.5)
                t, b = np.nonzero(wrong)
                ax.plot(t, b, ls="none", marker=".", ms=3, color="tab:red")
                label = f"{label} ({int(wrong.sum())} wrong)"
            ax.set_xlim(-0.5, length - 0.5)
            ax.set_ylim(np.asarray(data).shape[1] - 0.5, -0.5)
            ax.set_yticks([])
            ax.set_xticks([])
            ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize="small")
            if row == 0:
                ax.set_title(f"length {length}", loc="left", fontsize="medium")
    fig.suptitle("copy: targets and outputs (recall steps only; red dots = wrong bits)", fontsize="medium")
    return fig


# --------------------------------------------------------------------------
# data figures
# --------------------------------------------------------------------------

def plot_batch_mask(batch, lengths=None):
    """The (B, T) mask of a padded batch: 1 (black) on the scored steps.

    Each row is one sequence; its length is written at the right. Padding
    and input steps are 0, so the loss and the metrics never score them.
    """
    mask = np.asarray(batch.mask)
    lengths = np.asarray(batch.lengths if lengths is None else lengths)
    fig, ax = _new_figure((min(12.0, 0.2 * mask.shape[1] + 3.0), 0.3 * mask.shape[0] + 1.2))
    image_over_time(ax, mask)
    for i, length in enumerate(lengths):
        ax.text(mask.shape[1] - 0.2, i, f"  L = {int(length)}", va="center", ha="left", fontsize="small",
                clip_on=False)
    ax.set_xlabel("time step $t$")
    ax.set_ylabel("sequence $b$")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"mask $m_{{bt}}$ of a batch of {mask.shape[0]} sequences, padded to T = {mask.shape[1]} steps",
                 fontsize="medium")
    return fig


def plot_sequence_example(x, y, mask=None, prediction=None, input_labels=None, output_labels=None,
                          signed_rows=None, title=None):
    """One sequence of any task as bit images over time: input, target, output.

    Args:
        x: (T, input channels); y: (T, output channels); prediction: optional
            (T, output channels) probabilities. A batch axis of 1 is dropped.
        mask: optional (T,): unscored steps are greyed over on target and output.
        input_labels, output_labels: ``{channel: name}`` for the special
            channels (delimiters, repeat count, priority, end marker).
        signed_rows: input channels drawn on a blue-white-red scale from -1
            to 1 instead of white-black (e.g. priorities, which can be negative).
        title: figure title.
    """
    def single(a):
        a = np.asarray(a, float)
        return a[0] if a.ndim == 3 and a.shape[0] == 1 else a

    x, y = single(x), single(y)
    panels = [("input", x.T, list(signed_rows or []), input_labels), ("target", y.T, [], output_labels)]
    if prediction is not None:
        panels.append(("output of the network", single(prediction).T, [], output_labels))
    rows = [p[1].shape[0] for p in panels]
    steps = x.shape[0]
    fig, axes = _new_figure((min(14.0, max(6.0, 0.14 * steps + 2.5)), 0.2 * sum(rows) + 0.65 * len(panels) + 0.6),
                            nrows=len(panels), sharex=True, gridspec_kw={"height_ratios": rows})
    for ax, (name, data, signed, labels) in zip(axes, panels):
        bits = np.array(data, float)
        bits[signed] = np.nan  # NaN is drawn transparent: the signed rows come from the overlay
        image_over_time(ax, bits)
        if signed:
            overlay = np.full_like(bits, np.nan)
            overlay[signed] = data[signed]
            image_over_time(ax, overlay, cmap=MEMORY_CMAP, vmin=-1.0, vmax=1.0)
        ax.set_title(name, loc="left", fontsize="medium")
        ticks = sorted((labels or {}).items())
        ax.set_yticks([c for c, _ in ticks], [lab for _, lab in ticks], fontsize="small")
    if mask is not None:
        m = np.asarray(mask, float)
        m = m[0] if m.ndim == 2 else m
        for ax in axes[1:]:
            for t in np.nonzero(m <= 0)[0]:
                ax.axvspan(t - 0.5, t + 0.5, color="0.6", alpha=0.35, lw=0, zorder=3)
    axes[-1].set_xlabel("time step $t$")
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
    if title:
        fig.suptitle(title, fontsize="medium")
    return fig


def plot_curriculum(errors, log, threshold):
    """A curriculum at work: the error it is told after each update (left axis)
    and the maximum training length it chose (right axis).

    Args:
        errors: the bit errors per sequence reported at updates 1, 2, ...
        log: ``Curriculum.log``, a list of (update, max_length).
        threshold: ``Curriculum.threshold``, drawn as a dashed line.
    """
    errors = np.asarray(errors, float)
    fig, ax = _new_figure((7.0, 3.2))
    updates = np.arange(1, len(errors) + 1)
    ax.plot(updates, errors, color="tab:blue", lw=1.3, label="reported bit errors")
    ax.axhline(threshold, color="tab:blue", ls="--", lw=1, label=f"threshold {threshold:g}")
    ax.set_xlabel("curriculum update")
    ax.set_ylabel("bit errors per sequence", color="tab:blue")
    ax.set_yscale("log")
    twin = ax.twinx()
    xs = [u for u, _ in log] + [len(errors)]
    ys = [m for _, m in log] + [log[-1][1]]
    twin.step(xs, ys, where="post", color="tab:red", lw=1.8, label="max training length")
    twin.set_ylabel("max training length", color="tab:red")
    twin.yaxis.set_major_locator(MaxNLocator(integer=True))
    lines = ax.get_legend_handles_labels()
    more = twin.get_legend_handles_labels()
    fig.legend(lines[0] + more[0], lines[1] + more[1], loc="outside upper center", ncols=3, fontsize="small")
    ax.grid(True, alpha=0.3)
    return fig


def plot_head_parameters(trace, batch_index=0, length=None):
    """The head parameters over time, write head(s) and read head(s) together.

    Four panels: the key strength beta (eq. 5), the interpolation gate g
    (eq. 7: 1 = use the content weighting, 0 = keep the last weighting), the
    expected shift sum_j j s(j) (eq. 8) and the sharpening gamma (eq. 9).
    ``length`` (copy tasks) draws the delimiter step as a dotted line.
    """
    b = batch_index
    fig, axes = _new_figure((10.0, 6.0), nrows=4, sharex=True)
    for head in trace.heads:
        radius = head.shift.shape[2] // 2
        offsets = np.arange(-radius, radius + 1)
        values = {
            r"key strength $\beta$": head.beta[b],
            "gate $g$": head.g[b],
            r"expected shift $\sum_j j\,s(j)$": head.shift[b] @ offsets,
            r"sharpening $\gamma$": head.gamma[b],
        }
        style = {"ls": "-" if head.kind == "write" else "--", "lw": 1.4, "marker": ".", "ms": 4}
        for ax, (name, v) in zip(axes, values.items()):
            ax.plot(np.arange(len(v)), v, label=head.label, **style)
            ax.set_ylabel(name, fontsize="small")
    for ax in axes:
        ax.grid(True, alpha=0.3)
        if length is not None:
            ax.axvline(length, color="0.3", ls=":", lw=1)
    axes[1].set_ylim(-0.05, 1.05)
    axes[0].legend(fontsize="small", loc="upper right")
    axes[-1].set_xlabel("time step $t$" + ("  (dotted: the delimiter)" if length is not None else ""))
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def plot_errors_by(rows, x, ys, labels=None, xlabel=None, ylabel="errors per sequence", vline=None,
                   vline_label=None):
    """Lines of several columns of ``rows`` against the column ``x``.

    E.g. repeat copy's data-bit and end-marker errors against the repeat
    count (``x="repeats"``, ``ys=["data_bit_errors", "end_marker_errors"]``).
    ``vline`` draws a dashed line (e.g. the longest training value).
    """
    fig, ax = _new_figure((6.0, 3.4))
    rows = sorted(rows, key=lambda r: r[x])
    xs = [r[x] for r in rows]
    for i, key in enumerate(ys):
        ax.plot(xs, [r[key] for r in rows], marker="o", ms=4, lw=1.5,
                label=(labels or {}).get(key, key), color=f"C{i}")
    if vline is not None:
        ax.axvline(vline, color="0.4", ls="--", lw=1)
        if vline_label:
            ax.annotate(vline_label, (vline, 1), xycoords=("data", "axes fraction"), xytext=(4, -4),
                        textcoords="offset points", va="top", fontsize="small", color="0.3")
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return fig


def plot_sweep(sweep, y="val_bits_per_seq", x="sequences", logy=True):
    """The learning curves of every run of a seed sweep (``data/results/*.json``
    or what ``python -m ntm_core sweep ... --json`` writes), one line per seed.

    A run that converged is labelled with the sequences it needed; one that
    did not is drawn dotted.
    """
    fig, ax = _new_figure((7.5, 4.0))
    for run in sweep["runs"]:
        done = run.get("converged_at")
        label = f"seed {run['seed']}: " + (f"converged at {done:,}" if done is not None else f"not converged ({run.get('stopped')})")
        plot_learning_curve(run["history"], ax=ax, label=label, x=x, y=y, logy=logy)
        if done is None:
            ax.lines[-1].set_linestyle(":")
    ax.legend(fontsize="x-small", ncols=2)
    summary = sweep["summary"]
    finished = summary.get("finished", len(sweep["runs"]))
    title = f"{summary['converged']} of {finished} seeds converged"
    if finished < summary["seeds"]:
        title += f" ({summary['seeds']} planned, {summary['seeds'] - finished} not finished)"
    ax.set_title(title, fontsize="medium")
    return fig


def plot_weight_comparison(weightings, title=None, labels=None, xlabel=None):
    """Several weightings over the same slots, as bar charts side by side.

    Args:
        weightings: ``{name: (N,) array}``.
        labels: optional names of the slots (x tick labels).
        xlabel: the x axis label (default "slot i").
    """
    names = list(weightings)
    n = len(np.asarray(weightings[names[0]]))
    fig, axes = _new_figure((3.2 * len(names) + 0.6, 2.8), ncols=len(names), sharey=True, squeeze=False)
    top = max(float(np.max(w)) for w in weightings.values())
    for i, (ax, name) in enumerate(zip(axes[0], names)):
        weighting_bars(ax, np.asarray(weightings[name], float), color=f"C{i}", limit=max(1.0, top))
        ax.set_title(name, fontsize="medium")
        if labels is not None:
            ax.set_xticks(np.arange(n), labels, fontsize="small")
        if xlabel is not None:
            ax.set_xlabel(xlabel)
    axes[0][0].set_ylabel("weight")
    if title:
        fig.suptitle(title, fontsize="medium")
    return fig


# --------------------------------------------------------------------------
# dynamic n-grams
# --------------------------------------------------------------------------

def _context_indices(bits, context):
    """Index (oldest bit most significant) of the last ``context`` bits at every step."""
    seqs = np.asarray(bits).reshape(np.asarray(bits).shape[0], -1).astype(np.int64)
    index = np.zeros_like(seqs)
    mask = 2 ** context - 1
    idx = np.zeros(seqs.shape[0], np.int64)
    for t in range(seqs.shape[1]):
        idx = ((idx << 1) | seqs[:, t]) & mask
        index[:, t] = idx
    return index


def ngram_true_probabilities(x, tables, context=5):
    """P(next bit = 1) under each sequence's own n-gram table: the oracle that
    knows the table the sequence was drawn from (the predictor no learner can
    beat). x (B, T, 1) as in :class:`ntm_core.tasks.NGramTask`; tables (B, 2**context).
    Returns (B, T); steps with fewer than ``context`` bits seen get 0.5."""
    x = np.asarray(x)
    tables = np.asarray(tables)
    idx = _context_indices(x[..., 0], context)
    probs = np.take_along_axis(tables, idx, axis=1)
    probs[:, : context - 1] = 0.5
    return probs


def _unigram_probabilities(x):
    """P(next = 1) from the counts of ones so far, ignoring the context:
    (N1 + 1/2) / (N + 1), the Bayes predictor of a single coin."""
    bits = np.asarray(x)[..., 0].astype(float)
    ones = np.cumsum(bits, axis=1)
    seen = np.arange(1, bits.shape[1] + 1)[None, :]
    return (ones + 0.5) / (seen + 1.0)


def ngram_costs(batch, context=5):
    """Bits per sequence of four predictors on an n-gram batch (section 4.4).

    Returns ``{name: (B,) costs}`` for, from worst to best:
    "always 0.5" (exactly 1 bit per predicted bit), "counts ignoring the
    context" (a single coin), "Bayes-optimal (counts per context)" (the
    paper's optimum, :func:`ntm_core.tasks.ngram_bayes_optimal`) and "oracle
    (knows the table)" (:func:`ngram_true_probabilities`, needs the tables in
    ``batch.extras``).
    """
    from ntm_core.metrics import bits_per_sequence
    from ntm_core.tasks import ngram_bayes_optimal

    x, y, mask = batch.x, batch.y, batch.mask
    predictors = {
        "always 0.5": np.full(y.shape[:2], 0.5),
        "counts ignoring the context": _unigram_probabilities(x),
        f"Bayes-optimal ({context}-bit contexts)": ngram_bayes_optimal(x[..., 0], context=context),
    }
    if "tables" in batch.extras:
        predictors["oracle (knows the table)"] = ngram_true_probabilities(x, batch.extras["tables"], context)
    return {name: bits_per_sequence(y, p[..., None], mask, reduce=False) for name, p in predictors.items()}


def plot_ngram_example(y, mask, probabilities, steps=None):
    """An n-gram stream and the predicted P(next bit = 1) of several predictors.

    Args:
        y, mask: one sequence's targets (the next bits, (T, 1)) and mask (T,)
            (or with a batch axis of 1).
        probabilities: ``{name: (T,) P(next bit = 1)}``.
        steps: show only the first ``steps`` steps (long streams are hard to read).
    """
    y = np.asarray(y, float).reshape(-1)
    mask = np.asarray(mask, float).reshape(-1)
    t_max = len(y) if steps is None else min(int(steps), len(y))
    ts = np.arange(t_max)
    fig, (ax_bits, ax_p) = _new_figure((12.0, 3.8), nrows=2, sharex=True, gridspec_kw={"height_ratios": [1, 3]})
    image_over_time(ax_bits, y[None, :t_max])
    ax_bits.set_yticks([])
    ax_bits.set_title("the next bit (the target)", loc="left", fontsize="medium")
    for i, (name, p) in enumerate(probabilities.items()):
        p = np.asarray(p, float).reshape(-1)[:t_max]
        p = np.where(mask[:t_max] > 0, p, np.nan)
        ax_p.plot(ts, p, lw=1.3 if i else 1.8, label=name, color=f"C{i}", drawstyle="steps-mid")
    ax_p.scatter(ts, np.where(mask[:t_max] > 0, y[:t_max], np.nan), s=6, color="0.2", label="actual next bit", zorder=3)
    ax_p.set_ylim(-0.05, 1.05)
    ax_p.set_ylabel("P(next bit = 1)")
    ax_p.set_xlabel("time step $t$")
    fig.legend(*ax_p.get_legend_handles_labels(), loc="outside lower center", ncols=4, fontsize="small")
    ax_p.grid(True, alpha=0.3)
    return fig


# --------------------------------------------------------------------------
# repeat copy
# --------------------------------------------------------------------------

def repeat_copy_errors(model, repeats, length=10, num_sequences=20, seed=0, task=None):
    """Where repeat copy goes wrong as the repeat count grows (section 4.2).

    For each repeat count R, draws ``num_sequences`` sequences of ``length``
    vectors repeated R times and counts, per sequence, the wrong data bits and
    the wrong end-marker outputs (the end-marker channel is scored on every
    output step: it must be 0 during the copies and 1 at the very end).

    Returns rows ``{"length", "repeats", "bits_per_seq", "data_bit_errors",
    "end_marker_errors", "early_end_markers", "perfect"}`` (means per
    sequence; ``early_end_markers`` counts end markers emitted before the
    last step).
    """
    from ntm_core.metrics import bits_per_sequence
    from ntm_core.tasks import RepeatCopyTask

    task = task or RepeatCopyTask()
    bits = task.bits
    rows = []
    for r in repeats:
        rng = np.random.default_rng([int(seed), int(r), int(length)])
        batch = task.sample(num_sequences, rng, min_length=length, max_length=length,
                            min_repeats=int(r), max_repeats=int(r))
        pred = np.asarray(model.predict_on_batch(batch.x))
        wrong = ((pred > 0.5) != (batch.y > 0.5)) & (batch.mask[..., None] > 0)
        marker = wrong[..., bits]
        last = batch.mask.shape[1] - 1
        early = (pred[:, :last, bits] > 0.5) & (batch.mask[:, :last] > 0)
        rows.append({
            "length": int(length),
            "repeats": int(r),
            "bits_per_seq": bits_per_sequence(batch.y, pred, batch.mask),
            "data_bit_errors": float(wrong[..., :bits].sum(axis=(1, 2)).mean()),
            "end_marker_errors": float(marker.sum(axis=1).mean()),
            "early_end_markers": float(early.sum(axis=1).mean()),
            "perfect": float((wrong.sum(axis=(1, 2)) == 0).mean()),
        })
    return rows


# --------------------------------------------------------------------------
# priority sort
# --------------------------------------------------------------------------

def plot_priority_writes(trace, priorities, batch_index=0):
    """Priority sort (section 4.5, the paper's Figure 16): where does each
    input vector go, against its priority?

    Left: the focus slot of every write head at each input step against the
    priority of the vector seen at that step (the paper found write locations
    close to a linear function of the priority). Right: the focus slot of
    every read head at each output step (a sorted read-out visits the slots in
    order).

    Args:
        trace: a :class:`ntm_core.Trace` of one priority-sort sequence.
        priorities: (n,) the priorities of its n input vectors
            (``batch.extras["priorities"][i]``).
    """
    b = batch_index
    priorities = np.asarray(priorities, float)
    n = len(priorities)
    steps = trace.num_steps
    fig, (ax_w, ax_r) = _new_figure((10.0, 3.6), ncols=2)
    for i, head in enumerate(trace.write_heads):
        focus = head.weights[b, :n].argmax(axis=1)
        ax_w.scatter(priorities, focus, s=18, color=f"C{i}", label=head.label)
    ax_w.set_xlabel("priority of the input vector")
    ax_w.set_ylabel("write focus (slot)")
    ax_w.set_title("writes (input phase)", fontsize="medium")
    out_steps = np.arange(n + 1, steps)
    for i, head in enumerate(trace.read_heads):
        ax_r.plot(np.arange(len(out_steps)), head.weights[b, n + 1:].argmax(axis=1), marker="o", ms=3,
                  color=f"C{i}", label=head.label)
    ax_r.set_xlabel("output step (highest priority first)")
    ax_r.set_ylabel("read focus (slot)")
    ax_r.set_title("reads (output phase)", fontsize="medium")
    for ax in (ax_w, ax_r):
        ax.grid(True, alpha=0.3)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if len(ax.get_legend_handles_labels()[0]) <= 6:
            ax.legend(fontsize="x-small")
    return fig


# --------------------------------------------------------------------------
# what came after: the DNC's temporal links
# --------------------------------------------------------------------------

def plot_link_matrix(links, show=None, title=None):
    """A DNC temporal link matrix L (N x N) as an image: entry (i, j) is dark
    when slot i was written right after slot j (see :func:`dnc_temporal_links`).
    Only the first ``show`` slots are drawn."""
    links = np.asarray(links, float)
    show = links.shape[0] if show is None else min(int(show), links.shape[0])
    fig, ax = _new_figure((4.6, 4.0))
    im = ax.imshow(links[:show, :show], cmap=BIT_CMAP, vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_xlabel("slot $j$ (written first)")
    ax.set_ylabel("slot $i$ (written next)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.colorbar(im, ax=ax, shrink=0.85, label="$L[i, j]$")
    ax.set_title(title or "temporal link matrix $L$", fontsize="medium")
    return fig


def dnc_temporal_links(write_weights):
    """The Differentiable Neural Computer's temporal link matrix, computed from
    a sequence of write weightings (Graves et al. 2016, Methods, "Temporal
    memory linkage").

    Precedence p_t = (1 - sum_i w_t(i)) p_{t-1} + w_t, and
    L_t[i, j] = (1 - w_t(i) - w_t(j)) L_{t-1}[i, j] + w_t(i) p_{t-1}(j), with
    L[i, i] = 0: L[i, j] is close to 1 when slot i was written right after slot j.

    Args:
        write_weights: (T, N) write weightings (e.g. of a copy NTM's trace).

    Returns:
        (L, p): the (N, N) link matrix and the (N,) precedence after the last step.
    """
    w_all = np.asarray(write_weights, float)
    if w_all.ndim != 2:
        raise ValueError(f"`write_weights` must have shape (T, N), got {w_all.shape}.")
    n = w_all.shape[1]
    links = np.zeros((n, n))
    precedence = np.zeros(n)
    for w in w_all:
        links = (1.0 - w[:, None] - w[None, :]) * links + w[:, None] * precedence[None, :]
        np.fill_diagonal(links, 0.0)
        precedence = (1.0 - w.sum()) * precedence + w
    return links, precedence
