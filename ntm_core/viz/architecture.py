"""The NTM as a block diagram: the paper's Figure 1, drawn with matplotlib patches."""

from matplotlib import patches

from ntm_core.viz.style import diagram

__all__ = ["plot_architecture"]


def plot_architecture(ax=None):
    """The NTM as a block diagram (the paper's Figure 1).

    External input -> controller -> external output; the controller drives
    the read and write heads; write heads change the memory matrix (eq. 3-4);
    read heads read it (eq. 2) and feed the read vectors back to the
    controller at the next step.

    Returns:
        the Figure (one Axes, axis lines hidden).
    """
    ax, box, arrow = diagram(ax, (8.0, 5.0), 10, 7)

    box(1.1, 5.6, 1.8, 0.8, "external\ninput $x_t$", "#f2f2f2")
    box(8.9, 5.6, 1.8, 0.8, "external\noutput $y_t$", "#f2f2f2")
    box(5.0, 5.6, 3.0, 1.0, "controller\n(LSTM or feed-forward)", "#cfe2f3")
    box(3.3, 3.4, 2.2, 0.8, "read heads", "#d9ead3")
    box(6.7, 3.4, 2.2, 0.8, "write heads", "#fce5cd")
    arrow((2.05, 5.6), (3.45, 5.6))
    arrow((6.55, 5.6), (7.95, 5.6))
    arrow((4.2, 5.05), (3.6, 3.85))
    ax.text(4.0, 4.3, "$k, \\beta, g, s, \\gamma$", ha="left", va="center", fontsize="small", color="0.25")
    arrow((5.8, 5.05), (6.4, 3.85))
    ax.text(6.35, 4.3, "$k, \\beta, g, s, \\gamma, e, a$", ha="left", va="center", fontsize="small", color="0.25")
    arrow((2.15, 3.4), (3.5, 5.1), rad=-0.45)
    ax.text(1.1, 4.25, "read vector $r_t$\n(controller input\nat step $t+1$)", ha="center", va="center",
            fontsize="small", color="0.25")

    # The memory as a small grid, so "matrix of N slots of width M" is visible.
    left, bottom, cols, nrows, cell = 2.6, 0.35, 12, 4, 0.4
    for r in range(nrows):
        for c in range(cols):
            ax.add_patch(patches.Rectangle((left + c * cell, bottom + r * cell), cell, cell,
                                           facecolor="#ede7f6", edgecolor="0.55", lw=0.6))
    ax.text(left + cols * cell + 0.2, bottom + nrows * cell / 2, "memory matrix\n$M_t$ ($N \\times M$)",
            ha="left", va="center", fontsize="medium")
    top = bottom + nrows * cell
    arrow((6.7, 2.95), (6.7, top + 0.05), "erase, add\n(eq. 3-4)", offset=(0.75, -0.45))
    arrow((3.3, top + 0.05), (3.3, 2.95), "read\n(eq. 2)", offset=(-0.65, -0.35))
    ax.set_title("Neural Turing Machine (Graves et al. 2014, Figure 1)", fontsize="medium")
    return ax.figure
