"""Addressing, live: one explorer per stage of eq. 5-9, and one for all of them (Figure 2).

* :class:`ContentAddressingExplorer`: cosine similarity and content weighting (eq. 5-6)
* :class:`InterpolationExplorer`: the interpolation gate g (eq. 7)
* :class:`ShiftExplorer`: the circular convolutional shift (eq. 8)
* :class:`SharpenExplorer`: sharpening with gamma (eq. 9)
* :class:`AddressingPipelineExplorer`: eq. 5-9 in one view

Each recomputes its few numbers with :mod:`ntm_core.addressing` on every
move (cheap on an 8 x 6 memory) and only changes the data of its artists.
"""

import numpy as np

from ntm_core import addressing
from ntm_core.teaching.demo_data import demo_memory, focused_weighting, shift_distribution
from ntm_core.validation import check_int
from ntm_core.viz.style import STAGE_COLORS, STAGE_TITLES, memory_image, weighting_bars
from ntm_core.widgets.base import (
    Explorer,
    batched,
    float_slider,
    int_slider,
    outline_bars,
    per_sequence,
    set_bars,
    to_numpy,
)

__all__ = [
    "AddressingPipelineExplorer",
    "ContentAddressingExplorer",
    "InterpolationExplorer",
    "SharpenExplorer",
    "ShiftExplorer",
]


class ContentAddressingExplorer(Explorer):
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
        n = check_int("memory_size", memory_size, minimum=1)
        m = check_int("memory_width", memory_width, minimum=1)
        self.memory_size, self.memory_width = n, m
        self.memory = demo_memory(n, m, seed)
        self.noise_direction = np.random.default_rng([seed, 1]).normal(size=m).astype(np.float32)
        self.controls = {
            "key_row": int_slider("key imitates row", 0, 0, n - 1),
            "noise": float_slider("key noise", 0.0, 0.0, 2.0, 0.05),
            "beta": float_slider("β (key strength)", 5.0, 0.0, 50.0, 0.5),
        }
        self._build_figure()
        self._connect()

    def key(self):
        """k = M(key_row) + noise x a fixed random vector, (M,)."""
        c = self.controls
        return (self.memory[c["key_row"].value] + c["noise"].value * self.noise_direction).astype(np.float32)

    def similarity(self):
        """Cosine similarity K[k, M(i)] of the key with every row (eq. 6), (N,)."""
        mem, k = batched(self.memory, self.key())
        return to_numpy(addressing.cosine_similarity(mem, k))[0]

    def weighting(self):
        """Content weighting w^c (eq. 5), (N,)."""
        mem, k = batched(self.memory, self.key())
        return to_numpy(addressing.content_weights(mem, k, per_sequence(self.controls["beta"].value)))[0]

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
        set_bars(self.artists["similarity"], self.similarity())
        set_bars(self.artists["weighting"], self.weighting())
        self.artists["title"].set_text(f"content weighting (eq. 5), β = {self.controls['beta'].value:g}")


class InterpolationExplorer(Explorer):
    """The interpolation gate: w^g = g w^c + (1 - g) w_{t-1} (eq. 7).

    w^c is :func:`focused_weighting` at ``content_focus`` (blur 1) and
    w_{t-1} is one-hot at ``prev_focus``. Drawn: w^c, w_{t-1} and w^g as
    three bar charts. g = 1 ignores the past (pure content), g = 0 ignores
    the content (pure location: the head keeps its place).

    Controls: ``g``, ``content_focus``, ``prev_focus``.
    """

    def __init__(self, memory_size=8):
        super().__init__(figsize=(10.0, 2.9))
        n = self.memory_size = check_int("memory_size", memory_size, minimum=1)
        self.controls = {
            "g": float_slider("g (gate)", 0.5, 0.0, 1.0, 0.05),
            "content_focus": int_slider("content focus", min(2, n - 1), 0, n - 1),
            "prev_focus": int_slider("previous focus", min(5, n - 1), 0, n - 1),
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
        wc, wp = batched(self.content(), self.previous())
        return to_numpy(addressing.interpolate(wc, wp, per_sequence(self.controls["g"].value)))[0]

    def _update_artists(self):
        set_bars(self.artists["content"], self.content())
        set_bars(self.artists["previous"], self.previous())
        set_bars(self.artists["interpolated"], self.interpolated())
        g = self.controls["g"].value
        self.artists["title"].set_text(f"$w^g = g\\,w^c + (1-g)\\,w_{{t-1}}$ with g = {g:.2f}")


class ShiftExplorer(Explorer):
    """The convolutional shift: w~(i) = sum_j w^g(i - j) s(j), indices mod N (eq. 8).

    w^g is one-hot at ``focus``; s over the offsets -1, 0, +1 is
    :func:`shift_distribution` (``shift``, ``blur``). Drawn: s, w^g and w~
    (with w^g as a grey outline). At the ends the focus wraps around: the
    memory is a ring.

    Controls: ``focus``, ``shift``, ``blur``.
    """

    def __init__(self, memory_size=8):
        super().__init__(figsize=(10.0, 2.9))
        n = self.memory_size = check_int("memory_size", memory_size, minimum=1)
        self.controls = {
            "focus": int_slider("focus", n - 1, 0, n - 1),
            "shift": int_slider("shift", 1, -1, 1),
            "blur": float_slider("blur", 0.0, 0.0, 1.0, 0.05),
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
        self.artists["before_outline"] = outline_bars(ax_out, n, label="before")
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
        w, s = batched(self.before(), self.s())
        return to_numpy(addressing.shift(w, s))[0]

    def _update_artists(self):
        before = self.before()
        set_bars(self.artists["s"], self.s())
        set_bars(self.artists["before"], before)
        set_bars(self.artists["after"], self.after())
        set_bars(self.artists["before_outline"], before)
        focus, shift, n = self.controls["focus"].value, self.controls["shift"].value, self.memory_size
        target = focus + shift
        wraps = target < 0 or target >= n
        note = f"wraps around: slot {focus} → slot {target % n}" if wraps else " "
        self.artists["title"].set_text(f"after the shift, $\\tilde w_t$ (eq. 8)\n{note}")


class SharpenExplorer(Explorer):
    """Sharpening: w(i) = w~(i)^gamma / sum_j w~(j)^gamma (eq. 9).

    The blurred input w~ has two bumps: 0.65 x :func:`focused_weighting` at
    slot N // 3 plus 0.35 x at slot 2N // 3, both with width ``blur``.
    Drawn: w~ and the sharpened w (with w~ as a grey outline). gamma = 1
    changes nothing; larger gamma concentrates the weight on the larger bump.

    Controls: ``gamma``, ``blur``.
    """

    def __init__(self, memory_size=8):
        super().__init__(figsize=(8.0, 2.9))
        n = self.memory_size = check_int("memory_size", memory_size, minimum=1)
        self.controls = {
            "gamma": float_slider("γ (sharpening)", 1.0, 1.0, 20.0, 0.1),
            "blur": float_slider("blur of the input", 1.0, 0.3, 3.0, 0.1),
        }
        ax_in, ax_out = self.figure.subplots(1, 2, sharey=True)
        self.artists["before"] = weighting_bars(ax_in, np.zeros(n), color=STAGE_COLORS["shifted"])
        ax_in.set_title(r"blurred, $\tilde w_t$", fontsize="medium")
        ax_in.set_ylabel("$w(i)$")
        self.artists["after"] = weighting_bars(ax_out, np.zeros(n), color=STAGE_COLORS["weights"])
        self.artists["before_outline"] = outline_bars(ax_out, n, label="before")
        ax_out.legend(loc="upper right", fontsize="small", frameon=False)
        self.artists["title"] = ax_out.set_title("", fontsize="medium")
        self._connect()

    def before(self):
        n, blur = self.memory_size, self.controls["blur"].value
        w = 0.65 * focused_weighting(n, n // 3, blur) + 0.35 * focused_weighting(n, (2 * n) // 3, blur)
        return w.astype(np.float32)

    def after(self):
        """w (eq. 9), (N,)."""
        (w,) = batched(self.before())
        return to_numpy(addressing.sharpen(w, per_sequence(self.controls["gamma"].value)))[0]

    def _update_artists(self):
        before = self.before()
        set_bars(self.artists["before"], before)
        set_bars(self.artists["after"], self.after())
        set_bars(self.artists["before_outline"], before)
        self.artists["title"].set_text(f"sharpened $w_t$ (eq. 9), γ = {self.controls['gamma'].value:.1f}")


class AddressingPipelineExplorer(Explorer):
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
        n = check_int("memory_size", memory_size, minimum=1)
        m = check_int("memory_width", memory_width, minimum=1)
        self.memory_size, self.memory_width = n, m
        self.memory = demo_memory(n, m, seed)
        self.controls = {
            "key_row": int_slider("key = row", 3 % n, 0, n - 1),
            "beta": float_slider("β", 10.0, 0.0, 50.0, 0.5),
            "g": float_slider("g", 1.0, 0.0, 1.0, 0.05),
            "prev_focus": int_slider("previous focus", 0, 0, n - 1),
            "shift": int_slider("shift", 1, -1, 1),
            "blur": float_slider("shift blur", 0.0, 0.0, 1.0, 0.05),
            "gamma": float_slider("γ", 1.0, 1.0, 20.0, 0.1),
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
        self.artists["previous_outline"] = outline_bars(axes[2], n, horizontal=True, label="$w_{t-1}$")
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
        mem, w_prev, key, s = batched(self.memory, self.previous(), self.key(), self.s())
        out = addressing.address_stages(mem, w_prev, key, per_sequence(c["beta"].value), per_sequence(c["g"].value), s,
                                        per_sequence(c["gamma"].value))
        return {name: to_numpy(out[name])[0] for name in self.STAGES}

    def _update_artists(self):
        for name, w in self.stages().items():
            set_bars(self.artists[name], w)
        set_bars(self.artists["previous_outline"], self.previous())
        self.artists["key_marker"].set_ydata([self.controls["key_row"].value])
