"""Copy-task sequences from a pattern a student types (section 4.1).

The attention inspector and notebooks 06 and 09 feed an NTM either a random
copy sequence or rows of bits typed as text; this module turns both into the
``(x, y, mask)`` of :class:`ntm_core.tasks.CopyTask`.
"""

import re

import numpy as np

from ntm_core.tasks import copy_batch, copy_sequence
from ntm_core.validation import check_int

__all__ = ["copy_input", "parse_pattern"]

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
    length = check_int("length", length, minimum=1)
    batch = copy_batch(1, length, bits=check_int("bits", bits, minimum=1), rng=check_int("seed", seed))
    return batch.x[0], batch.y[0], batch.mask[0]
