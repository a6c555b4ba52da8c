"""The shared look of every figure and explorer, and the primitives that draw it.

How the figures show up in Jupyter: :func:`new_figure` makes a figure with
pyplot (so the inline backend is loaded and knows how to draw figures) and
then detaches it with ``plt.close``. The inline backend would otherwise draw
every open pyplot figure at the end of the cell *and* again as the cell's
value, so the same figure would appear twice. Detached, a figure shows
exactly once when it is the value of the cell; assign it
(``fig = plot_memory(m)``) to keep it quiet, ``display(fig)`` to show it from
inside a loop. When you pass your own ``ax``, the figure is yours and pyplot
shows it as usual.

Conventions: memory slots run down the vertical axis of images (slot 0 at
the top) and time runs to the right, as in the paper's Figure 6; bits and
weightings use white = 0, black = 1; signed memory contents use a
blue-white-red map centred on 0; each addressing stage keeps one colour.
"""

import functools

import numpy as np
from matplotlib import patches
from matplotlib import pyplot as plt
from matplotlib.ticker import MaxNLocator

from ntm_core.validation import check_int

__all__ = [
    "BIT_CMAP",
    "MEMORY_CMAP",
    "STAGE_COLORS",
    "STAGE_TITLES",
    "circular_window",
    "diagram",
    "diagram_arrow",
    "diagram_box",
    "image_over_time",
    "label_slots",
    "memory_image",
    "new_figure",
    "single",
    "symmetric_limit",
    "weight_limit",
    "weighting_bars",
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


def new_figure(figsize, **subplots_kwargs):
    """``plt.subplots`` with constrained layout, detached from pyplot (see above)."""
    fig, axes = plt.subplots(figsize=figsize, layout="constrained", **subplots_kwargs)
    plt.close(fig)
    return fig, axes


def single(array, name, ndim):
    """``array`` as floats with ``ndim`` axes; a leading batch axis of size 1 is dropped."""
    a = np.asarray(array, dtype=float)
    if a.ndim == ndim + 1 and a.shape[0] == 1:
        a = a[0]
    if a.ndim != ndim:
        raise ValueError(f"`{name}` must have {ndim} dimensions (or a batch axis of 1), got shape {a.shape}.")
    return a


def symmetric_limit(*arrays, floor=1e-6):
    """The largest absolute value in ``arrays``: a colour scale centred on 0."""
    return max([floor] + [float(np.max(np.abs(a))) for a in arrays if np.size(a)])


def weight_limit(*arrays):
    """The top of a weighting axis: 1, unless a value exceeds it."""
    # Weightings live in [0, 1]; a fixed axis makes a flat and a peaked one
    # look different, which an autoscaled axis would hide.
    top = max(float(np.max(a)) for a in arrays)
    return 1.0 if top <= 1.0 else 1.05 * top


def _integer_ticks(ax):
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins="auto"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins="auto"))


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


def circular_window(n, center, width):
    """``width`` slot indices of a ring of ``n`` slots, centred on ``center``
    (wrapping around: slot n-1 is the neighbour of slot 0)."""
    n = check_int("n", n, minimum=1)
    width = min(check_int("width", width, minimum=1), n)
    center = check_int("center", center)
    return (center + np.arange(-(width // 2), width - width // 2)) % n


def label_slots(ax, slots, axis="x", max_labels=5):
    """Tick labels that name the real slots of a window (not 0, 1, 2, ...)."""
    step = max(1, int(np.ceil(len(slots) / max_labels)))
    positions = np.arange(0, len(slots), step)
    labels = [str(int(slots[i])) for i in positions]
    if axis == "x":
        ax.set_xticks(positions, labels)
    else:
        ax.set_yticks(positions, labels)


def diagram(ax, figsize, width, height):
    """Axes for a block diagram in units of ``width`` x ``height`` (a new figure of ``figsize`` if ``ax`` is None).

    Returns ``(ax, box, arrow)``: :func:`diagram_box` and :func:`diagram_arrow` bound to the axes.
    """
    if ax is None:
        _, ax = new_figure(figsize)
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax, functools.partial(diagram_box, ax), functools.partial(diagram_arrow, ax)


def diagram_box(ax, cx, cy, w, h, text, face, size="medium", edge="0.2"):
    """A rounded box of width ``w`` and height ``h`` centred at (cx, cy), with centred text (block diagrams)."""
    ax.add_patch(patches.FancyBboxPatch((cx - w / 2, cy - h / 2), w, h, boxstyle="round,pad=0.08",
                                        facecolor=face, edgecolor=edge, lw=1.2))
    ax.text(cx, cy, text, ha="center", va="center", fontsize=size)


def diagram_arrow(ax, start, end, text=None, offset=(0.0, 0.12), rad=0.0, style="-", color="0.15"):
    """An arrow from ``start`` to ``end`` (curved by ``rad``), labelled ``text`` at its middle plus ``offset``."""
    ax.add_patch(patches.FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, lw=1.4, color=color,
                                         linestyle=style, connectionstyle=f"arc3,rad={rad}"))
    if text:
        mx, my = (start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1]
        ax.text(mx, my, text, ha="center", va="bottom", fontsize="small", color="0.25")
