"""The one NumPy reference of the NTM's equations 2-9 (Graves et al. 2014).

Each function writes one equation of section 3 of the paper out in plain
NumPy, in float64, independently of the Keras code in :mod:`ntm_core.memory`
and :mod:`ntm_core.addressing`. The exercise checks compare students'
answers with it, the solutions file restates it, and the tests compare the
Keras layer with it.

Shapes follow ``ntm_core``: a leading batch axis ``B`` on everything; memory
``(B, N, M)``, weightings ``(B, N)``, vectors ``(B, M)``, one scalar per
sequence ``(B, 1)``, shift weightings ``(B, 2R + 1)`` ordered ``-R .. +R``.
Inputs may be lists or arrays of any float dtype; outputs are float64.

Numerical safety, where the plain formula would give NaN or overflow:

* cosine similarity (eq. 6) puts ``EPSILON`` under the square roots, so a
  zero row or key has similarity 0 instead of 0/0;
* softmax (eq. 5) subtracts the maximum before ``exp``, so a large ``beta``
  does not overflow;
* sharpening (eq. 9) works in log space, so a large ``gamma`` does not
  underflow every ``w(i) ** gamma`` to 0 (and then divide 0 by 0).
"""

from __future__ import annotations

import numpy as np

from ntm_core.validation import check_rank

__all__ = [
    "EPSILON",
    "add",
    "address",
    "content_weights",
    "cosine_similarity",
    "erase",
    "interpolate",
    "read",
    "sharpen",
    "shift",
    "softmax",
    "write",
]

# Small enough to leave the similarity of any non-zero pair unchanged to
# float32 precision, large enough that sqrt(0 + EPSILON) is a safe divisor.
EPSILON = 1e-8


def _array(name, value, rank, layout):
    value = np.asarray(value, dtype=np.float64)
    check_rank(name, value, rank, layout)
    return value


# --------------------------------------------------------------- section 3.1-3.2
def read(memory, w):
    """Eq. 2: the read vector r = sum_i w(i) M(i).

    Args:
        memory: (B, N, M) memory; w: (B, N) read weighting.

    Returns:
        (B, M) read vector, one per sequence (no mixing across the batch).
    """
    memory = _array("memory", memory, 3, "(B, N, M)")
    w = _array("w", w, 2, "(B, N)")
    return (w[:, :, None] * memory).sum(axis=1)


def erase(memory, w, e):
    """Eq. 3: M~(i) = M(i) * (1 - w(i) e), elementwise.

    Args:
        memory: (B, N, M); w: (B, N) write weighting; e: (B, M) erase vector in [0, 1].

    Returns:
        (B, N, M). A row is cleared only where both w(i) and e are 1.
    """
    memory = _array("memory", memory, 3, "(B, N, M)")
    w = _array("w", w, 2, "(B, N)")
    e = _array("e", e, 2, "(B, M)")
    return memory * (1.0 - w[:, :, None] * e[:, None, :])


def add(memory, w, a):
    """Eq. 4: M(i) = M~(i) + w(i) a.

    Args:
        memory: (B, N, M) (usually already erased); w: (B, N); a: (B, M) add vector.

    Returns:
        (B, N, M).
    """
    memory = _array("memory", memory, 3, "(B, N, M)")
    w = _array("w", w, 2, "(B, N)")
    a = _array("a", a, 2, "(B, M)")
    return memory + w[:, :, None] * a[:, None, :]


def write(memory, w, e, a):
    """Eq. 3 then eq. 4: erase with ``e``, then add ``a``, both weighted by ``w``.

    Erasing first matters: adding first would let the erase remove part of
    what was just written.

    Returns:
        (B, N, M) the memory after the write.
    """
    return add(erase(memory, w, e), w, a)


# ------------------------------------------------------------------ section 3.3
def softmax(z, axis=-1):
    """exp(z) / sum exp(z) along ``axis``, with the maximum subtracted first.

    Subtracting the maximum changes nothing mathematically (it cancels in the
    ratio) but keeps ``exp`` from overflowing for large logits.
    """
    z = np.asarray(z, dtype=np.float64)
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def cosine_similarity(memory, key):
    """Eq. 6: ``K[k, M(i)] = k . M(i) / (||k|| ||M(i)||)``, for every row i.

    Args:
        memory: (B, N, M); key: (B, M).

    Returns:
        (B, N) similarities in [-1, 1]; 0 where the row or the key is all zeros
        (``EPSILON`` under the square roots).
    """
    memory = _array("memory", memory, 3, "(B, N, M)")
    key = _array("key", key, 2, "(B, M)")
    dot = (memory * key[:, None, :]).sum(axis=-1)
    memory_norm = np.sqrt((memory**2).sum(axis=-1) + EPSILON)
    key_norm = np.sqrt((key**2).sum(axis=-1, keepdims=True) + EPSILON)
    return dot / (memory_norm * key_norm)


def content_weights(memory, key, beta):
    """Eq. 5: w_c(i) = softmax_i(beta K[k, M(i)]) over the N rows.

    Args:
        memory: (B, N, M); key: (B, M); beta: (B, 1) key strength >= 0.

    Returns:
        (B, N) weighting; beta = 0 gives the uniform weighting, a large beta
        focuses on the most similar row.
    """
    beta = _array("beta", beta, 2, "(B, 1)")
    return softmax(beta * cosine_similarity(memory, key), axis=-1)


def interpolate(w_content, w_prev, g):
    """Eq. 7: w_g = g w_c + (1 - g) w_{t-1}.

    Args:
        w_content: (B, N); w_prev: (B, N); g: (B, 1) gate in [0, 1].

    Returns:
        (B, N); g = 1 uses the content weighting only, g = 0 keeps w_prev.
    """
    w_content = _array("w_content", w_content, 2, "(B, N)")
    w_prev = _array("w_prev", w_prev, 2, "(B, N)")
    g = _array("g", g, 2, "(B, 1)")
    return g * w_content + (1.0 - g) * w_prev


def shift(w, s):
    """Eq. 8: the circular convolution w~(i) = sum_j w(i - j) s(j), j = -R..R.

    Args:
        w: (B, N) weighting; s: (B, 2R + 1) shift weighting, the weights of the
            offsets -R, ..., 0, ..., +R in that order.

    Returns:
        (B, N). Offset +1 moves the focus from slot i to slot i + 1; indices
        are taken modulo N, so a focus on the last slot wraps to slot 0.
    """
    w = _array("w", w, 2, "(B, N)")
    s = _array("s", s, 2, "(B, 2R + 1)")
    if s.shape[1] % 2 != 1:
        raise ValueError(f"`s` must have an odd number 2R + 1 of offsets, got shape {s.shape}.")
    radius = s.shape[1] // 2
    # np.roll(w, j)[:, i] is w[:, i - j] (mod N).
    return sum(np.roll(w, j, axis=1) * s[:, j + radius][:, None] for j in range(-radius, radius + 1))


def sharpen(w, gamma):
    """Eq. 9: w(i) = w~(i)^gamma / sum_j w~(j)^gamma.

    Args:
        w: (B, N) weighting (non-negative); gamma: (B, 1), >= 1 in the NTM.

    Returns:
        (B, N); gamma = 1 changes nothing, a larger gamma sharpens. Slots with
        w(i) = 0 stay 0.

    Computed as softmax(gamma log w): the same ratio, but a large gamma no
    longer underflows every power to 0.
    """
    w = _array("w", w, 2, "(B, N)")
    gamma = _array("gamma", gamma, 2, "(B, 1)")
    with np.errstate(divide="ignore"):
        logits = np.where(w > 0, gamma * np.log(np.where(w > 0, w, 1.0)), -np.inf)
    return softmax(logits, axis=-1)


def address(memory, w_prev, key, beta, g, s, gamma):
    """Eq. 5-9 in the order of Figure 2: content, interpolate, shift, sharpen.

    Returns:
        (B, N) the head's weighting for this step.
    """
    w_c = content_weights(memory, key, beta)
    return sharpen(shift(interpolate(w_c, w_prev, g), s), gamma)
