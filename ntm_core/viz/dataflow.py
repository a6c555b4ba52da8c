"""One time step of the NTM as a data-flow diagram, each box with its equation number.

Where :func:`ntm_core.viz.architecture.plot_architecture` draws the paper's
Figure 1 (what is connected to what), this draws the *order* in which one
step computes: the controller, its head parameters, addressing (the paper's
Figure 2, eq. 5-9), erase and add (eq. 3-4), the read (eq. 2) and the
output, so that a student meets the whole step before its pieces.
"""

from matplotlib import patches

from ntm_core.viz.style import STAGE_COLORS, diagram

__all__ = ["EQUATION_LABELS", "plot_step_dataflow"]

# The paper's equations (Graves et al. 2014, section 3), in the order one
# step uses them; each appears as "eq. N" in the diagram.
EQUATION_LABELS = {
    2: "read",
    3: "erase",
    4: "add",
    5: "content weighting",
    6: "cosine similarity",
    7: "interpolation",
    8: "circular shift",
    9: "sharpening",
}

_INPUT, _CONTROLLER, _HEADS = "#f2f2f2", "#cfe2f3", "#fff2cc"
_WRITE, _READ, _MEMORY = "#fce5cd", "#d9ead3", "#ede7f6"


def plot_step_dataflow(ax=None):
    """One step t of the NTM cell as boxes and arrows, in the order it computes.

    ``[x_t, r_{t-1}]`` -> controller (section 3.4) -> head parameters
    ``k, β, g, s, γ`` (and ``e, a`` for a write head) -> addressing, eq. 5-9
    (the write head on ``M_{t-1}``, the read head on ``M_t``) -> erase and
    add, eq. 3-4 -> read, eq. 2 -> output ``y_t``; ``r_t`` and ``M_t`` go
    on to step t + 1.

    Args:
        ax: an Axes to draw on; None makes a new figure.

    Returns:
        the Figure (one Axes, axis lines hidden).
    """
    ax, box, arrow = diagram(ax, (11.0, 5.6), 15.4, 7.5)

    # Inputs of step t.
    box(1.05, 5.0, 1.7, 0.8, "input $x_t$", _INPUT)
    box(1.05, 3.0, 1.7, 0.8, "previous reads\n$r_{t-1}$", _INPUT)
    # Controller, then the head layer with the activations of the parameters.
    box(3.55, 4.0, 1.8, 1.3, "controller\n$h_t$\n(section 3.4)", _CONTROLLER)
    arrow((1.95, 5.0), (2.6, 4.4))
    arrow((1.95, 3.0), (2.6, 3.6))
    box(6.05, 4.0, 2.2, 2.3, "head\nparameters\n$k, \\beta, g, s, \\gamma$\n(write head:\n$+\\ e, a$)",
        _HEADS, size="small")
    arrow((4.5, 4.0), (4.9, 4.0))

    # Addressing: the four stages of the paper's Figure 2, in the stage colours.
    ax.add_patch(patches.FancyBboxPatch((7.55, 1.3), 2.7, 5.0, boxstyle="round,pad=0.08",
                                        facecolor="white", edgecolor="0.2", lw=1.2))
    ax.text(8.9, 6.0, "addressing", ha="center", va="center", fontsize="medium")
    stages = [("content\neq. 5, cosine eq. 6", "content"), ("interpolate\neq. 7", "interpolated"),
              ("shift\neq. 8", "shifted"), ("sharpen\neq. 9", "weights")]
    for i, (text, stage) in enumerate(stages):
        cy = 5.2 - i * 0.95
        box(8.9, cy, 2.3, 0.68, text, "white", size="small", edge=STAGE_COLORS[stage])
        if i:
            arrow((8.9, cy + 0.62), (8.9, cy + 0.36))
    arrow((7.2, 4.0), (7.55, 4.0))
    ax.text(8.9, 1.62, "→ weighting $w_t$", ha="center", va="center", fontsize="small")

    # Write (on M_{t-1}), then read (on M_t).
    box(11.65, 5.2, 2.0, 1.1, "write\nerase eq. 3\nadd eq. 4", _WRITE, size="small")
    box(11.65, 2.6, 2.0, 1.1, "read eq. 2\n$r_t = \\sum_i w_t(i) M_t(i)$", _READ, size="small")
    arrow((10.35, 4.6), (10.6, 5.0))
    arrow((10.35, 3.2), (10.6, 2.8))
    box(11.65, 0.55, 3.2, 0.7, "memory $M_{t-1} \\rightarrow M_t$  ($N \\times M$)", _MEMORY, size="small")
    ax.plot([12.73, 13.1, 13.1], [5.2, 5.2, 1.6], color="0.15", lw=1.4)
    arrow((13.1, 1.6), (13.1, 0.92), "$M_t$", offset=(0.3, 0.9))
    arrow((12.5, 0.98), (12.5, 2.0))
    arrow((10.05, 0.55), (9.0, 1.2), "$M_{t-1}$, $M_t$", offset=(-0.75, -0.3))

    # Output from the controller's h_t and the reads r_t.
    box(14.55, 4.0, 1.4, 1.1, "output\n$y_t$", _INPUT)
    arrow((12.73, 2.8), (13.78, 3.5), "$r_t$", offset=(0.25, -0.3))
    # h_t goes round the addressing box, over the top, to the output layer.
    ax.plot([3.55, 3.55, 14.55], [4.75, 6.95, 6.95], color="0.15", lw=1.4)
    arrow((14.55, 6.95), (14.55, 4.62))
    ax.text(9.0, 7.02, "$h_t$", ha="center", va="bottom", fontsize="small", color="0.25")
    # What goes on to the next step.
    ax.plot([11.0, 11.0, 1.05], [1.97, 1.07, 1.07], color="0.45", lw=1.4, linestyle="--")
    arrow((1.05, 1.07), (1.05, 2.52), style="--", color="0.45")
    ax.text(5.0, 1.12, "$r_t$ becomes the next step's $r_{t-1}$", ha="center", va="bottom",
            fontsize="small", color="0.25")
    ax.set_title("One time step of the NTM, in the order it computes (Graves et al. 2014, section 3)",
                 fontsize="medium")
    return ax.figure
