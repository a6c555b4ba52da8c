"""Small hand-made weightings and memories for the figures and explorers of notebooks 01-03.

Pure NumPy and documented, so a student (or a test) can rebuild them.
"""

import numpy as np

from ntm_core.validation import check_int, check_number

__all__ = ["demo_memory", "focused_weighting", "shift_distribution"]


def focused_weighting(n, focus, blur):
    """A weighting over ``n`` slots peaked at ``focus``.

    w(i) is proportional to exp(-d(i, focus)^2 / (2 blur^2)), where d is the
    circular distance ``min(|i - focus|, n - |i - focus|)`` (the memory is a
    ring, as for the shift of eq. 8). ``blur = 0`` gives a one-hot weighting.
    Returns a float32 (n,) array summing to 1.
    """
    n = check_int("n", n, minimum=1)
    focus = check_int("focus", focus)
    blur = check_number("blur", blur, minimum=0.0)
    i = np.arange(n)
    d = np.abs(i - focus % n)
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
    radius = check_int("radius", radius, minimum=0)
    shift = check_int("shift", shift, minimum=-radius, maximum=radius)
    blur = check_number("blur", blur, minimum=0.0, maximum=1.0)
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
    n, m = check_int("n", n, minimum=1), check_int("m", m, minimum=1)
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
