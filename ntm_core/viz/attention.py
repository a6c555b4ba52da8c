"""What a trained NTM's heads did, from a :class:`ntm_core.Trace`.

Attention over time (the paper's Figure 6), the head parameters over time,
the addressing stages at one step, the memory rows and slots a vector
touched, and where priority sort writes (Figure 17). Every function returns
a :class:`matplotlib.figure.Figure` (see :mod:`ntm_core.viz.style`).

Figures of weightings show by default the band of slots the heads use
(:func:`ntm_core.viz.bands.slot_band`); ``slots="all"`` shows all N.
"""

import numpy as np
from matplotlib.ticker import MaxNLocator

from ntm_core.validation import check_int
from ntm_core.viz.bands import USED, label_band, resolve_slots, slot_band
from ntm_core.viz.style import (
    MEMORY_CMAP,
    circular_window,
    image_over_time,
    label_slots,
    new_figure,
    symmetric_limit,
)
from ntm_core.viz.weightings import plot_addressing_stages, plot_memory

__all__ = [
    "plot_attention_over_time",
    "plot_head_parameters",
    "plot_memory_rows",
    "plot_priority_writes",
    "plot_slot_changes",
    "plot_stages_around_focus",
    "slot_band",
]


def plot_attention_over_time(trace, batch_index=0, write_head=0, read_head=0, slots=USED):
    """How the NTM uses its memory on one sequence: the paper's Figure 6.

    Six panels, time to the right (columns are the write side and the read
    side of the same run):

    * inputs | outputs (bits over time),
    * add vectors a_t of the write head (eq. 4) | read vectors r_t (eq. 2),
    * write weightings | read weightings (slots over time, eq. 5-9).

    On the copy task a trained NTM writes each input vector to the next slot
    (a diagonal line of write weightings) and later reads the same slots in
    the same order (the same diagonal, shifted in time).

    Args:
        trace: a :class:`ntm_core.Trace`.
        batch_index: which sequence of the batch.
        write_head, read_head: which head of each kind.
        slots: which memory slots the weighting panels show: ``"used"``
            (default: the band the heads use, :func:`slot_band`, as the
            paper's figure shows the few slots in use, not all 128),
            ``"all"``, a ``(first, stop)`` pair or slot indices. Row i shows
            slot ``slots[i]``; the ticks name the real slots.

    Returns:
        the Figure with 6 Axes, in the order of the list above, row by row.
    """
    b = batch_index
    writes, reads = trace.write_heads, trace.read_heads
    if not writes or not reads:
        raise ValueError("the trace must have at least one write head and one read head.")
    wh, rh = writes[write_head], reads[read_head]
    x, out = trace.inputs[b], trace.outputs[b]
    adds, read_vectors = wh.add[b], rh.read[b]
    band = resolve_slots(slots, trace, wh.weights.shape[2], b)
    w_write, w_read = wh.weights[b][:, band], rh.weights[b][:, band]
    steps, width = x.shape[0], adds.shape[1]
    bit_rows = max(x.shape[1], out.shape[1])
    # Rows in proportion to their contents, but 128 slots must not squash the bits.
    rows = [bit_rows, width, min(w_write.shape[1], 4 * bit_rows)]
    fig, axes = new_figure(
        (min(15.0, max(8.0, 0.25 * steps * 2 + 3.0)), min(11.0, 0.12 * sum(rows) + 3.0)),
        nrows=3, ncols=2, sharex=True, gridspec_kw={"height_ratios": rows},
    )
    limit = symmetric_limit(adds, read_vectors)
    signed = {"cmap": MEMORY_CMAP, "vmin": -limit, "vmax": limit}
    panels = [
        (axes[0, 0], x.T, "inputs", "bit", {}),
        (axes[0, 1], out.T, "outputs", "bit", {}),
        (axes[1, 0], adds.T, f"adds $a_t$ (eq. 4), {wh.label}", "element", signed),
        (axes[1, 1], read_vectors.T, f"reads $r_t$ (eq. 2), {rh.label}", "element", signed),
        (axes[2, 0], w_write.T, "write weightings $w_t$", "slot $i$", {}),
        (axes[2, 1], w_read.T, "read weightings $w_t$", "slot $i$", {}),
    ]
    for ax, data, title, ylabel, style in panels:
        image_over_time(ax, data, **style)
        ax.set_title(title, fontsize="medium")
        ax.set_ylabel(ylabel)
        if ylabel.startswith("slot"):
            label_band(ax, band, max_labels=5)
        else:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    for ax in axes[2]:
        ax.set_xlabel("time step $t$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def plot_head_parameters(trace, batch_index=0, length=None):
    """The head parameters over time, write head(s) and read head(s) together.

    Four panels: the key strength beta (eq. 5), the interpolation gate g
    (eq. 7: 1 = use the content weighting, 0 = keep the last weighting), the
    expected shift sum_j j s(j) (eq. 8) and the sharpening gamma (eq. 9).
    ``length`` (copy tasks) draws the delimiter step as a dotted line.
    """
    b = batch_index
    fig, axes = new_figure((10.0, 6.0), nrows=4, sharex=True)
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


def plot_stages_around_focus(head, t, slots=USED, batch_index=0, title=None, width=None):
    """The four addressing stages of ``head`` at step ``t`` (via
    :func:`ntm_core.viz.weightings.plot_addressing_stages`): content (eq. 5),
    interpolated (eq. 7), shifted (eq. 8), sharpened (eq. 9).

    Args:
        head: a :class:`ntm_core.trace.HeadTrace`.
        t: the time step.
        slots: the slots drawn: ``"used"`` (default: the band this head uses
            over the whole sequence, :func:`slot_band`; pass
            ``slot_band(trace)`` for the band of every head), ``"all"``, a
            ``(first, stop)`` pair or slot indices.
        width: if given, instead ``width`` slots centred on the head's focus
            at ``t`` (wrapping around the ring).

    Bar i shows slot ``slots[i]``; the ticks name the real slots.
    """
    t = check_int("t", t, minimum=0, maximum=head.weights.shape[1] - 1)
    n = head.weights.shape[2]
    if width is not None:
        band = circular_window(n, int(np.argmax(head.weights[batch_index, t])), width)
    else:
        band = resolve_slots(slots, head, n, batch_index)
    fig = plot_addressing_stages(*(getattr(head, stage)[batch_index, t, band]
                                   for stage in ("content", "interpolated", "shifted", "weights")))
    for ax in fig.axes:
        label_band(ax, band, axis="x", max_labels=5)
    fig.suptitle(title or f"{head.label} at step t = {t}", fontsize="medium")
    return fig


def plot_memory_rows(memory, slots, title=None):
    """Chosen rows of a memory (N, M), in the given order (e.g. the order the
    write head visited them), via :func:`ntm_core.viz.weightings.plot_memory`; the
    vertical ticks name the real slots."""
    slots = np.asarray(slots, int)
    fig = plot_memory(np.asarray(memory)[slots], title=title)
    label_slots(fig.axes[0], slots, axis="y", max_labels=12)
    return fig


def plot_slot_changes(changes, vector, width=24):
    """Bar chart of :func:`slot_changes`: how much each memory row changed
    when input vector ``vector`` was flipped, on a window of ``width`` slots
    around the largest change (the ticks name the real slots)."""
    changes = np.asarray(changes, float)
    slots = circular_window(len(changes), int(np.argmax(changes)), width)
    fig, ax = new_figure((max(5.0, 0.25 * len(slots) + 1.5), 2.8))
    ax.bar(np.arange(len(slots)), changes[slots], color="tab:purple", width=0.8)
    ax.set_xlim(-0.5, len(slots) - 0.5)
    label_slots(ax, slots, max_labels=12)
    ax.set_xlabel("slot $i$")
    ax.set_ylabel(r"$\sum_j |\Delta M(i, j)|$")
    ax.set_title(f"memory rows that change when input vector {vector} is flipped", fontsize="medium")
    ax.grid(True, axis="y", alpha=0.3)
    return fig


def plot_priority_writes(trace, priorities, batch_index=0):
    """Priority sort (section 4.5, the paper's Figure 17): where does each
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
    fig, (ax_w, ax_r) = new_figure((10.0, 3.6), ncols=2)
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
