"""Draw docs/images/copy_ntm.png, the README's picture (generated: edit this, not the PNG).

    python tools/readme_figure.py

The shipped copy NTM copies a sequence of 30 vectors (longer than any of the
1-20 it was trained on): its input, its output, and where its write and read
heads attend in memory at each time step (slots in use only).
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import ntm_core  # noqa: E402
from ntm_core.tasks import copy_batch  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "images" / "copy_ntm.png"
LENGTH = 30
SEED = 3


def main():
    model, _ = ntm_core.load_pretrained("copy_ntm")
    batch = copy_batch(1, LENGTH, rng=SEED)
    run = ntm_core.trace(model, batch.x)
    write, read = (next(h for h in run.heads if h.kind == kind) for kind in ("write", "read"))
    used = np.flatnonzero((write.weights[0] + read.weights[0]).max(axis=0) > 0.05)
    lo, hi = max(used.min() - 2, 0), used.max() + 3
    panels = [
        ("input", batch.x[0].T, "Greys"),
        ("output (scored steps)", (run.outputs[0] * batch.mask[0][:, None]).T, "Greys"),
        ("write weighting", write.weights[0, :, lo:hi].T, "Blues"),
        ("read weighting", read.weights[0, :, lo:hi].T, "Oranges"),
    ]
    fig, axes = plt.subplots(2, 2, figsize=(10, 5.2), constrained_layout=True)
    for ax, (title, image, cmap) in zip(axes.ravel(), panels):
        ax.imshow(image, aspect="auto", cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(title)
        ax.set_xlabel("time step")
        ax.set_ylabel("slot" if "weighting" in title else "bit")
        if "weighting" in title:
            ticks = ax.get_yticks()
            ax.set_yticks(ticks[(ticks >= 0) & (ticks < hi - lo)])
            ax.set_yticklabels([f"{int(t + lo)}" for t in ax.get_yticks()])
    fig.suptitle(f"A trained NTM copies {LENGTH} vectors (trained on at most 20): it writes one slot per step, then reads them back in order")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, dpi=90)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
