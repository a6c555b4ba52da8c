"""Weightings and memories as pictures (section 3 and Figure 2 of the paper).

Every function returns a :class:`matplotlib.figure.Figure`. Functions that
draw into one Axes take ``ax=``; :func:`plot_addressing_stages` takes
``axes=`` (four Axes). Without them a new figure is made (see
:mod:`ntm_core.viz.style` for why it shows exactly once).
"""

import numpy as np

from ntm_core.viz.style import (
    STAGE_COLORS,
    STAGE_TITLES,
    memory_image,
    new_figure,
    single,
    weight_limit,
    weighting_bars,
)

__all__ = ["plot_addressing_stages", "plot_memory", "plot_weighting"]


def plot_weighting(w, ax=None, title=None, color="tab:blue"):
    """A weighting w(i) over the memory slots as a bar chart (section 3).

    Args:
        w: (N,) non-negative weights summing to 1 (a batch axis of 1 is dropped).
        ax: Axes to draw into; a new figure if None.
        title: Axes title.

    Returns:
        the Figure. The bars are ``ax.containers[0]``, bar i's height is w(i).
    """
    w = single(w, "w", 1)
    if ax is None:
        fig, ax = new_figure((max(4.0, 0.12 * len(w) + 2.0), 2.6))
    weighting_bars(ax, w, color=color, limit=weight_limit(w))
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
    memory = single(memory, "memory", 2)
    if ax is None:
        fig, ax = new_figure((max(3.0, 0.3 * memory.shape[1] + 2.0), max(2.5, min(8.0, 0.2 * memory.shape[0] + 1.0))))
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
        "content": single(content, "content", 1),
        "interpolated": single(interpolated, "interpolated", 1),
        "shifted": single(shifted, "shifted", 1),
        "weights": single(weights, "weights", 1),
    }
    sizes = {v.shape[0] for v in stages.values()}
    if len(sizes) != 1:
        raise ValueError(f"all four stages must have the same number of slots, got {sorted(sizes)}.")
    if axes is None:
        n = sizes.pop()
        fig, axes = new_figure((max(9.0, 0.1 * 4 * n + 3.0), 2.6), ncols=4, sharey=True)
    axes = list(np.ravel(axes))
    if len(axes) != 4:
        raise ValueError(f"`axes` must hold 4 Axes, got {len(axes)}.")
    limit = weight_limit(*stages.values())
    for ax, (name, w) in zip(axes, stages.items()):
        weighting_bars(ax, w, color=STAGE_COLORS[name], limit=limit)
        ax.set_title(STAGE_TITLES[name], fontsize="medium")
    axes[0].set_ylabel("$w(i)$")
    return axes[0].figure
