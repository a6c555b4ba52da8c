"""Reading from and writing to memory (Graves et al. 2014, section 3.1-3.2).

The memory is a matrix of ``N`` rows (slots) of width ``M``. Heads never touch
one row: they read and write *every* row, each in proportion to a weighting
``w`` over the rows, which is what makes the memory differentiable.
"""

import numpy as np
from keras import ops

from ntm_core.validation import check_rank, check_shape


def _shape(x):
    # NumPy arrays and every backend's tensors carry a static .shape; lists do not.
    return x if hasattr(x, "shape") else np.asarray(x)


def _check_memory_and_weighting(memory, w):
    m_shape = check_rank("memory", _shape(memory), 3, "(batch, N, M)")
    check_shape("w", _shape(w), m_shape[:2], "(batch, N)")
    return m_shape


def read(memory, w):
    """Read a blurred row (eq. 2): r = sum_i w(i) M(i).

    Args:
        memory: (B, N, M) memory matrix.
        w: (B, N) read weighting (non-negative, sums to 1).

    Returns:
        (B, M) read vector.
    """
    _check_memory_and_weighting(memory, w)
    memory = ops.convert_to_tensor(memory)
    w = ops.cast(ops.convert_to_tensor(w), memory.dtype)
    return ops.einsum("bn,bnm->bm", w, memory)


def _check_vector(name, v, m_shape):
    check_shape(name, _shape(v), (m_shape[0], m_shape[2]), "(batch, M)")


def erase(memory, w, e):
    """Erase (eq. 3): M~(i) = M(i) * (1 - w(i) e), elementwise.

    Args:
        memory: (B, N, M); w: (B, N) write weighting; e: (B, M) erase vector in [0, 1].

    Returns:
        (B, N, M). A row is fully cleared only where both w(i) and e are 1.
    """
    m_shape = _check_memory_and_weighting(memory, w)
    _check_vector("erase", e, m_shape)
    memory = ops.convert_to_tensor(memory)
    w = ops.cast(ops.convert_to_tensor(w), memory.dtype)
    e = ops.cast(ops.convert_to_tensor(e), memory.dtype)
    return memory * (1.0 - w[:, :, None] * e[:, None, :])


def add(memory, w, a):
    """Add (eq. 4): M(i) = M~(i) + w(i) a.

    Args:
        memory: (B, N, M); w: (B, N) write weighting; a: (B, M) add vector.

    Returns:
        (B, N, M).
    """
    m_shape = _check_memory_and_weighting(memory, w)
    _check_vector("add", a, m_shape)
    memory = ops.convert_to_tensor(memory)
    w = ops.cast(ops.convert_to_tensor(w), memory.dtype)
    a = ops.cast(ops.convert_to_tensor(a), memory.dtype)
    return memory + w[:, :, None] * a[:, None, :]


def write(memory, w, erase_vector, add_vector):
    """One write head: erase then add (eq. 3-4).

    Args:
        memory: (B, N, M) memory before the write.
        w: (B, N) write weighting.
        erase_vector: (B, M) in [0, 1].
        add_vector: (B, M).

    Returns:
        (B, N, M) memory after the write. With several write heads the cell
        applies every head's erase before any head's add (the paper notes
        the order of the adds does not matter, since addition commutes).
    """
    return add(erase(memory, w, erase_vector), w, add_vector)
