"""Learning curves and results against one variable: training progress,
generalisation to longer sequences, seed sweeps and any table of rows.

Every function returns a :class:`matplotlib.figure.Figure` (see
:mod:`ntm_core.viz.style` for why it shows exactly once).
"""

import json
import math
from pathlib import Path

import numpy as np
from matplotlib.ticker import MaxNLocator

from ntm_core.viz.style import new_figure

__all__ = ["plot_curriculum", "plot_errors_by", "plot_generalisation", "plot_learning_curve", "plot_sweep"]

_AXIS_LABELS = {
    "step": "update step",
    "sequences": "sequences seen",
    "time": "training time (s)",
    # Keras' loss: cross-entropy in nats, mean over bits, then over every step of
    # the padded batch (unscored steps count as 0): not the paper's bits per sequence.
    "loss": "training loss (nats per bit, mean over all steps)",
    "bits_per_seq": "training cost (bits per sequence)",
    "bit_errors": "training bit errors per sequence",
    "val_bits_per_seq": "validation cost (bits per sequence)",
    "val_bit_errors": "validation bit errors per sequence",
    "max_length": "curriculum max length",
    "length": "sequence length",
}


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
        fig, ax = new_figure((6.0, 3.6))
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
        fig, ax = new_figure((6.0, 3.6))
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


def plot_errors_by(rows, x, ys, labels=None, xlabel=None, ylabel="errors per sequence", vline=None,
                   vline_label=None):
    """Lines of several columns of ``rows`` against the column ``x``.

    E.g. repeat copy's data-bit and end-marker errors against the repeat
    count (``x="repeats"``, ``ys=["data_bit_errors", "end_marker_errors"]``).
    ``vline`` draws a dashed line (e.g. the longest training value).
    """
    fig, ax = new_figure((6.0, 3.4))
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
    fig, ax = new_figure((7.5, 4.0))
    for run in sweep["runs"]:
        done = run.get("converged_at")
        outcome = f"converged at {done:,}" if done is not None else f"not converged ({run.get('stopped')})"
        label = f"seed {run['seed']}: {outcome}"
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


def plot_curriculum(errors, log, threshold):
    """A curriculum at work: the error it is told after each update (left axis)
    and the maximum training length it chose (right axis).

    Args:
        errors: the bit errors per sequence reported at updates 1, 2, ...
        log: ``Curriculum.log``, a list of (update, max_length).
        threshold: ``Curriculum.threshold``, drawn as a dashed line.
    """
    errors = np.asarray(errors, float)
    fig, ax = new_figure((7.0, 3.2))
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
