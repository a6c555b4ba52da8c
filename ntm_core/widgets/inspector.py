"""The attention inspector: a trained NTM on one copy sequence, one time step at a time.

The model runs once per sequence (:func:`ntm_core.trace.trace`); the
sliders then only index the recorded arrays, so moving them is cheap.
"""

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.gridspec import GridSpecFromSubplotSpec

from ntm_core.trace import find_ntm
from ntm_core.trace import trace as record_trace
from ntm_core.validation import check_choice, check_int, check_number
from ntm_core.viz.bands import ALL, USED, label_band, slot_band
from ntm_core.viz.style import STAGE_COLORS, STAGE_TITLES, image_over_time, memory_image, weighting_bars
from ntm_core.widgets.base import SLIDER_STYLE, Explorer, int_slider, set_bars, vector_text
from ntm_core.widgets.patterns import copy_input, parse_pattern

__all__ = ["AttentionInspector"]


def _input_size(model):
    size = getattr(find_ntm(model).cell, "input_size", None)
    return int(size) if size is not None else int(model.input_shape[-1])


class AttentionInspector(Explorer):
    """A trained NTM on one copy sequence, one time step at a time.

    The model is run once per sequence with :func:`ntm_core.trace.trace`; the
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
        figsize: the figure's (width, height) in inches, at 100 dpi: smaller
            for a projector page that must fit one screen.
        slots: ``"used"`` (default) draws the weightings, the memory and the
            stages on the band of slots the heads use on this sequence
            (:func:`ntm_core.viz.bands.slot_band`, recomputed for every new
            sequence; ``band`` holds it); ``"all"`` draws all N slots.

    Controls: ``t``, ``head``, ``slots`` (the dropdown "slots": "in use" or
    "all N"), and for a new sequence ``length``, ``seed``,
    ``pattern`` and ``run``. Moving ``length`` or ``seed`` traces a new random
    sequence; ``run`` traces the typed ``pattern`` (or, when it is empty, a
    random sequence). A pattern that cannot be read leaves the current
    sequence and shows why in ``message``.
    """

    STAGES = ("content", "interpolated", "shifted", "weights")

    def __init__(self, model, length=10, seed=0, pattern=None, max_length=30, figsize=(13.0, 8.6), slots=USED):
        super().__init__(figsize=tuple(check_number(f"figsize[{i}]", v, minimum=1) for i, v in enumerate(figsize)))
        if isinstance(model, str) or hasattr(model, "__fspath__"):
            import keras

            model = keras.saving.load_model(model)
        self.model = model
        length = check_int("length", length, minimum=1)
        max_length = check_int("max_length", max_length, minimum=1)
        seed = check_int("seed", seed)
        slots = check_choice("slots", slots, (USED, ALL))
        self.bits = _input_size(model) - 1
        pattern_text = pattern if isinstance(pattern, str) else (
            "" if pattern is None else " ".join("".join(str(int(b)) for b in row) for row in np.asarray(pattern)))
        self.message = widgets.HTML()
        self.controls = {
            "t": int_slider("time step t", 0, 0, 1, continuous_update=True),
            "head": widgets.Dropdown(options=[("head", 0)], description="head", style=SLIDER_STYLE),
            "slots": widgets.Dropdown(options=[("in use", USED), ("all", ALL)], value=slots, description="slots",
                                      style=SLIDER_STYLE, layout=widgets.Layout(width="170px")),
            "length": int_slider("length", int(length), 1, max(int(max_length), int(length)),
                                  continuous_update=False),
            "seed": widgets.IntText(value=int(seed), description="seed", style=SLIDER_STYLE,
                                    layout=widgets.Layout(width="150px")),
            "pattern": widgets.Text(value=pattern_text, description="pattern",
                                    placeholder="rows of bits, e.g. 10110010 01100110",
                                    style=SLIDER_STYLE, layout=widgets.Layout(width="420px")),
            "run": widgets.Button(description="Run this sequence", button_style="primary", icon="play"),
        }
        x, y, mask = copy_input(length, seed, pattern_text or None, self.bits)
        self.trace = None
        self._sequence(x, y, mask, self._describe(pattern_text, length, seed))
        n = self.trace.memory.shape[2]
        self.controls["slots"].options = [("in use", USED), (f"all {n}", ALL)]
        self.controls["slots"].value = slots
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
        self.trace = record_trace(self.model, x[None])
        # One band for every head, so that switching heads keeps the rows in place.
        self.used_band = slot_band(self.trace)
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

    @property
    def band(self):
        """The slots drawn, in drawing order: the band in use or all N (the ``slots`` control)."""
        if self.controls["slots"].value == ALL:
            return np.arange(self.trace.memory.shape[2])
        return self.used_band

    def _slots_changed(self, change=None):
        self._relayout = True  # the slot labels change width
        self._on_change(change)

    def _connect_inspector(self):
        for name in ("t", "head"):
            self.controls[name].observe(self._on_change, names="value")
        self.controls["slots"].observe(self._slots_changed, names="value")
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
        self._band_axes = [ax_time, ax_mem, stage_axes[0]]
        self._drawn_band = None
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
        band = self.band
        size = len(band)
        # Row i of every slot-indexed artist shows slot band[i].
        a["weights_over_time"].set_data(head.weights[0][:, band].T)
        a["weights_over_time"].set_extent((-0.5, steps - 0.5, size - 0.5, -0.5))
        a["weights_title"].set_text(f"{head.label}: weighting $w_t$ over time")
        for line in a["time_lines"]:
            line.set_xdata([t, t])
        focus = int(np.argmax(head.weights[0, t]))
        rows = np.flatnonzero(band == focus)
        row = float(rows[0]) if rows.size else np.nan  # NaN: the focus is outside the band, no marker
        a["focus_marker"].set_data([t], [row])
        a["memory"].set_data(tr.memory[0, t][band])
        a["memory"].set_extent((-0.5, tr.memory.shape[3] - 0.5, size - 0.5, -0.5))
        a["memory_title"].set_text(f"memory after step {t}, $M_{{{t}}}$")
        a["memory_marker"].set_ydata([row])
        n = head.weights.shape[2]
        for name in self.STAGES:
            # The bars of all N slots stay; those past the band sit below the
            # visible rows, at 0, so no artist is ever recreated.
            values = np.zeros(n)
            values[:size] = getattr(head, name)[0, t, band]
            set_bars(a[name], values)
        if self._drawn_band is None or not np.array_equal(band, self._drawn_band):
            for ax in self._band_axes:
                ax.set_ylim(size - 0.5, -0.5)
                label_band(ax, band)
            self._drawn_band = band
        a["text"].set_text(self._parameter_text(head, t))

    def _parameter_text(self, head, t):
        radius = head.shift.shape[2] // 2
        s = " ".join(f"{j:+d}:{p:.2f}" for j, p in zip(range(-radius, radius + 1), head.shift[0, t]))
        lines = [
            f"{head.label}, t = {t}",
            self._phase(t),
            "",
            f"k = {vector_text(head.key[0, t], 4)}",
            f"β = {head.beta[0, t]:.2f}  (eq. 5)",
            f"g = {head.g[0, t]:.2f}  (eq. 7)",
            f"s = {s}  (eq. 8)",
            f"γ = {head.gamma[0, t]:.2f}  (eq. 9)",
            "",
            f"focus: slot {int(np.argmax(head.weights[0, t]))}, w = {np.max(head.weights[0, t]):.2f}",
        ]
        if head.kind == "write":
            lines += [f"e = {vector_text(head.erase[0, t], 4)}", f"a = {vector_text(head.add[0, t], 4)}",
                      "(k key, e erase, a add: eq. 3-4)"]
        else:
            lines += [f"r = {vector_text(head.read[0, t], 4)}", "(k key, r read vector: eq. 2)"]
        return "\n".join(lines)

    def _control_rows(self):
        c = self.controls
        return [[c["t"], c["head"], c["slots"]], [c["length"], c["seed"]], [c["pattern"], c["run"]], [self.message]]
