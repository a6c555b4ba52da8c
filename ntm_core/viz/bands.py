"""Which memory slots a figure of a trained NTM shows: the band the heads use.

A trained copy NTM works in a band of a few dozen of its 128 slots. Drawn
over all 128, that band is a thin line and the addressing-stage bars are
empty to the eye. Every figure of a trace (:mod:`ntm_core.viz.attention`,
:class:`ntm_core.widgets.inspector.AttentionInspector`) therefore shows, by
default, the *band in use*: the slots whose weight ever exceeds a small
threshold, padded by a few slots on either side. ``slots="all"`` shows all N.

The memory is a ring (the shift of eq. 8 is circular: slot N-1 is the
neighbour of slot 0), so the band is the shortest arc of the ring that holds
every used slot; it may wrap around, e.g. slots 126, 127, 0, 1, ... A band is
returned as the slot indices in the order they are drawn; figures draw row i
at position i and name the real slot in the tick labels (:func:`label_band`).
"""

import numpy as np

from ntm_core.validation import check_choice, check_int, check_number, describe

__all__ = ["ALL", "USED", "label_band", "resolve_slots", "slot_band"]

USED, ALL = "used", "all"
# A weight of 0.05 is well above the residue a sharpened weighting leaves on
# every slot (gamma > 1 in eq. 9 drives it towards 0), and well below a real
# visit, which puts most of the weight on one or two slots.
THRESHOLD = 0.05
MARGIN = 3


def _weight_arrays(source, batch_index):
    """Every weighting in ``source`` as a 2-D (steps, N) array."""
    if hasattr(source, "heads"):  # a Trace: all its heads
        return [np.asarray(h.weights[batch_index], float) for h in source.heads]
    if hasattr(source, "weights"):  # one HeadTrace
        return [np.asarray(source.weights[batch_index], float)]
    arrays = source if isinstance(source, (list, tuple)) else [source]
    out = []
    for a in arrays:
        a = np.asarray(a, float)
        out.append(a.reshape(-1, a.shape[-1]))
    return out


def slot_band(source, batch_index=0, threshold=THRESHOLD, margin=MARGIN):
    """The band of memory slots the heads use, in the order to draw them.

    Args:
        source: a :class:`ntm_core.Trace` (all its heads count), one
            :class:`ntm_core.trace.HeadTrace`, or weightings as an array
            (..., N) or a list of them.
        batch_index: which sequence of a trace's batch.
        threshold: a slot is used when its weight w_t(i) (eq. 9) exceeds
            this at some step t.
        margin: slots added on either side of the used ones, as context.
            The padding wraps past slot 0 or N-1 only when the used slots
            already do, so a band that starts at slot 0 is drawn from slot 0.

    Returns:
        (B,) int array of slot indices, consecutive on the ring of N slots:
        the shortest arc that holds every used slot, padded. All N slots
        (0..N-1) when no weight exceeds ``threshold`` or the padded arc
        covers the whole ring.
    """
    batch_index = check_int("batch_index", batch_index, minimum=0)
    threshold = check_number("threshold", threshold, minimum=0.0, maximum=1.0)
    margin = check_int("margin", margin, minimum=0)
    arrays = _weight_arrays(source, batch_index)
    n = arrays[0].shape[-1]
    peak = np.max([a.max(axis=0) for a in arrays], axis=0)
    used = np.flatnonzero(peak > threshold)
    if used.size == 0:
        return np.arange(n)
    # The shortest arc holding every used slot leaves out the largest gap
    # between neighbouring used slots. gaps[k] runs from used[k] to the next
    # used slot; the last one wraps round. On a tie, leaving out the wrapping
    # gap gives a band that does not wrap, which reads more easily.
    gaps = np.diff(np.append(used, used[0] + n))
    k = len(gaps) - 1 - int(np.argmax(gaps[::-1]))
    first, last = int(used[(k + 1) % len(used)]), int(used[k])
    if first <= last:  # the arc does not wrap: pad within 0..N-1
        first, last = max(0, first - margin), min(n - 1, last + margin)
        return np.arange(first, last + 1)
    size = (last - first) % n + 1 + 2 * margin
    if size >= n:
        return np.arange(n)
    return (first - margin + np.arange(size)) % n


def resolve_slots(slots, source, n, batch_index=0):
    """The slots a figure draws, from its ``slots`` argument.

    Args:
        slots: ``"used"`` (the band in use, :func:`slot_band` of ``source``),
            ``"all"`` (0..N-1), a ``(first, stop)`` pair (slots first..stop-1)
            or a sequence of slot indices (drawn in that order).
        source: what :func:`slot_band` reads for ``"used"``.
        n: the number of memory slots N.

    Returns:
        int array of slot indices in drawing order.
    """
    if isinstance(slots, str):
        check_choice("slots", slots, (USED, ALL))
        return slot_band(source, batch_index) if slots == USED else np.arange(n)
    if isinstance(slots, tuple) and len(slots) == 2:
        first = check_int("slots[0]", slots[0], minimum=0, maximum=n - 1)
        stop = check_int("slots[1]", slots[1], minimum=first + 1, maximum=n)
        return np.arange(first, stop)
    index = np.asarray(slots)
    if index.ndim != 1 or index.size == 0 or not np.issubdtype(index.dtype, np.integer):
        raise TypeError(f"`slots` must be 'used', 'all', a (first, stop) pair or slot indices, got {describe(slots)}.")
    if index.min() < 0 or index.max() >= n:
        raise ValueError(f"`slots` must hold slot indices from 0 to {n - 1}, got {index.min()} to {index.max()}.")
    return index.astype(int)


NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def label_band(ax, slots, axis="y", max_labels=6):
    """Ticks for a band drawn at positions 0..B-1, labelled with the real
    slots: those that are multiples of a round step (0, 10, 20, ... or
    125, 0, 5, ... across a wrap), at most ``max_labels`` of them."""
    slots = np.asarray(slots, int)
    for step in NICE_STEPS:
        positions = np.flatnonzero(slots % step == 0)
        if len(positions) <= max_labels:
            break
    if len(positions) == 0:
        positions = np.array([0])
    labels = [str(int(slots[i])) for i in positions]
    (ax.set_yticks if axis == "y" else ax.set_xticks)(positions, labels)
