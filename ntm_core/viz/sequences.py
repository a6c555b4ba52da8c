"""Sequences as bit images over time: inputs, targets and outputs of the tasks.

Time runs to the right, white = 0, black = 1; steps that are not scored are
greyed over. Every function returns a :class:`matplotlib.figure.Figure` (see
:mod:`ntm_core.viz.style` for why it shows exactly once).
"""

import numpy as np
from matplotlib import pyplot as plt
from matplotlib.ticker import MaxNLocator

from ntm_core.validation import check_int
from ntm_core.viz.style import MEMORY_CMAP, image_over_time, new_figure, single

__all__ = [
    "plot_batch_mask",
    "plot_copy_example",
    "plot_ngram_example",
    "plot_outputs_by_length",
    "plot_sequence_example",
]


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
    x = single(x, "x", 2)
    y = single(y, "y", 2)
    panels = [("input (the last row is the delimiter)", x.T), ("target", y.T)]
    if prediction is not None:
        p = single(prediction, "prediction", 2)
        if p.shape != y.shape:
            raise ValueError(f"`prediction` must have the target's shape {y.shape}, got {p.shape}.")
        panels.append(("output of the network", p.T))
    steps = x.shape[0]
    if y.shape[0] != steps:
        raise ValueError(f"`x` and `y` must have the same number of steps, got {steps} and {y.shape[0]}.")
    rows = [data.shape[0] for _, data in panels]
    width = min(14.0, max(6.0, 0.22 * steps + 2.0))
    fig, axes = new_figure((width, 0.2 * sum(rows) + 0.6 * len(panels) + 0.6),
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
        m = single(mask, "mask", 1)
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
    x, y = single(x, "x", 2), single(y, "y", 2)
    panels = [("input", x.T, list(signed_rows or []), input_labels), ("target", y.T, [], output_labels)]
    if prediction is not None:
        panels.append(("output of the network", single(prediction, "prediction", 2).T, [], output_labels))
    rows = [p[1].shape[0] for p in panels]
    steps = x.shape[0]
    fig, axes = new_figure((min(14.0, max(6.0, 0.14 * steps + 2.5)), 0.2 * sum(rows) + 0.65 * len(panels) + 0.6),
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
        m = single(mask, "mask", 1)
        for ax in axes[1:]:
            for t in np.nonzero(m <= 0)[0]:
                ax.axvspan(t - 0.5, t + 0.5, color="0.6", alpha=0.35, lw=0, zorder=3)
    axes[-1].set_xlabel("time step $t$")
    axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True))
    if title:
        fig.suptitle(title, fontsize="medium")
    return fig


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
    t_max = len(y) if steps is None else min(check_int("steps", steps, minimum=1, allow_none=True), len(y))
    ts = np.arange(t_max)
    fig, (ax_bits, ax_p) = new_figure((12.0, 3.8), nrows=2, sharex=True, gridspec_kw={"height_ratios": [1, 3]})
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


def plot_batch_mask(batch, lengths=None):
    """The (B, T) mask of a padded batch: 1 (black) on the scored steps.

    Each row is one sequence; its length is written at the right. Padding
    and input steps are 0, so the loss and the metrics never score them.
    """
    mask = np.asarray(batch.mask)
    lengths = np.asarray(batch.lengths if lengths is None else lengths)
    fig, ax = new_figure((min(12.0, 0.2 * mask.shape[1] + 3.0), 0.3 * mask.shape[0] + 1.2))
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
