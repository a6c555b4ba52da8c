"""Reading and writing, live: one write head erasing and adding to a small memory, then a read (eq. 2-4).

Notebook 02 shows :class:`ReadWriteExplorer`; build it and it shows itself
when it is the value of a cell. The numbers come from :mod:`ntm_core.memory`.
"""

import ipywidgets as widgets
import numpy as np

from ntm_core import memory as memory_ops
from ntm_core.teaching.demo_data import focused_weighting
from ntm_core.validation import check_int
from ntm_core.viz.style import memory_image, weighting_bars
from ntm_core.widgets.base import SLIDER_STYLE, Explorer, batched, float_slider, int_slider, set_bars, to_numpy

__all__ = ["ADD_PATTERNS", "ReadWriteExplorer"]


ADD_PATTERNS = {
    "ones": ("+1 everywhere", lambda m: np.ones(m)),
    "minus_ones": ("−1 everywhere", lambda m: -np.ones(m)),
    "alternating": ("+1, −1, +1, …", lambda m: np.where(np.arange(m) % 2 == 0, 1.0, -1.0)),
    "ramp": ("ramp −1 … +1", lambda m: np.linspace(-1.0, 1.0, m)),
    "zeros": ("zeros (erase only)", lambda m: np.zeros(m)),
}
"""Add vectors of :class:`ReadWriteExplorer`: key -> (label, function of the width M)."""


class ReadWriteExplorer(Explorer):
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
        n = check_int("memory_size", memory_size, minimum=1)
        m = check_int("memory_width", memory_width, minimum=1)
        self.memory_size, self.memory_width = n, m
        rng = np.random.default_rng(seed)
        self.memory_before = np.round(rng.uniform(-1.0, 1.0, (n, m)), 1).astype(np.float32)
        self.controls = {
            "focus": int_slider("focus (slot)", n // 2, 0, n - 1),
            "blur": float_slider("blur", 0.0, 0.0, 3.0, 0.1),
            "erase": float_slider("erase strength e", 1.0, 0.0, 1.0, 0.05),
            "add_pattern": widgets.Dropdown(
                options=[(label, key) for key, (label, _) in ADD_PATTERNS.items()],
                value="ones", description="add vector a", style=SLIDER_STYLE),
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
        mem, w, e, a = batched(self.memory_before, self.weighting(), self.erase_vector(), self.add_vector())
        return to_numpy(memory_ops.write(mem, w, e, a))[0]

    def read_vector(self):
        """r_t = sum_i w(i) M_t(i) (eq. 2) from the memory after the write, (M,)."""
        mem, w = batched(self.memory_after(), self.weighting())
        return to_numpy(memory_ops.read(mem, w))[0]

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
        set_bars(self.artists["weighting"], w)
        self.artists["memory_after"].set_data(self.memory_after())
        set_bars(self.artists["erase"], self.erase_vector())
        set_bars(self.artists["add"], self.add_vector())
        set_bars(self.artists["read"], self.read_vector())
        focus = self.controls["focus"].value
        self.artists["text"].set_text(
            f"w({focus}) = {w[focus]:.2f}\n"
            f"row {focus} keeps\n{1 - w[focus] * self.controls['erase'].value:.0%} "
            "of its old\ncontent, plus\nw·a"
        )
