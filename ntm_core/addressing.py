"""Addressing: how a head decides where to look (Graves et al. 2014, section 3.3).

A head produces a weighting ``w`` over the ``N`` memory rows in four stages::

    content  (eq. 5-6)   w_c = softmax(beta * cosine(k, M[i]))
    interpolate (eq. 7)  w_g = g * w_c + (1 - g) * w_prev
    shift    (eq. 8)     w~  = circular convolution of w_g with s
    sharpen  (eq. 9)     w   = w~ ** gamma / sum(w~ ** gamma)

Every function takes a leading batch axis ``B``, accepts NumPy arrays or
backend tensors, and uses ``keras.ops`` only, so it runs on TensorFlow, JAX and
PyTorch. They are numerically safe in float32 and float16: zero memory rows,
zero or huge keys, ``beta = 0``, ``gamma = 1`` and weightings that are zero
almost everywhere give finite values and finite gradients (see ``EPSILON`` and
:func:`epsilon`).
"""

import keras
import numpy as np
from keras import ops

from ntm_core.validation import check_rank, check_shape

# Added under square roots and logarithms. Without it the cosine of a zero
# key or zero memory row is 0/0, d/dx sqrt(x) is infinite at 0, and
# d/dgamma of 0**gamma is 0 * log(0): the three classic NaN sources of NTMs.
# This is the float32 value; :func:`epsilon` gives the one for other dtypes.
EPSILON = 1e-8


def epsilon(dtype):
    """The EPSILON for computations in ``dtype``: ``max(EPSILON, 10 * smallest normal)``.

    1e-8 rounds to 0 in float16 (its smallest subnormal is 6e-8), which would
    bring every NaN above back under mixed precision. A subnormal epsilon is
    not enough either: at an all-zero row and key the backward pass divides
    by the epsilon itself (``d(x/y)/dy = -x/y**2`` with ``y = sqrt(eps)``),
    and 1/6e-8 overflows float16's maximum of 65504. Ten times the smallest
    normal float16 (6.1e-4) keeps 1/eps at 1638 and 1/sqrt(eps) at 40, far
    enough below 65504 to be multiplied by an incoming gradient. For float32,
    float64 and bfloat16 (float32's exponent range) the maximum is 1e-8, so
    their results are unchanged.
    """
    dtype = keras.backend.standardize_dtype(dtype)
    tiny = np.finfo("float32" if dtype == "bfloat16" else dtype).tiny
    return max(EPSILON, 10.0 * float(tiny))


def _shape(x):
    # NumPy arrays and every backend's tensors carry a static .shape; lists do not.
    return x if hasattr(x, "shape") else np.asarray(x)


def _check_per_row(name, x, batch):
    """One scalar per sequence: (batch, 1)."""
    return check_shape(name, _shape(x), (batch, 1), "(batch, 1)")


def _check_weighting(name, w, batch=None, slots=None):
    return check_shape(name, _shape(w), (batch, slots), "(batch, N)")


def cosine_similarity(memory, key):
    """Cosine similarity between a key and every memory row (eq. 6).

    Args:
        memory: (B, N, M) memory matrix.
        key: (B, M) key vector.

    Returns:
        (B, N) similarities K[k, M(i)] = k . M(i) / (||k|| ||M(i)||), in [-1, 1].
    """
    m_shape = check_rank("memory", _shape(memory), 3, "(batch, N, M)")
    check_shape("key", _shape(key), (m_shape[0], m_shape[2]), "(batch, M)")
    memory = ops.convert_to_tensor(memory)
    key = ops.cast(ops.convert_to_tensor(key), memory.dtype)
    eps = epsilon(memory.dtype)
    # sqrt(|x|^2 + eps) instead of |x|: a zero row or key then has similarity
    # 0 and a finite gradient instead of 0/0. The key is divided by its norm
    # before the product, not the product by both norms: at a zero row and a
    # zero key the gradient then passes through 1/sqrt(eps) twice rather than
    # through 1/eps (1/(norm * norm)), which matters in float16.
    key = key / _norm(key, eps, keepdims=True)
    return ops.einsum("bnm,bm->bn", memory, key) / _norm(memory, eps)


def _norm(x, eps, keepdims=False):
    """sqrt(|x|^2 + eps) over the last axis, in x's dtype."""
    if keras.backend.standardize_dtype(x.dtype) != "float16":
        return ops.sqrt(ops.sum(ops.square(x), axis=-1, keepdims=keepdims) + eps)
    # A float16 square overflows from |x| = 256 (its maximum is 65504), and
    # a sum of M squares sooner, though the norm itself is small: sum in float32.
    squares = ops.sum(ops.square(ops.cast(x, "float32")), axis=-1, keepdims=keepdims)
    return ops.cast(ops.sqrt(squares + eps), "float16")


def content_weights(memory, key, beta):
    """Content-based addressing (eq. 5): focus on rows similar to the key.

    Args:
        memory: (B, N, M) memory matrix.
        key: (B, M) key vector k.
        beta: (B, 1) key strength, >= 0. beta = 0 gives a uniform weighting;
            large beta approaches a one-hot weighting on the most similar row.

    Returns:
        (B, N) weighting w_c(i) = exp(beta K(k, M(i))) / sum_j exp(beta K(k, M(j))).
    """
    batch = check_rank("memory", _shape(memory), 3, "(batch, N, M)")[0]
    _check_per_row("beta", beta, batch)
    similarity = cosine_similarity(memory, key)
    beta = ops.cast(ops.convert_to_tensor(beta), similarity.dtype)
    # ops.softmax subtracts the maximum first, so a large beta cannot overflow.
    return ops.softmax(beta * similarity, axis=-1)


def interpolate(w_content, w_prev, g):
    """Interpolation gate (eq. 7): blend the new content weighting with the last one.

    Args:
        w_content: (B, N) content weighting w_c.
        w_prev: (B, N) the head's weighting from the previous time step.
        g: (B, 1) gate in [0, 1]; g = 1 uses content only, g = 0 keeps w_prev.

    Returns:
        (B, N) w_g = g w_c + (1 - g) w_prev.
    """
    shape = _check_weighting("w_content", w_content)
    _check_weighting("w_prev", w_prev, shape[0], shape[1])
    _check_per_row("g", g, shape[0])
    w_content = ops.convert_to_tensor(w_content)
    w_prev = ops.cast(ops.convert_to_tensor(w_prev), w_content.dtype)
    g = ops.cast(ops.convert_to_tensor(g), w_content.dtype)
    return g * w_content + (1.0 - g) * w_prev


def shift(w, s):
    """Convolutional shift (eq. 8): rotate the weighting by a blurred offset.

    Args:
        w: (B, N) weighting to shift (w_g in the paper).
        s: (B, 2R+1) distribution over the offsets -R, ..., 0, ..., +R, in
            that order. An offset of +1 moves the focus one slot forward: a
            one-hot w at slot i and a one-hot s at +1 give a one-hot at i+1
            (mod N). The shift is circular, so the focus wraps at the ends.

    Returns:
        (B, N) w~(i) = sum_j w(i - j) s(j), j in -R..R, indices modulo N.
    """
    w_shape = _check_weighting("w", w)
    s_shape = check_shape("s", _shape(s), (w_shape[0], None), "(batch, 2R+1)")
    width = s_shape[1]
    if width is None or width % 2 != 1:
        raise ValueError(f"`s` must have a known, odd width 2R+1 (offsets -R..R), got shape {s_shape}.")
    if w_shape[1] is not None and width > w_shape[1]:
        raise ValueError(
            f"`s` must not be wider than the memory's N = {w_shape[1]} slots "
            f"(the shift range must not wrap onto itself), got shape {s_shape}."
        )
    w = ops.convert_to_tensor(w)
    s = ops.cast(ops.convert_to_tensor(s), w.dtype)
    radius, slots = width // 2, w_shape[1]
    # Pad w circularly by R on both sides; then the slice starting at R - j
    # holds w(i - j) for every slot i at once. 2R+1 slices of one array is
    # vectorised over batch and slots, and its gradient is far cheaper than a
    # gather's (a scatter) -- this line is on the hot path of every step.
    padded = ops.concatenate([w[:, slots - radius :], w, w[:, :radius]], axis=1) if radius else w
    out = 0.0
    for j in range(-radius, radius + 1):
        out = out + padded[:, radius - j : radius - j + slots] * s[:, j + radius : j + radius + 1]
    return out


def sharpen(w, gamma):
    """Sharpening (eq. 9): undo the blur that shifting adds.

    Args:
        w: (B, N) non-negative weighting (w~ in the paper).
        gamma: (B, 1) exponent >= 1; gamma = 1 leaves w unchanged.

    Returns:
        (B, N) w(i) = w~(i)^gamma / sum_j w~(j)^gamma.
    """
    shape = _check_weighting("w", w)
    _check_per_row("gamma", gamma, shape[0])
    w = ops.convert_to_tensor(w)
    gamma = ops.cast(ops.convert_to_tensor(gamma), w.dtype)
    # w^gamma / sum w^gamma == softmax(gamma * log(w)). log(w + eps) rather than
    # w ** gamma: the derivative of 0**gamma with respect to gamma is
    # 0 * log(0) = NaN, this form is finite everywhere. Normalising in log
    # space (softmax subtracts the maximum) also keeps a blurred weighting
    # from underflowing: (1/N)**gamma is 0 in float32 for N = 16, gamma = 50.
    return ops.softmax(gamma * ops.log(ops.maximum(w, 0.0) + epsilon(w.dtype)), axis=-1)


def address(memory, w_prev, key, beta, g, s, gamma):
    """The whole addressing pipeline of Figure 2 (eq. 5-9).

    Args:
        memory: (B, N, M); w_prev: (B, N); key: (B, M); beta, g, gamma: (B, 1);
        s: (B, 2R+1).

    Returns:
        (B, N) the head's new weighting w_t.
    """
    return address_stages(memory, w_prev, key, beta, g, s, gamma)["weights"]


def address_stages(memory, w_prev, key, beta, g, s, gamma):
    """Like :func:`address`, but returns every intermediate weighting.

    Returns a dict with keys ``content`` (w_c), ``interpolated`` (w_g),
    ``shifted`` (w~) and ``weights`` (the final, sharpened w), each (B, N).
    Used by :func:`ntm_core.trace` and the notebooks' explorers.
    """
    w_c = content_weights(memory, key, beta)
    w_g = interpolate(w_c, w_prev, g)
    w_s = shift(w_g, s)
    w = sharpen(w_s, gamma)
    return {"content": w_c, "interpolated": w_g, "shifted": w_s, "weights": w}
