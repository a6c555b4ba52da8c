"""Static figures for the notebooks (Graves, Wayne & Danihelka 2014).

Every function returns a :class:`matplotlib.figure.Figure`. Functions that
draw into one Axes take ``ax=``; :func:`plot_addressing_stages` takes
``axes=`` (four Axes). Without them a new figure is made.

How the figures show up in Jupyter: a new figure is made with pyplot (so the
inline backend is loaded and knows how to draw figures) and then detached
from pyplot with ``plt.close``. The inline backend would otherwise draw every
open pyplot figure at the end of the cell *and* again as the cell's value,
so the same figure would appear twice. Detached, a figure shows exactly once
when it is the value of the cell; assign it (``fig = plot_memory(m)``) to
keep it quiet, ``display(fig)`` to show it from inside a loop. When you pass
your own ``ax``, the figure is yours and pyplot shows it as usual.

Conventions shared with :mod:`ntm_core.explorers`: memory slots run down
the vertical axis of images (slot 0 at the top) and time runs to the right,
as in the paper's Figure 6; bits and weightings use white = 0, black = 1;
signed memory contents use a blue-white-red map centred on 0.
"""

import json
import math
from pathlib import Path

import numpy as np
from matplotlib import patches
from matplotlib import pyplot as plt
from matplotlib.ticker import MaxNLocator

__all__ = [
    "BIT_CMAP",
    "MEMORY_CMAP",
    "STAGE_COLORS",
    "STAGE_TITLES",
    "plot_addressing_stages",
    "plot_architecture",
    "plot_attention_over_time",
    "plot_copy_example",
    "plot_generalisation",
    "plot_learning_curve",
    "plot_memory",
    "plot_weighting",
]

BIT_CMAP = "Greys"
MEMORY_CMAP = "RdBu_r"
# One colour per addressing stage, used by every figure and explorer so a
# student can follow a stage from one picture to the next.
STAGE_COLORS = {
    "content": "tab:blue",
    "interpolated": "tab:orange",
    "shifted": "tab:green",
    "weights": "tab:red",
}
STAGE_TITLES = {
    "content": "content $w^c_t$ (eq. 5)",
    "interpolated": "interpolated $w^g_t$ (eq. 7)",
    "shifted": r"shifted $\tilde w_t$ (eq. 8)",
    "weights": "sharpened $w_t$ (eq. 9)",
}

_AXIS_LABELS = {
    "step": "update step",
    "sequences": "sequences seen",
    "time": "training time (s)",
    "loss": "training loss (bits per step)",
    "bits_per_seq": "training cost (bits per sequence)",
    "bit_errors": "training bit errors per sequence",
    "val_bits_per_seq": "validation cost (bits per sequence)",
    "val_bit_errors": "validation bit errors per sequence",
    "max_length": "curriculum max length",
    "length": "sequence length",
}


# --------------------------------------------------------------------------
# helpers, also used by the explorers
# --------------------------------------------------------------------------

def _new_figure(figsize, **subplots_kwargs):
    fig, axes = plt.subplots(figsize=figsize, layout="constrained", **subplots_kwargs)
    plt.close(fig)  # see the module docstring: shown once, as the cell's value
    return fig, axes


def _single(array, name, ndim):
    """Drop a leading batch axis of size 1 (B, ...) -> (...)."""
    a = np.asarray(array, dtype=float)
    if a.ndim == ndim + 1 and a.shape[0] == 1:
        a = a[0]
    if a.ndim != ndim:
        raise ValueError(f"`{name}` must have {ndim} dimensions (or a batch axis of 1), got shape {a.shape}.")
    return a


def symmetric_limit(*arrays, floor=1e-6):
    """The largest absolute value in ``arrays``: a colour scale centred on 0."""
    return max([floor] + [float(np.max(np.abs(a))) for a in arrays if np.size(a)])


def image_over_time(ax, data, cmap=BIT_CMAP, vmin=0.0, vmax=1.0, first_row=0):
    """``data`` (rows, T) as an image, one column per time step, row 0 on top.

    ``first_row`` labels the top row (for a crop of a larger array)."""
    rows, steps = np.shape(data)
    extent = (-0.5, steps - 0.5, first_row + rows - 0.5, first_row - 0.5)
    return ax.imshow(data, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto",
                     interpolation="nearest", origin="upper", extent=extent)


def memory_image(ax, memory, vmax=None, colorbar=True):
    """``memory`` (N, M) as a signed heat map, slots down, width across."""
    vmax = symmetric_limit(memory) if vmax is None else vmax
    im = ax.imshow(memory, cmap=MEMORY_CMAP, vmin=-vmax, vmax=vmax, aspect="auto",
                   interpolation="nearest", origin="upper")
    ax.set_ylabel("slot $i$")
    ax.set_xlabel("element $j$")
    _integer_ticks(ax)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.9)
    return im


def _integer_ticks(ax):
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins="auto"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins="auto"))


def weighting_bars(ax, w, color="tab:blue", horizontal=False, limit=1.0):
    """Bars of a weighting over slots; ``horizontal`` puts slot 0 at the top,
    in line with the rows of a memory image beside it."""
    slots = np.arange(len(w))
    if horizontal:
        bars = ax.barh(slots, w, height=0.8, color=color)
        ax.set_ylim(len(w) - 0.5, -0.5)
        ax.set_xlim(0, limit)
        ax.set_ylabel("slot $i$")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins="auto"))
    else:
        bars = ax.bar(slots, w, width=0.8, color=color)
        ax.set_xlim(-0.5, len(w) - 0.5)
        ax.set_ylim(0, limit)
        ax.set_xlabel("slot $i$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins="auto"))
    return bars


def _weight_limit(*arrays):
    # Weightings live in [0, 1]; a fixed axis makes a flat and a peaked one
    # look different, which an autoscaled axis would hide.
    top = max(float(np.max(a)) for a in arrays)
    return 1.0 if top <= 1.0 else 1.05 * top


# --------------------------------------------------------------------------
# the figures
# --------------------------------------------------------------------------

def plot_copy_example(x, y, prediction=None, mask=None):
    """The copy task (section 4.1) as bit images over time: input, target, output.

    Args:
        x: (T, bits + 1) input; the last channel is the delimiter. A leading
            batch axis of size 1 is dropped.
        y: (T, bits) target.
        prediction: optional (T, bits) network output (probabilities).
        mask: optional (T,) 1 on the scored steps; unscored steps are greyed
            over on the target and output.

    Returns:
        the Figure: 2 Axes (input, target), or 3 with the prediction, stacked
        on one time axis so the copy appears shifted by ``L + 1`` steps.
    """
    x = _single(x, "x", 2)
    y = _single(y, "y", 2)
    panels = [("input (the last row is the delimiter)", x.T), ("target", y.T)]
    if prediction is not None:
        p = _single(prediction, "prediction", 2)
        if p.shape != y.shape:
            raise ValueError(f"`prediction` must have the target's shape {y.shape}, got {p.shape}.")
        panels.append(("output of the network", p.T))
    steps = x.shape[0]
    if y.shape[0] != steps:
        raise ValueError(f"`x` and `y` must have the same number of steps, got {steps} and {y.shape[0]}.")
    rows = [data.shape[0] for _, data in panels]
    width = min(14.0, max(6.0, 0.22 * steps + 2.0))
    fig, axes = _new_figure((width, 0.2 * sum(rows) + 0.6 * len(panels) + 0.6),
                            nrows=len(panels), sharex=True, gridspec_kw={"height_ratios": rows})
    for ax, (title, data) in zip(axes, panels):
        image_over_time(ax, data)
        ax.set_title(title, loc="left", fontsize="medium")
        ax.set_ylabel("bit")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    axes[0].set_yticks([0, x.shape[1] - 1], ["0", "delim."])
    axes[-1].set_xlabel("time step $t$")
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
    if mask is not None:
        m = _single(mask, "mask", 1)
        for ax in axes[1:]:
            _shade_unscored(ax, m)
    return fig


def _shade_unscored(ax, mask):
    start = None
    for t, scored in enumerate(list(mask > 0) + [True]):
        if not scored and start is None:
            start = t
        elif scored and start is not None:
            ax.axvspan(start - 0.5, t - 0.5, color="0.6", alpha=0.35, lw=0, zorder=3)
            start = None


def plot_weighting(w, ax=None, title=None, color="tab:blue"):
    """A weighting w(i) over the memory slots as a bar chart (section 3).

    Args:
        w: (N,) non-negative weights summing to 1 (a batch axis of 1 is dropped).
        ax: Axes to draw into; a new figure if None.
        title: Axes title.

    Returns:
        the Figure. The bars are ``ax.containers[0]``, bar i's height is w(i).
    """
    w = _single(w, "w", 1)
    if ax is None:
        fig, ax = _new_figure((max(4.0, 0.12 * len(w) + 2.0), 2.6))
    weighting_bars(ax, w, color=color, limit=_weight_limit(w))
    ax.set_ylabel("$w(i)$")
    if title:
        ax.set_title(title)
    return ax.figure


def plot_memory(memory, ax=None, title=None, colorbar=True, vmax=None):
    """The memory matrix M (N slots x M elements, section 3) as a heat map.

    Blue is negative, red positive, white 0; the scale is symmetric about 0
    (``vmax`` fixes it, e.g. to compare two memories).

    Returns:
        the Figure: the image's Axes, plus a colorbar Axes if ``colorbar``.
    """
    memory = _single(memory, "memory", 2)
    if ax is None:
        fig, ax = _new_figure((max(3.0, 0.3 * memory.shape[1] + 2.0), max(2.5, min(8.0, 0.2 * memory.shape[0] + 1.0))))
    memory_image(ax, memory, vmax=vmax, colorbar=colorbar)
    if title:
        ax.set_title(title)
    return ax.figure


def plot_addressing_stages(content, interpolated, shifted, weights, axes=None):
    """The four stages of addressing (Figure 2) side by side, as bar charts.

    Args:
        content: (N,) content weighting w^c (eq. 5).
        interpolated: (N,) gated weighting w^g (eq. 7).
        shifted: (N,) shifted weighting w~ (eq. 8).
        weights: (N,) sharpened, final weighting w (eq. 9).
        axes: four Axes to draw into; a new 1 x 4 figure if None.

    Returns:
        the Figure with the four Axes, titled with their equation numbers,
        on a common vertical scale.
    """
    stages = {
        "content": _single(content, "content", 1),
        "interpolated": _single(interpolated, "interpolated", 1),
        "shifted": _single(shifted, "shifted", 1),
        "weights": _single(weights, "weights", 1),
    }
    sizes = {v.shape[0] for v in stages.values()}
    if len(sizes) != 1:
        raise ValueError(f"all four stages must have the same number of slots, got {sorted(sizes)}.")
    if axes is None:
        n = sizes.pop()
        fig, axes = _new_figure((max(9.0, 0.1 * 4 * n + 3.0), 2.6), ncols=4, sharey=True)
    axes = list(np.ravel(axes))
    if len(axes) != 4:
        raise ValueError(f"`axes` must hold 4 Axes, got {len(axes)}.")
    limit = _weight_limit(*stages.values())
    for ax, (name, w) in zip(axes, stages.items()):
        weighting_bars(ax, w, color=STAGE_COLORS[name], limit=limit)
        ax.set_title(STAGE_TITLES[name], fontsize="medium")
    axes[0].set_ylabel("$w(i)$")
    return axes[0].figure


def plot_attention_over_time(trace, batch_index=0, write_head=0, read_head=0, slots=None):
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
        slots: optional ``(first, stop)``: show only these memory slots (the
            paper's figure shows the few slots in use, not all 128).

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
    w_write, w_read = wh.weights[b], rh.weights[b]
    first = 0
    if slots is not None:
        first, stop = slots
        w_write, w_read = w_write[:, first:stop], w_read[:, first:stop]
    steps, width = x.shape[0], adds.shape[1]
    bit_rows = max(x.shape[1], out.shape[1])
    # Rows in proportion to their contents, but 128 slots must not squash the bits.
    rows = [bit_rows, width, min(w_write.shape[1], 4 * bit_rows)]
    fig, axes = _new_figure(
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
        image_over_time(ax, data, first_row=first if ylabel.startswith("slot") else 0, **style)
        ax.set_title(title, fontsize="medium")
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    for ax in axes[2]:
        ax.set_xlabel("time step $t$")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def _load_history(history):
    if isinstance(history, (str, Path)):
        path = Path(history)
        if path.is_dir():
            path = path / "history.json"
        history = json.loads(path.read_text())
    return list(history)


def _finite_pairs(rows, x, y):
    xs, ys = [], []
    for row in rows:
        xv, yv = row.get(x), row.get(y)
        if xv is None or yv is None:
            continue
        xv, yv = float(xv), float(yv)
        if math.isfinite(xv) and math.isfinite(yv):
            xs.append(xv)
            ys.append(yv)
    return np.array(xs), np.array(ys)


def plot_learning_curve(history, ax=None, label=None, x="sequences", y="val_bit_errors", logy=False):
    """A training curve from the rows of ``history.json`` (written by training).

    Args:
        history: a list of dicts (keys step, sequences, time, loss,
            bits_per_seq, bit_errors, val_bits_per_seq, val_bit_errors,
            max_length), or a path to a ``history.json`` or its folder.
        ax: draw into this Axes (call again with the same ``ax`` to compare runs).
        label: legend label of the line; a legend is drawn when given.
        x, y: the keys to plot. Rows where either is missing or not finite
            (NaN, inf) are skipped.
        logy: logarithmic y axis; values <= 0 are then left out.

    Returns:
        the Figure; the curve is the last line of ``ax.lines``.
    """
    rows = _load_history(history)
    if ax is None:
        fig, ax = _new_figure((6.0, 3.6))
    xs, ys = _finite_pairs(rows, x, y)
    ax.plot(xs, ys, label=label, lw=1.5)
    ax.set_xlabel(_AXIS_LABELS.get(x, x))
    ax.set_ylabel(_AXIS_LABELS.get(y, y))
    if logy:
        ax.set_yscale("log", nonpositive="mask")
    ax.grid(True, alpha=0.3)
    if label is not None:
        ax.legend()
    return ax.figure


def plot_generalisation(rows_by_model, ax=None, y="bit_errors", train_max_length=None, logy=False):
    """Errors against sequence length, one line per model (the paper's section 4.1).

    Args:
        rows_by_model: ``{model name: [{"length": L, "bits_per_seq": ...,
            "bit_errors": ...}, ...]}``, e.g. NTM and LSTM results.
        ax: draw into this Axes.
        y: ``"bit_errors"`` (bit errors per sequence) or ``"bits_per_seq"``.
        train_max_length: draws a dashed line at the longest training
            length: to its right the models generalise.
        logy: logarithmic y axis (values <= 0 left out).

    Returns:
        the Figure; one line per model in ``ax.lines`` (in dict order),
        x = lengths (sorted), y = the chosen value.
    """
    if ax is None:
        fig, ax = _new_figure((6.0, 3.6))
    for i, (name, rows) in enumerate(rows_by_model.items()):
        rows = sorted(rows, key=lambda r: r["length"])
        xs, ys = _finite_pairs(rows, "length", y)
        ax.plot(xs, ys, marker="o", ms=4, lw=1.5, label=name, color=f"C{i}")
    if train_max_length is not None:
        ax.axvline(train_max_length, color="0.4", ls="--", lw=1)
        ax.annotate("longest training length", (train_max_length, 1), xycoords=("data", "axes fraction"),
                    xytext=(4, -4), textcoords="offset points", va="top", fontsize="small", color="0.3")
    ax.set_xlabel("sequence length")
    ax.set_ylabel({"bit_errors": "bit errors per sequence", "bits_per_seq": "cost (bits per sequence)"}.get(y, y))
    if logy:
        ax.set_yscale("log", nonpositive="mask")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax.figure


def plot_architecture(ax=None):
    """The NTM as a block diagram (the paper's Figure 1).

    External input -> controller -> external output; the controller drives
    the read and write heads; write heads change the memory matrix (eq. 3-4);
    read heads read it (eq. 2) and feed the read vectors back to the
    controller at the next step.

    Returns:
        the Figure (one Axes, axis lines hidden).
    """
    if ax is None:
        fig, ax = _new_figure((8.0, 5.0))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 7)
    ax.set_aspect("equal")
    ax.axis("off")

    def box(cx, cy, w, h, text, face, size="medium"):
        ax.add_patch(patches.FancyBboxPatch((cx - w / 2, cy - h / 2), w, h, boxstyle="round,pad=0.08",
                                            facecolor=face, edgecolor="0.2", lw=1.2))
        ax.text(cx, cy, text, ha="center", va="center", fontsize=size)

    def arrow(start, end, text=None, offset=(0, 0.18), rad=0.0):
        ax.add_patch(patches.FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, lw=1.4,
                                             color="0.15", connectionstyle=f"arc3,rad={rad}"))
        if text:
            mx, my = (start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1]
            ax.text(mx, my, text, ha="center", va="bottom", fontsize="small", color="0.25")

    box(1.1, 5.6, 1.8, 0.8, "external\ninput $x_t$", "#f2f2f2")
    box(8.9, 5.6, 1.8, 0.8, "external\noutput $y_t$", "#f2f2f2")
    box(5.0, 5.6, 3.0, 1.0, "controller\n(LSTM or feed-forward)", "#cfe2f3")
    box(3.3, 3.4, 2.2, 0.8, "read heads", "#d9ead3")
    box(6.7, 3.4, 2.2, 0.8, "write heads", "#fce5cd")
    arrow((2.05, 5.6), (3.45, 5.6))
    arrow((6.55, 5.6), (7.95, 5.6))
    arrow((4.2, 5.05), (3.6, 3.85))
    ax.text(4.0, 4.3, "$k, \\beta, g, s, \\gamma$", ha="left", va="center", fontsize="small", color="0.25")
    arrow((5.8, 5.05), (6.4, 3.85))
    ax.text(6.35, 4.3, "$k, \\beta, g, s, \\gamma, e, a$", ha="left", va="center", fontsize="small", color="0.25")
    arrow((2.15, 3.4), (3.5, 5.1), rad=-0.45)
    ax.text(1.1, 4.25, "read vector $r_t$\n(controller input\nat step $t+1$)", ha="center", va="center",
            fontsize="small", color="0.25")

    # The memory as a small grid, so "matrix of N slots of width M" is visible.
    left, bottom, cols, nrows, cell = 2.6, 0.35, 12, 4, 0.4
    for r in range(nrows):
        for c in range(cols):
            ax.add_patch(patches.Rectangle((left + c * cell, bottom + r * cell), cell, cell,
                                           facecolor="#ede7f6", edgecolor="0.55", lw=0.6))
    ax.text(left + cols * cell + 0.2, bottom + nrows * cell / 2, "memory matrix\n$M_t$ ($N \\times M$)",
            ha="left", va="center", fontsize="medium")
    top = bottom + nrows * cell
    arrow((6.7, 2.95), (6.7, top + 0.05), "erase, add\n(eq. 3-4)", offset=(0.75, -0.45))
    arrow((3.3, top + 0.05), (3.3, 2.95), "read\n(eq. 2)", offset=(-0.65, -0.35))
    ax.set_title("Neural Turing Machine (Graves et al. 2014, Figure 1)", fontsize="medium")
    return ax.figure
