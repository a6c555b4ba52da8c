"""The frame every explorer shares: controls above one figure, rendered to PNG.

Every explorer has ``controls`` (name -> widget), ``figure`` (one
matplotlib Figure, built once), ``artists`` (name -> the drawn objects, for
tests and for curious students), ``widget`` (the whole box) and ``update()``.
Moving a control only changes the data of existing artists.

How the figure reaches the page: ipympl is not a dependency, so the figure is
a plain :class:`matplotlib.figure.Figure` (never registered with pyplot, so
the inline backend never shows a stray copy of it) rendered to PNG into an
``ipywidgets.Image`` after every update. This works in JupyterLab, classic
Notebook and Voila without a kernel-side canvas. Slider messages are
throttled by ipywidgets (one in flight at a time), so dragging does not queue
up renders.
"""

import base64
import contextlib
import io

import ipywidgets as widgets
import numpy as np
from keras import ops
from matplotlib.figure import Figure

__all__ = [
    "SLIDER_STYLE",
    "Explorer",
    "batched",
    "float_slider",
    "int_slider",
    "outline_bars",
    "per_sequence",
    "set_bars",
    "to_numpy",
    "vector_text",
]

SLIDER_STYLE = {"description_width": "initial"}


def to_numpy(x):
    """A backend tensor (or array) as a NumPy array."""
    return np.asarray(ops.convert_to_numpy(x))


def batched(*arrays):
    """Each array as float32 with a leading batch axis of 1, as the equation functions take them."""
    # The equation functions take a leading batch axis and float32 keeps
    # every backend on the same dtype (JAX would silently drop float64).
    return [np.asarray(a, np.float32)[None] for a in arrays]


def per_sequence(value):
    """A scalar as the (1, 1) "one value per sequence" the equation functions take (beta, g, gamma)."""
    return np.full((1, 1), value, np.float32)


def set_bars(bars, values):
    """Move existing bars to ``values`` (no new artists: the figure keeps its layout)."""
    horizontal = getattr(bars, "orientation", "vertical") == "horizontal"
    for rect, v in zip(bars, values):
        (rect.set_width if horizontal else rect.set_height)(float(v))


def outline_bars(ax, n, horizontal=False, label=None):
    """Unfilled bars: a weighting drawn over another for comparison."""
    style = {"fill": False, "edgecolor": "0.25", "linewidth": 1.0, "label": label}
    if horizontal:
        return ax.barh(np.arange(n), np.zeros(n), height=0.8, **style)
    return ax.bar(np.arange(n), np.zeros(n), width=0.8, **style)


def vector_text(v, limit=8):
    """The first ``limit`` entries of ``v`` as signed text, e.g. ``[+0.50 -1.00 …]``."""
    items = [f"{x:+.2f}" for x in np.asarray(v)[:limit]]
    more = " …" if len(v) > limit else ""
    return "[" + " ".join(items) + more + "]"


class Explorer:
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

    def _repr_mimebundle_(self, include=None, exclude=None):
        # The live widget, plus its current figure as a PNG: Jupyter shows the
        # widget, while a static rendering with no kernel behind it (the course
        # website, nbconvert, a notebook viewer) shows the figure instead of a
        # widget placeholder.
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle


def int_slider(description, value, low, high, **kwargs):
    return widgets.IntSlider(value=value, min=low, max=high, step=1, description=description,
                             style=SLIDER_STYLE, **kwargs)


def float_slider(description, value, low, high, step, **kwargs):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               style=SLIDER_STYLE, **kwargs)
