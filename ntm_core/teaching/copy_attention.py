"""Reading what a copy NTM's heads did on one sequence (notebooks 06 and 09).

A copy sequence of length L has its input vectors at steps 0..L-1, the
delimiter at step L and the recall at steps L+1..2L. From a
:class:`ntm_core.Trace` these functions recover the program the heads run
(where each vector was written, where and in which order it was read), the
mean head parameters in each phase, a reading of them in words, and where a
vector is stored. The figures of the same trace are in
:mod:`ntm_core.viz.attention`.
"""

from __future__ import annotations

import numpy as np

from ntm_core.trace import trace as record_trace
from ntm_core.validation import check_int

__all__ = [
    "describe_copy_attention",
    "explain_copy_attention",
    "format_phase_summary",
    "phase_summary",
    "slot_changes",
]


def _signed_step(a, b, n):
    """The circular move from slot a to slot b on a ring of n slots, in [-n/2, n/2)."""
    d = (int(b) - int(a)) % n
    return d - n if d >= n / 2 else d


def describe_copy_attention(trace, length, batch_index=0, write_head=0, read_head=0):
    """Summarise what the heads of a copy NTM did on one sequence.

    The copy sequence has ``length`` input vectors (steps 0..L-1), the
    delimiter at step L and the recall at steps L+1..2L. The "focus" of a head
    at step t is the slot with the largest weight.

    Returns a dict with these keys::

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
    length = check_int("length", length, minimum=1)
    w = np.asarray(trace.write_heads[write_head].weights[batch_index])
    r = np.asarray(trace.read_heads[read_head].weights[batch_index])
    steps, n = w.shape
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

    Runs the model twice with :func:`ntm_core.trace.trace`: on ``x`` and on ``x``
    with the bits of input step ``vector`` inverted. Returns (N,) the summed
    absolute change of every memory row at ``step`` (default: the delimiter
    step, when the whole sequence has been written).
    """
    vector = check_int("vector", vector, minimum=0)
    x = np.asarray(x, np.float32)
    x = x[0] if x.ndim == 3 else x
    bits = x.shape[1] - 1 if bits is None else int(bits)
    length = (x.shape[0] - 1) // 2
    step = length if step is None else int(step)
    flipped = x.copy()
    flipped[vector, :bits] = 1.0 - flipped[vector, :bits]
    both = record_trace(model, np.stack([x, flipped]))
    return np.abs(both.memory[1, step] - both.memory[0, step]).sum(axis=1)
