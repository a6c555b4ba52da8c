"""Interactive explorers of the NTM's equations and of a trained NTM (ipywidgets).

Each explorer is a class: build it, and it shows itself when it is the value
of a notebook cell (or ``display(explorer)``)::

    from ntm_core.explorers import ReadWriteExplorer
    ReadWriteExplorer()

============================  ==================================================
explorer                      what it shows
============================  ==================================================
:class:`ReadWriteExplorer`    read, erase and add on a small memory (eq. 2-4)
:class:`ContentAddressingExplorer`  cosine similarity and content weighting (eq. 5-6)
:class:`InterpolationExplorer`  the interpolation gate g (eq. 7)
:class:`ShiftExplorer`        the circular convolutional shift (eq. 8)
:class:`SharpenExplorer`      sharpening with gamma (eq. 9)
:class:`AddressingPipelineExplorer`  eq. 5-9 in one view
:class:`AttentionInspector`   a trained NTM on a copy sequence, step by step
============================  ==================================================

Every explorer has ``controls`` (name -> widget), ``figure`` (one
matplotlib Figure, built once), ``artists`` (name -> the drawn objects, for
tests and for curious students), ``widget`` (the whole box) and ``update()``.
Moving a control only changes the data of existing artists; the equation
explorers recompute their few numbers with :mod:`ntm_core.addressing` and
:mod:`ntm_core.memory` (cheap on an 8 x 6 memory), and the
:class:`AttentionInspector` indexes a trace recorded once per sequence.

How the figure reaches the page: ipympl is not a dependency, so the figure is
a plain :class:`matplotlib.figure.Figure` (never registered with pyplot, so
the inline backend never shows a stray copy of it) rendered to PNG into an
``ipywidgets.Image`` after every update. This works in JupyterLab, classic
Notebook and Voila without a kernel-side canvas. Slider messages are
throttled by ipywidgets (one in flight at a time), so dragging does not queue
up renders.
"""

import contextlib
import html
import io
import re

import ipywidgets as widgets
import numpy as np
from keras import ops
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpecFromSubplotSpec

import ntm_core
from ntm_core import addressing
from ntm_core import memory as memory_ops
from ntm_core.plots import (
    STAGE_COLORS,
    STAGE_TITLES,
    image_over_time,
    memory_image,
    weighting_bars,
)
from ntm_core.tasks import copy_batch, copy_sequence
from ntm_core.trace import find_ntm

__all__ = [
    "ADD_PATTERNS",
    "AddressingPipelineExplorer",
    "AttentionInspector",
    "ContentAddressingExplorer",
    "InterpolationExplorer",
    "ReadWriteExplorer",
    "SharpenExplorer",
    "ShiftExplorer",
    "copy_input",
    "demo_memory",
    "focused_weighting",
    "parse_pattern",
    "shift_distribution",
]

_SLIDER_STYLE = {"description_width": "initial"}


# --------------------------------------------------------------------------
# small pure-NumPy building blocks (documented, so tests can rebuild them)
# --------------------------------------------------------------------------

def focused_weighting(n, focus, blur):
    """A weighting over ``n`` slots peaked at ``focus``.

    w(i) is proportional to exp(-d(i, focus)^2 / (2 blur^2)), where d is the
    circular distance min(|i - focus|, n - |i - focus|) (the memory is a
    ring, as for the shift of eq. 8). ``blur = 0`` gives a one-hot weighting.
    Returns a float32 (n,) array summing to 1.
    """
    i = np.arange(n)
    d = np.abs(i - int(focus) % n)
    d = np.minimum(d, n - d).astype(np.float64)
    if blur <= 0:
        w = (d == 0).astype(np.float64)
    else:
        w = np.exp(-(d**2) / (2.0 * float(blur) ** 2))
    return (w / w.sum()).astype(np.float32)


def shift_distribution(shift, blur, radius=1):
    """The shift weighting s over offsets -radius..+radius (eq. 8).

    s = (1 - blur) * onehot(shift) + blur / (2 radius + 1): ``blur = 0`` is
    an exact shift by ``shift`` slots, ``blur = 1`` spreads evenly over all
    offsets. Returns float32 (2 radius + 1,).
    """
    width = 2 * radius + 1
    s = np.full(width, float(blur) / width)
    s[int(shift) + radius] += 1.0 - float(blur)
    return s.astype(np.float32)


def demo_memory(n, m, seed=0):
    """A small memory of distinct rows for the addressing explorers.

    Rows are distinct patterns of -1/+1 (drawn with ``seed``; Gaussian rows
    if there are fewer than n patterns). Row 1 is then row 0 with its last
    element flipped: a near twin, so a student sees why the key strength beta
    (eq. 5) matters. Returns float32 (n, m).
    """
    rng = np.random.default_rng(seed)
    if m < 20 and 2**m >= n + 1:
        first = int(rng.integers(2**m))
        twin = first ^ (1 << (m - 1))  # the same code with its last bit flipped
        others = np.setdiff1d(np.arange(2**m), [first, twin])
        codes = np.concatenate([[first, twin], rng.choice(others, size=max(n - 2, 0), replace=False)])[:n]
        rows = ((codes[:, None] >> np.arange(m)[None, :]) & 1) * 2.0 - 1.0
    else:
        rows = rng.normal(size=(n, m))
        if n > 1:
            rows[1] = rows[0]
            rows[1, -1] = -rows[0, -1]
    return rows.astype(np.float32)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _batch(*arrays):
    # The equation functions take a leading batch axis and float32 keeps
    # every backend on the same dtype (JAX would silently drop float64).
    return [np.asarray(a, np.float32)[None] for a in arrays]


def _scalar(value):
    return np.full((1, 1), value, np.float32)


def _set_bars(bars, values):
    horizontal = getattr(bars, "orientation", "vertical") == "horizontal"
    for rect, v in zip(bars, values):
        (rect.set_width if horizontal else rect.set_height)(float(v))


def _outline_bars(ax, n, horizontal=False, label=None):
    """Unfilled bars: a weighting drawn over another for comparison."""
    style = {"fill": False, "edgecolor": "0.25", "linewidth": 1.0, "label": label}
    if horizontal:
        return ax.barh(np.arange(n), np.zeros(n), height=0.8, **style)
    return ax.bar(np.arange(n), np.zeros(n), width=0.8, **style)


def _vector_text(v, limit=8):
    items = [f"{x:+.2f}" for x in np.asarray(v)[:limit]]
    more = " …" if len(v) > limit else ""
    return "[" + " ".join(items) + more + "]"


# --------------------------------------------------------------------------
# the common frame of every explorer
# --------------------------------------------------------------------------

class _Explorer:
    """Widgets + one figure, rendered to an ``ipywidgets.Image`` on update."""

    dpi = 100

    def __init__(self, figsize):
        self.controls = {}
        self.artists = {}
        self.figure = Figure(figsize=figsize, layout="constrained")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self._holding = 0
        self._pending = False
        self._relayout = True
        self._shown = False
        self._stale = True
        self._widget = None

    def _connect(self):
        """Observe every value control, then draw the first frame."""
        for control in self.controls.values():
            if not isinstance(control, widgets.Button):
                control.observe(self._on_change, names="value")
        self.update()

    def _on_change(self, change=None):
        if self._holding:
            self._pending = True
        else:
            self.update()

    @contextlib.contextmanager
    def hold(self):
        """Change several controls with one redraw at the end::

            with explorer.hold():
                explorer.controls["beta"].value = 20
                explorer.controls["g"].value = 0.5
        """
        self._holding += 1
        try:
            yield self
        finally:
            self._holding -= 1
            if not self._holding and self._pending:
                self._pending = False
                self.update()

    def update(self):
        """Move the artists to the controls' values and redraw."""
        self._update_artists()
        self.figure.canvas.draw_idle()
        # Nobody sees the PNG before the widget is shown: rendering waits
        # until then (tests and scripts that only read artists skip it).
        if self._shown:
            self._render()
        else:
            self._stale = True

    def _update_artists(self):
        raise NotImplementedError

    def _render(self):
        # Constrained layout costs about as much as the drawing itself; the
        # axes do not move when only data changes, so lay out once and then
        # freeze the positions (``_relayout`` asks for a new layout).
        if self._relayout:
            self.figure.set_layout_engine("constrained")
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.dpi, pil_kwargs={"compress_level": 1})
        if self._relayout:
            self.figure.set_layout_engine("none")
            self._relayout = False
        self.image.value = buffer.getvalue()
        self._stale = False

    def _control_rows(self):
        """Rows of controls above the figure; subclasses may regroup them."""
        return [list(self.controls.values())]

    @property
    def widget(self):
        """The whole explorer: its controls above its figure."""
        if self._widget is None:
            rows = [widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap")) for row in self._control_rows()]
            self._widget = widgets.VBox(rows + [self.image])
        self._shown = True
        if self._stale:
            self._render()
        return self._widget

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def _int_slider(description, value, low, high, **kwargs):
    return widgets.IntSlider(value=value, min=low, max=high, step=1, description=description,
                             style=_SLIDER_STYLE, **kwargs)


def _float_slider(description, value, low, high, step, **kwargs):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               style=_SLIDER_STYLE, **kwargs)


# --------------------------------------------------------------------------
# 1. read, erase, add (eq. 2-4)
# --------------------------------------------------------------------------

ADD_PATTERNS = {
    "ones": ("+1 everywhere", lambda m: np.ones(m)),
    "minus_ones": ("−1 everywhere", lambda m: -np.ones(m)),
    "alternating": ("+1, −1, +1, …", lambda m: np.where(np.arange(m) % 2 == 0, 1.0, -1.0)),
    "ramp": ("ramp −1 … +1", lambda m: np.linspace(-1.0, 1.0, m)),
    "zeros": ("zeros (erase only)", lambda m: np.zeros(m)),
}
"""Add vectors of :class:`ReadWriteExplorer`: key -> (label, function of the width M)."""


class ReadWriteExplorer(_Explorer):
    """One write head erasing and adding to a small memory, then a read (eq. 2-4).

    The head's weighting is :func:`focused_weighting` (``focus``, ``blur``);
    its erase vector is ``erase`` times a vector of ones; its add vector is one
    of :data:`ADD_PATTERNS`. Drawn:

    * the weighting w(i), as bars in line with the memory rows,
    * the memory before the write, M_{t-1} (random, fixed by ``seed``),
    * the memory after it, M_t(i) = M_{t-1}(i) (1 - w(i) e) + w(i) a (eq. 3-4),
    * e and a under the old memory, and the read vector
      r_t = sum_i w(i) M_t(i) (eq. 2) under the new one.

    Controls: ``focus``, ``blur``, ``erase``, ``add_pattern``.
    """

    def __init__(self, memory_size=8, memory_width=6, seed=0):
        super().__init__(figsize=(10.0, 5.6))
        n, m = int(memory_size), int(memory_width)
        self.memory_size, self.memory_width = n, m
        rng = np.random.default_rng(seed)
        self.memory_before = np.round(rng.uniform(-1.0, 1.0, (n, m)), 1).astype(np.float32)
        self.controls = {
            "focus": _int_slider("focus (slot)", n // 2, 0, n - 1),
            "blur": _float_slider("blur", 0.0, 0.0, 3.0, 0.1),
            "erase": _float_slider("erase strength e", 1.0, 0.0, 1.0, 0.05),
            "add_pattern": widgets.Dropdown(
                options=[(label, key) for key, (label, _) in ADD_PATTERNS.items()],
                value="ones", description="add vector a", style=_SLIDER_STYLE),
        }
        self._build_figure()
        self._connect()

    # What the equations give for the current controls.
    def weighting(self):
        """The write (and read) weighting w, (N,)."""
        return focused_weighting(self.memory_size, self.controls["focus"].value, self.controls["blur"].value)

    def erase_vector(self):
        """e = erase strength x ones, (M,)."""
        return np.full(self.memory_width, self.controls["erase"].value, np.float32)

    def add_vector(self):
        """The chosen add vector a, (M,)."""
        return ADD_PATTERNS[self.controls["add_pattern"].value][1](self.memory_width).astype(np.float32)

    def memory_after(self):
        """M_t after erase (eq. 3) and add (eq. 4), (N, M)."""
        mem, w, e, a = _batch(self.memory_before, self.weighting(), self.erase_vector(), self.add_vector())
        return _np(memory_ops.write(mem, w, e, a))[0]

    def read_vector(self):
        """r_t = sum_i w(i) M_t(i) (eq. 2) from the memory after the write, (M,)."""
        mem, w = _batch(self.memory_after(), self.weighting())
        return _np(memory_ops.read(mem, w))[0]

    def _build_figure(self):
        n, m = self.memory_size, self.memory_width
        fig = self.figure
        grid = fig.add_gridspec(2, 3, width_ratios=[1.0, 1.6, 1.6], height_ratios=[max(n, 4), 3])
        ax_w = fig.add_subplot(grid[0, 0])
        ax_before = fig.add_subplot(grid[0, 1])
        ax_after = fig.add_subplot(grid[0, 2], sharey=ax_before)
        ax_text = fig.add_subplot(grid[1, 0])
        ax_ea = fig.add_subplot(grid[1, 1], sharex=ax_before)
        ax_read = fig.add_subplot(grid[1, 2], sharex=ax_after)
        # |M_{t-1}| <= 1 and |a| <= 1, so |M_t| <= 2: one fixed scale keeps the
        # colours of before and after comparable.
        vmax = 2.0
        self.artists["weighting"] = weighting_bars(ax_w, np.zeros(n), horizontal=True)
        ax_w.set_title("weighting $w$", fontsize="medium")
        ax_w.set_xlabel("$w(i)$")
        self.artists["memory_before"] = memory_image(ax_before, self.memory_before, vmax=vmax, colorbar=False)
        ax_before.set_title("memory before, $M_{t-1}$", fontsize="medium")
        ax_before.set_xlabel("")
        self.artists["memory_after"] = memory_image(ax_after, self.memory_before, vmax=vmax, colorbar=False)
        ax_after.set_title("after erase + add, $M_t$ (eq. 3-4)", fontsize="medium")
        ax_after.set_ylabel("")
        ax_after.set_xlabel("")
        fig.colorbar(self.artists["memory_after"], ax=[ax_before, ax_after], shrink=0.8, label="value")

        cols = np.arange(m)
        self.artists["erase"] = ax_ea.bar(cols - 0.2, np.zeros(m), width=0.4, color="0.55", label="erase $e$")
        self.artists["add"] = ax_ea.bar(cols + 0.2, np.zeros(m), width=0.4, color="tab:purple", label="add $a$")
        ax_ea.set_ylim(-1.05, 1.05)
        ax_ea.set_xlim(-0.5, m - 0.5)
        ax_ea.axhline(0, color="0.3", lw=0.8)
        ax_ea.set_xlabel("element $j$")
        ax_ea.legend(loc="lower left", fontsize="small", ncols=2, frameon=False)
        ax_ea.set_title("what the head writes", fontsize="medium")
        self.artists["read"] = ax_read.bar(cols, np.zeros(m), width=0.7, color="tab:green")
        ax_read.set_ylim(-vmax, vmax)
        ax_read.set_xlim(-0.5, m - 0.5)
        ax_read.axhline(0, color="0.3", lw=0.8)
        ax_read.set_xlabel("element $j$")
        ax_read.set_title(r"read $r_t = \sum_i w(i) M_t(i)$ (eq. 2)", fontsize="medium")
        ax_text.axis("off")
        self.artists["text"] = ax_text.text(0.0, 1.0, "", va="top", ha="left", family="monospace",
                                            fontsize="small", transform=ax_text.transAxes)

    def _update_artists(self):
        w = self.weighting()
        _set_bars(self.artists["weighting"], w)
        self.artists["memory_after"].set_data(self.memory_after())
        _set_bars(self.artists["erase"], self.erase_vector())
        _set_bars(self.artists["add"], self.add_vector())
        _set_bars(self.artists["read"], self.read_vector())
        focus = self.controls["focus"].value
        self.artists["text"].set_text(
            f"w({focus}) = {w[focus]:.2f}\n"
            f"row {focus} keeps\n{1 - w[focus] * self.controls['erase'].value:.0%} "
            "of its old\ncontent, plus\nw·a"
        )


# --------------------------------------------------------------------------
# 2. content addressing (eq. 5-6)
# --------------------------------------------------------------------------

class ContentAddressingExplorer(_Explorer):
    """Content-based addressing: a key finds the rows that look like it (eq. 5-6).

    The memory is :func:`demo_memory` (rows 0 and 1 are near twins). The key
    is row ``key_row`` plus ``noise`` times a fixed random vector (drawn with
    ``seed``). Drawn: the memory with the key under it; the cosine
    similarity K[k, M(i)] of the key with every row (eq. 6); and the content
    weighting w^c(i) = softmax_i(beta K[k, M(i)]) (eq. 5). Small beta spreads
    the weighting even over dissimilar rows; large beta picks the best row.

    Controls: ``key_row``, ``noise``, ``beta``.
    """

    def __init__(self, memory_size=8, memory_width=6, seed=0):
        super().__init__(figsize=(10.0, 4.6))
        n, m = int(memory_size), int(memory_width)
        self.memory_size, self.memory_width = n, m
        self.memory = demo_memory(n, m, seed)
        self.noise_direction = np.random.default_rng([seed, 1]).normal(size=m).astype(np.float32)
        self.controls = {
            "key_row": _int_slider("key imitates row", 0, 0, n - 1),
            "noise": _float_slider("key noise", 0.0, 0.0, 2.0, 0.05),
            "beta": _float_slider("β (key strength)", 5.0, 0.0, 50.0, 0.5),
        }
        self._build_figure()
        self._connect()

    def key(self):
        """k = M(key_row) + noise x a fixed random vector, (M,)."""
        c = self.controls
        return (self.memory[c["key_row"].value] + c["noise"].value * self.noise_direction).astype(np.float32)

    def similarity(self):
        """Cosine similarity K[k, M(i)] of the key with every row (eq. 6), (N,)."""
        mem, k = _batch(self.memory, self.key())
        return _np(addressing.cosine_similarity(mem, k))[0]

    def weighting(self):
        """Content weighting w^c (eq. 5), (N,)."""
        mem, k = _batch(self.memory, self.key())
        return _np(addressing.content_weights(mem, k, _scalar(self.controls["beta"].value)))[0]

    def _build_figure(self):
        n, m = self.memory_size, self.memory_width
        fig = self.figure
        grid = fig.add_gridspec(2, 3, height_ratios=[n, 1.6], width_ratios=[1.3, 1.0, 1.0])
        ax_mem = fig.add_subplot(grid[0, 0])
        ax_key = fig.add_subplot(grid[1, 0], sharex=ax_mem)
        ax_sim = fig.add_subplot(grid[:, 1])
        ax_w = fig.add_subplot(grid[:, 2], sharey=ax_sim)
        vmax = float(np.max(np.abs(self.memory))) + 2.0 * float(np.max(np.abs(self.noise_direction)))
        self.artists["memory"] = memory_image(ax_mem, self.memory, vmax=vmax, colorbar=False)
        ax_mem.set_title("memory $M$", fontsize="medium")
        ax_mem.set_xlabel("")
        self.artists["key"] = memory_image(ax_key, self.key()[None], vmax=vmax, colorbar=False)
        ax_key.set_yticks([0], ["key $k$"])
        ax_key.set_ylabel("")
        sim_bars = ax_sim.barh(np.arange(n), np.zeros(n), height=0.8, color="tab:gray")
        ax_sim.set_xlim(-1.05, 1.05)
        ax_sim.set_ylim(n - 0.5, -0.5)
        ax_sim.axvline(0, color="0.3", lw=0.8)
        ax_sim.set_xlabel(r"$K[k, M(i)]$")
        ax_sim.set_ylabel("slot $i$")
        ax_sim.set_title("cosine similarity (eq. 6)", fontsize="medium")
        self.artists["similarity"] = sim_bars
        self.artists["weighting"] = weighting_bars(ax_w, np.zeros(n), color=STAGE_COLORS["content"], horizontal=True)
        ax_w.set_xlabel("$w^c(i)$")
        ax_w.set_ylabel("")
        self.artists["title"] = ax_w.set_title("", fontsize="medium")

    def _update_artists(self):
        self.artists["key"].set_data(self.key()[None])
        _set_bars(self.artists["similarity"], self.similarity())
        _set_bars(self.artists["weighting"], self.weighting())
        self.artists["title"].set_text(f"content weighting (eq. 5), β = {self.controls['beta'].value:g}")


# --------------------------------------------------------------------------
# 3-5. one stage at a time (eq. 7, 8, 9)
# --------------------------------------------------------------------------

class InterpolationExplorer(_Explorer):
    """The interpolation gate: w^g = g w^c + (1 - g) w_{t-1} (eq. 7).

    w^c is :func:`focused_weighting` at ``content_focus`` (blur 1) and
    w_{t-1} is one-hot at ``prev_focus``. Drawn: w^c, w_{t-1} and w^g as
    three bar charts. g = 1 ignores the past (pure content), g = 0 ignores
    the content (pure location: the head keeps its place).

    Controls: ``g``, ``content_focus``, ``prev_focus``.
    """

    def __init__(self, memory_size=8):
        super().__init__(figsize=(10.0, 2.9))
        n = self.memory_size = int(memory_size)
        self.controls = {
            "g": _float_slider("g (gate)", 0.5, 0.0, 1.0, 0.05),
            "content_focus": _int_slider("content focus", min(2, n - 1), 0, n - 1),
            "prev_focus": _int_slider("previous focus", min(5, n - 1), 0, n - 1),
        }
        axes = self.figure.subplots(1, 3, sharey=True)
        titles = ["content $w^c_t$ (eq. 5)", "previous $w_{t-1}$", "interpolated $w^g_t$ (eq. 7)"]
        colors = [STAGE_COLORS["content"], "0.5", STAGE_COLORS["interpolated"]]
        for ax, name, title, color in zip(axes, ["content", "previous", "interpolated"], titles, colors):
            self.artists[name] = weighting_bars(ax, np.zeros(n), color=color)
            ax.set_title(title, fontsize="medium")
        axes[0].set_ylabel("$w(i)$")
        self.artists["title"] = self.figure.suptitle("")
        self._connect()

    def content(self):
        return focused_weighting(self.memory_size, self.controls["content_focus"].value, 1.0)

    def previous(self):
        return focused_weighting(self.memory_size, self.controls["prev_focus"].value, 0.0)

    def interpolated(self):
        """w^g (eq. 7), (N,)."""
        wc, wp = _batch(self.content(), self.previous())
        return _np(addressing.interpolate(wc, wp, _scalar(self.controls["g"].value)))[0]

    def _update_artists(self):
        _set_bars(self.artists["content"], self.content())
        _set_bars(self.artists["previous"], self.previous())
        _set_bars(self.artists["interpolated"], self.interpolated())
        g = self.controls["g"].value
        self.artists["title"].set_text(f"$w^g = g\\,w^c + (1-g)\\,w_{{t-1}}$ with g = {g:.2f}")


class ShiftExplorer(_Explorer):
    """The convolutional shift: w~(i) = sum_j w^g(i - j) s(j), indices mod N (eq. 8).

    w^g is one-hot at ``focus``; s over the offsets -1, 0, +1 is
    :func:`shift_distribution` (``shift``, ``blur``). Drawn: s, w^g and w~
    (with w^g as a grey outline). At the ends the focus wraps around: the
    memory is a ring.

    Controls: ``focus``, ``shift``, ``blur``.
    """

    def __init__(self, memory_size=8):
        super().__init__(figsize=(10.0, 2.9))
        n = self.memory_size = int(memory_size)
        self.controls = {
            "focus": _int_slider("focus", n - 1, 0, n - 1),
            "shift": _int_slider("shift", 1, -1, 1),
            "blur": _float_slider("blur", 0.0, 0.0, 1.0, 0.05),
        }
        fig = self.figure
        ax_s, ax_in, ax_out = fig.subplots(1, 3, gridspec_kw={"width_ratios": [0.5, 1.0, 1.0]}, sharey=True)
        self.artists["s"] = ax_s.bar([-1, 0, 1], np.zeros(3), width=0.7, color="tab:purple")
        ax_s.set_xticks([-1, 0, 1], ["−1", "0", "+1"])
        ax_s.set_xlabel("offset $j$")
        ax_s.set_ylim(0, 1)
        ax_s.set_ylabel("weight")
        ax_s.set_title("shift weighting $s$", fontsize="medium")
        self.artists["before"] = weighting_bars(ax_in, np.zeros(n), color=STAGE_COLORS["interpolated"])
        ax_in.set_title("before, $w^g_t$", fontsize="medium")
        self.artists["after"] = weighting_bars(ax_out, np.zeros(n), color=STAGE_COLORS["shifted"])
        self.artists["before_outline"] = _outline_bars(ax_out, n, label="before")
        ax_out.legend(loc="upper left", fontsize="small", frameon=False)
        # Two title lines from the start: the layout is computed once, and the
        # second line is where the wrap-around note appears.
        self.artists["title"] = ax_out.set_title("\n", fontsize="medium")
        self._connect()

    def s(self):
        """The shift weighting over offsets (-1, 0, +1), (3,)."""
        return shift_distribution(self.controls["shift"].value, self.controls["blur"].value)

    def before(self):
        return focused_weighting(self.memory_size, self.controls["focus"].value, 0.0)

    def after(self):
        """w~ (eq. 8), (N,)."""
        w, s = _batch(self.before(), self.s())
        return _np(addressing.shift(w, s))[0]

    def _update_artists(self):
        before = self.before()
        _set_bars(self.artists["s"], self.s())
        _set_bars(self.artists["before"], before)
        _set_bars(self.artists["after"], self.after())
        _set_bars(self.artists["before_outline"], before)
        focus, shift, n = self.controls["focus"].value, self.controls["shift"].value, self.memory_size
        target = focus + shift
        wraps = target < 0 or target >= n
        note = f"wraps around: slot {focus} → slot {target % n}" if wraps else " "
        self.artists["title"].set_text(f"after the shift, $\\tilde w_t$ (eq. 8)\n{note}")


class SharpenExplorer(_Explorer):
    """Sharpening: w(i) = w~(i)^gamma / sum_j w~(j)^gamma (eq. 9).

    The blurred input w~ has two bumps: 0.65 x :func:`focused_weighting` at
    slot N // 3 plus 0.35 x at slot 2N // 3, both with width ``blur``.
    Drawn: w~ and the sharpened w (with w~ as a grey outline). gamma = 1
    changes nothing; larger gamma concentrates the weight on the larger bump.

    Controls: ``gamma``, ``blur``.
    """

    def __init__(self, memory_size=8):
        super().__init__(figsize=(8.0, 2.9))
        n = self.memory_size = int(memory_size)
        self.controls = {
            "gamma": _float_slider("γ (sharpening)", 1.0, 1.0, 20.0, 0.1),
            "blur": _float_slider("blur of the input", 1.0, 0.3, 3.0, 0.1),
        }
        ax_in, ax_out = self.figure.subplots(1, 2, sharey=True)
        self.artists["before"] = weighting_bars(ax_in, np.zeros(n), color=STAGE_COLORS["shifted"])
        ax_in.set_title(r"blurred, $\tilde w_t$", fontsize="medium")
        ax_in.set_ylabel("$w(i)$")
        self.artists["after"] = weighting_bars(ax_out, np.zeros(n), color=STAGE_COLORS["weights"])
        self.artists["before_outline"] = _outline_bars(ax_out, n, label="before")
        ax_out.legend(loc="upper right", fontsize="small", frameon=False)
        self.artists["title"] = ax_out.set_title("", fontsize="medium")
        self._connect()

    def before(self):
        n, blur = self.memory_size, self.controls["blur"].value
        w = 0.65 * focused_weighting(n, n // 3, blur) + 0.35 * focused_weighting(n, (2 * n) // 3, blur)
        return w.astype(np.float32)

    def after(self):
        """w (eq. 9), (N,)."""
        (w,) = _batch(self.before())
        return _np(addressing.sharpen(w, _scalar(self.controls["gamma"].value)))[0]

    def _update_artists(self):
        before = self.before()
        _set_bars(self.artists["before"], before)
        _set_bars(self.artists["after"], self.after())
        _set_bars(self.artists["before_outline"], before)
        self.artists["title"].set_text(f"sharpened $w_t$ (eq. 9), γ = {self.controls['gamma'].value:.1f}")


# --------------------------------------------------------------------------
# 6. the whole pipeline (eq. 5-9)
# --------------------------------------------------------------------------

class AddressingPipelineExplorer(_Explorer):
    """All of addressing (Figure 2, eq. 5-9) at once.

    The memory is :func:`demo_memory`, the key is row ``key_row``, the
    previous weighting is one-hot at ``prev_focus`` and s is
    :func:`shift_distribution` (``shift``, ``blur``). Drawn: the memory with
    the key's row marked, then the four stages as bars in line with the
    memory rows: content w^c (eq. 5, ``beta``), interpolated w^g (eq. 7,
    ``g``; the previous weighting as a grey outline), shifted w~ (eq. 8) and
    sharpened w (eq. 9, ``gamma``). Try g = 0 (pure location) against
    g = 1 (pure content), and a blurred shift with and without sharpening.

    Controls: ``key_row``, ``beta``, ``g``, ``shift``, ``blur``, ``gamma``, ``prev_focus``.
    """

    STAGES = ("content", "interpolated", "shifted", "weights")

    def __init__(self, memory_size=16, memory_width=6, seed=0):
        super().__init__(figsize=(12.0, 4.8))
        n, m = int(memory_size), int(memory_width)
        self.memory_size, self.memory_width = n, m
        self.memory = demo_memory(n, m, seed)
        self.controls = {
            "key_row": _int_slider("key = row", 3 % n, 0, n - 1),
            "beta": _float_slider("β", 10.0, 0.0, 50.0, 0.5),
            "g": _float_slider("g", 1.0, 0.0, 1.0, 0.05),
            "prev_focus": _int_slider("previous focus", 0, 0, n - 1),
            "shift": _int_slider("shift", 1, -1, 1),
            "blur": _float_slider("shift blur", 0.0, 0.0, 1.0, 0.05),
            "gamma": _float_slider("γ", 1.0, 1.0, 20.0, 0.1),
        }
        fig = self.figure
        axes = fig.subplots(1, 5, sharey=True, gridspec_kw={"width_ratios": [1.2, 1, 1, 1, 1]})
        # +-1 entries at a scale of 1.6: clear colours that do not shout.
        self.artists["memory"] = memory_image(axes[0], self.memory, vmax=1.6, colorbar=False)
        axes[0].set_title("memory $M$", fontsize="medium")
        (self.artists["key_marker"],) = axes[0].plot([-0.5], [0], marker=">", ms=10, color="tab:red",
                                                      clip_on=False, ls="none")
        axes[0].set_xlim(-0.5, m - 0.5)
        for ax, name in zip(axes[1:], self.STAGES):
            self.artists[name] = weighting_bars(ax, np.zeros(n), color=STAGE_COLORS[name], horizontal=True)
            ax.set_title(STAGE_TITLES[name], fontsize="medium")
            ax.set_ylabel("")
            ax.set_xlabel("$w(i)$")
        self.artists["previous_outline"] = _outline_bars(axes[2], n, horizontal=True, label="$w_{t-1}$")
        axes[2].legend(loc="lower right", fontsize="small", frameon=False)
        self._connect()

    def _control_rows(self):
        c = self.controls
        return [[c["key_row"], c["beta"], c["g"], c["prev_focus"]], [c["shift"], c["blur"], c["gamma"]]]

    def key(self):
        return self.memory[self.controls["key_row"].value]

    def previous(self):
        return focused_weighting(self.memory_size, self.controls["prev_focus"].value, 0.0)

    def s(self):
        return shift_distribution(self.controls["shift"].value, self.controls["blur"].value)

    def stages(self):
        """{"content", "interpolated", "shifted", "weights"} -> (N,) arrays (eq. 5-9)."""
        c = self.controls
        mem, w_prev, key, s = _batch(self.memory, self.previous(), self.key(), self.s())
        out = addressing.address_stages(mem, w_prev, key, _scalar(c["beta"].value), _scalar(c["g"].value), s,
                                        _scalar(c["gamma"].value))
        return {name: _np(out[name])[0] for name in self.STAGES}

    def _update_artists(self):
        for name, w in self.stages().items():
            _set_bars(self.artists[name], w)
        _set_bars(self.artists["previous_outline"], self.previous())
        self.artists["key_marker"].set_ydata([self.controls["key_row"].value])


# --------------------------------------------------------------------------
# 7. a trained NTM, step by step
# --------------------------------------------------------------------------

_PATTERN_SPLIT = re.compile(r"[\s,;|/]+")


def parse_pattern(text, bits=None):
    """Rows of bits typed by a student -> a float32 (L, bits) pattern.

    Rows are strings of 0s and 1s separated by spaces, commas, semicolons,
    slashes or new lines: ``"10110010 01100110"`` is two rows of 8 bits.
    Raises ValueError with a message meant for the student when the text is
    empty, holds other characters, has rows of different lengths, or rows
    that are not ``bits`` long.
    """
    rows = [r for r in _PATTERN_SPLIT.split(str(text).strip()) if r]
    if not rows:
        raise ValueError("type at least one row of bits, e.g. 10110010 01100110")
    for i, row in enumerate(rows):
        bad = set(row) - {"0", "1"}
        if bad:
            raise ValueError(f"row {i + 1} ({row!r}) may only hold 0 and 1, found {''.join(sorted(bad))!r}")
    widths = {len(r) for r in rows}
    if len(widths) > 1:
        raise ValueError(f"every row needs the same number of bits; got rows of {sorted(widths)} bits")
    width = widths.pop()
    if bits is not None and width != bits:
        raise ValueError(f"each row needs {bits} bits (the model's input width), got {width}")
    return np.array([[float(c) for c in row] for row in rows], np.float32)


def copy_input(length=None, seed=0, pattern=None, bits=8):
    """One copy-task sequence (section 4.1): a typed/given pattern or a random one.

    Args:
        length: number of random vectors (ignored when ``pattern`` is given).
        seed: seed of the random vectors (as in :func:`ntm_core.tasks.copy_batch`).
        pattern: None, a string for :func:`parse_pattern`, or an (L, bits)
            array of 0/1.
        bits: bits per vector (the model's input width minus the delimiter).

    Returns:
        ``(x, y, mask)`` without a batch axis, in :class:`ntm_core.tasks.CopyTask`'s
        format: x (2L+1, bits+1), y (2L+1, bits), mask (2L+1,).
    """
    if pattern is not None:
        p = parse_pattern(pattern, bits) if isinstance(pattern, str) else np.asarray(pattern)
        if p.ndim == 2 and p.shape[1] != bits:
            raise ValueError(f"each row needs {bits} bits (the model's input width), got {p.shape[1]}")
        return copy_sequence(p)
    if length is None:
        raise ValueError("give a `length` for a random sequence, or a `pattern`")
    batch = copy_batch(1, int(length), bits=bits, rng=int(seed))
    return batch.x[0], batch.y[0], batch.mask[0]


def _input_size(model):
    size = getattr(find_ntm(model).cell, "input_size", None)
    return int(size) if size is not None else int(model.input_shape[-1])


class AttentionInspector(_Explorer):
    """A trained NTM on one copy sequence, one time step at a time.

    The model is run once per sequence with :func:`ntm_core.trace`; the
    sliders then only index the recorded arrays. Drawn, with the time step
    ``t`` marked everywhere:

    * the input, target and output bits over time (section 4.1),
    * the chosen head's weighting over time (slots x time, as in Figure 6),
      with its focus at ``t`` marked,
    * the memory after step t, M_t (eq. 3-4), with the head's focus marked,
    * the addressing stages of the head at t: content (eq. 5), interpolated
      (eq. 7), shifted (eq. 8), sharpened (eq. 9),
    * the head's parameters at t: key k, beta, g, s, gamma, and e, a (write
      heads) or the read vector r (read heads).

    Args:
        model: an NTM model (or a path to a saved ``.keras`` model) for the
            copy task: input width bits + 1.
        length, seed: the first, random sequence.
        pattern: optional first sequence instead (text or (L, bits) array).
        max_length: the largest length the ``length`` slider offers.

    Controls: ``t``, ``head``, and for a new sequence ``length``, ``seed``,
    ``pattern`` and ``run``. Moving ``length`` or ``seed`` traces a new random
    sequence; ``run`` traces the typed ``pattern`` (or, when it is empty, a
    random sequence). A pattern that cannot be read leaves the current
    sequence and shows why in ``message``.
    """

    STAGES = ("content", "interpolated", "shifted", "weights")

    def __init__(self, model, length=10, seed=0, pattern=None, max_length=30):
        super().__init__(figsize=(13.0, 8.6))
        if isinstance(model, str) or hasattr(model, "__fspath__"):
            import keras

            model = keras.saving.load_model(model)
        self.model = model
        self.bits = _input_size(model) - 1
        pattern_text = pattern if isinstance(pattern, str) else (
            "" if pattern is None else " ".join("".join(str(int(b)) for b in row) for row in np.asarray(pattern)))
        self.message = widgets.HTML()
        self.controls = {
            "t": _int_slider("time step t", 0, 0, 1, continuous_update=True),
            "head": widgets.Dropdown(options=[("head", 0)], description="head", style=_SLIDER_STYLE),
            "length": _int_slider("length", int(length), 1, max(int(max_length), int(length)),
                                  continuous_update=False),
            "seed": widgets.IntText(value=int(seed), description="seed", style=_SLIDER_STYLE,
                                    layout=widgets.Layout(width="150px")),
            "pattern": widgets.Text(value=pattern_text, description="pattern",
                                    placeholder="rows of bits, e.g. 10110010 01100110",
                                    style=_SLIDER_STYLE, layout=widgets.Layout(width="420px")),
            "run": widgets.Button(description="Run this sequence", button_style="primary", icon="play"),
        }
        x, y, mask = copy_input(length, seed, pattern_text or None, self.bits)
        self.trace = None
        self._sequence(x, y, mask, self._describe(pattern_text, length, seed))
        heads = self.trace.heads
        self.controls["head"].options = [(h.label, i) for i, h in enumerate(heads)]
        self.controls["head"].value = 0
        self._build_figure()
        self._retraced()
        self.controls["run"].on_click(lambda _: self.run())
        self._connect_inspector()

    # -- sequences -----------------------------------------------------------
    def _describe(self, pattern_text, length, seed):
        if pattern_text:
            return f"typed pattern of {len(parse_pattern(pattern_text))} vectors"
        return f"random sequence: length {length}, seed {seed}"

    def _sequence(self, x, y, mask, description):
        # The only place the model runs: once per sequence, never per slider move.
        self.trace = ntm_core.trace(self.model, x[None])
        self.target, self.mask = y, mask
        self.length = (x.shape[0] - 1) // 2
        self.message.value = html.escape(description) + f" &nbsp;·&nbsp; {x.shape[0]} time steps"

    def run(self):
        """Trace the typed pattern (or a random sequence when the box is empty)."""
        text = self.controls["pattern"].value.strip()
        length, seed = self.controls["length"].value, self.controls["seed"].value
        try:
            x, y, mask = copy_input(length, seed, text or None, self.bits)
        except (ValueError, TypeError) as err:
            self.message.value = (f"<span style='color:#b00020'><b>Cannot use this pattern:</b> "
                                  f"{html.escape(str(err))}. The sequence shown is unchanged.</span>")
            return
        self._sequence(x, y, mask, self._describe(text, length, seed))
        self._retraced()

    def _new_random_sequence(self, change=None):
        length, seed = self.controls["length"].value, self.controls["seed"].value
        try:
            x, y, mask = copy_input(length, seed, None, self.bits)
        except (ValueError, TypeError) as err:
            self.message.value = f"<span style='color:#b00020'>{html.escape(str(err))}</span>"
            return
        self._sequence(x, y, mask, self._describe("", length, seed))
        self._retraced()

    def _connect_inspector(self):
        for name in ("t", "head"):
            self.controls[name].observe(self._on_change, names="value")
        for name in ("length", "seed"):
            self.controls[name].observe(self._new_random_sequence, names="value")

    def _retraced(self):
        """New trace: resize the time images and the slider, then redraw once."""
        tr, a = self.trace, self.artists
        steps = tr.num_steps
        with self.hold():
            slider = self.controls["t"]
            slider.max = steps - 1
            slider.value = min(slider.value, steps - 1)
            a["input"].set_data(tr.inputs[0].T)
            a["input"].set_extent((-0.5, steps - 0.5, self.bits + 0.5, -0.5))
            for name, data in (("target", self.target), ("output", tr.outputs[0])):
                a[name].set_data(data.T)
                a[name].set_extent((-0.5, steps - 0.5, self.bits - 0.5, -0.5))
            # Time images share their x axis: one call resizes all four.
            a["input"].axes.set_xlim(-0.5, steps - 0.5)
            # One colour scale per sequence, so colours compare across steps.
            limit = max(1e-6, float(np.max(np.abs(tr.memory[0]))))
            a["memory"].set_clim(-limit, limit)
            self._pending = True
            self._relayout = True

    # -- drawing --------------------------------------------------------------
    def _build_figure(self):
        tr = self.trace
        steps, n = tr.num_steps, tr.memory.shape[2]
        fig = self.figure
        outer = fig.add_gridspec(1, 2, width_ratios=[1.1, 1.0])
        # Rows in proportion to what they hold, but a 128-slot memory must not
        # squash the bit images to slivers.
        left = GridSpecFromSubplotSpec(4, 1, subplot_spec=outer[0], height_ratios=[
            self.bits + 1, self.bits, self.bits, min(max(n, 12), 3 * self.bits)])
        ax_in = fig.add_subplot(left[0])
        ax_target = fig.add_subplot(left[1], sharex=ax_in)
        ax_out = fig.add_subplot(left[2], sharex=ax_in)
        ax_time = fig.add_subplot(left[3], sharex=ax_in)
        a = self.artists
        for ax, name, data, title in [
            (ax_in, "input", tr.inputs[0].T, "input (last row: delimiter)"),
            (ax_target, "target", self.target.T, "target"),
            (ax_out, "output", tr.outputs[0].T, "output of the network"),
        ]:
            a[name] = image_over_time(ax, data)
            ax.set_title(title, loc="left", fontsize="medium")
            ax.set_yticks([])
            ax.tick_params(labelbottom=False)
        a["weights_over_time"] = image_over_time(ax_time, tr.heads[0].weights[0].T)
        ax_time.set_ylabel("slot $i$")
        ax_time.set_xlabel("time step $t$")
        a["weights_title"] = ax_time.set_title("", loc="left", fontsize="medium")
        a["time_lines"] = [ax.axvline(0, color="tab:red", lw=1.5, alpha=0.8)
                           for ax in (ax_in, ax_target, ax_out, ax_time)]
        (a["focus_marker"],) = ax_time.plot([0], [0], marker="o", ms=6, mfc="none", mec="tab:red", mew=1.5, ls="none")
        # Markers and lines must not widen the image limits (autoscale margins).
        ax_time.set_ylim(n - 0.5, -0.5)
        ax_in.set_xlim(-0.5, steps - 0.5)

        right = GridSpecFromSubplotSpec(2, 1, subplot_spec=outer[1], height_ratios=[1.0, 1.2])
        # Separate grids above and below, so the memory's colorbar does not
        # push the columns of the stage bars apart.
        top = GridSpecFromSubplotSpec(1, 2, subplot_spec=right[0], width_ratios=[1.0, 1.25])
        bottom = GridSpecFromSubplotSpec(1, 4, subplot_spec=right[1])
        ax_mem = fig.add_subplot(top[0])
        ax_text = fig.add_subplot(top[1])
        a["memory"] = memory_image(ax_mem, tr.memory[0, 0], colorbar=True)
        a["memory_title"] = ax_mem.set_title("", fontsize="medium")
        (a["memory_marker"],) = ax_mem.plot([-0.5], [0], marker=">", ms=9, color="tab:red", clip_on=False, ls="none")
        ax_mem.set_xlim(-0.5, tr.memory.shape[3] - 0.5)
        ax_mem.set_ylim(n - 0.5, -0.5)
        ax_text.axis("off")
        a["text"] = ax_text.text(0.0, 1.0, "", va="top", ha="left", family="monospace", fontsize="small",
                                 transform=ax_text.transAxes)
        stage_axes = [fig.add_subplot(bottom[0])]
        stage_axes += [fig.add_subplot(bottom[i], sharey=stage_axes[0]) for i in range(1, 4)]
        for i, (ax, name) in enumerate(zip(stage_axes, self.STAGES)):
            a[name] = weighting_bars(ax, np.zeros(n), color=STAGE_COLORS[name], horizontal=True)
            ax.set_title(STAGE_TITLES[name].replace(" (eq", "\n(eq"), fontsize="small")
            ax.set_xlabel("$w(i)$")
            if i:
                ax.set_ylabel("")
                ax.tick_params(labelleft=False)

    def _phase(self, t):
        L = self.length
        if t < L:
            return f"input phase, vector {t + 1} of {L}"
        if t == L:
            return "delimiter"
        return f"output phase, copy of vector {t - L} of {L}"

    def _update_artists(self):
        tr, a = self.trace, self.artists
        t = min(self.controls["t"].value, tr.num_steps - 1)
        h = self.controls["head"].value
        head = tr.heads[h]
        steps = tr.num_steps
        a["weights_over_time"].set_data(head.weights[0].T)
        a["weights_over_time"].set_extent((-0.5, steps - 0.5, head.weights.shape[2] - 0.5, -0.5))
        a["weights_title"].set_text(f"{head.label}: weighting $w_t$ over time")
        for line in a["time_lines"]:
            line.set_xdata([t, t])
        focus = int(np.argmax(head.weights[0, t]))
        a["focus_marker"].set_data([t], [focus])
        a["memory"].set_data(tr.memory[0, t])
        a["memory_title"].set_text(f"memory after step {t}, $M_{{{t}}}$")
        a["memory_marker"].set_ydata([focus])
        for name in self.STAGES:
            _set_bars(a[name], getattr(head, name)[0, t])
        a["text"].set_text(self._parameter_text(head, t))

    def _parameter_text(self, head, t):
        radius = head.shift.shape[2] // 2
        s = " ".join(f"{j:+d}:{p:.2f}" for j, p in zip(range(-radius, radius + 1), head.shift[0, t]))
        lines = [
            f"{head.label}, t = {t}",
            self._phase(t),
            "",
            f"k = {_vector_text(head.key[0, t], 4)}",
            f"β = {head.beta[0, t]:.2f}  (eq. 5)",
            f"g = {head.g[0, t]:.2f}  (eq. 7)",
            f"s = {s}  (eq. 8)",
            f"γ = {head.gamma[0, t]:.2f}  (eq. 9)",
            "",
            f"focus: slot {int(np.argmax(head.weights[0, t]))}, w = {np.max(head.weights[0, t]):.2f}",
        ]
        if head.kind == "write":
            lines += [f"e = {_vector_text(head.erase[0, t], 4)}", f"a = {_vector_text(head.add[0, t], 4)}",
                      "(k key, e erase, a add: eq. 3-4)"]
        else:
            lines += [f"r = {_vector_text(head.read[0, t], 4)}", "(k key, r read vector: eq. 2)"]
        return "\n".join(lines)

    def _control_rows(self):
        c = self.controls
        return [[c["t"], c["head"]], [c["length"], c["seed"]], [c["pattern"], c["run"]], [self.message]]
