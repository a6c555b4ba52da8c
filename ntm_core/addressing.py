"""Addressing: how a head decides where to look (Graves et al. 2014, section 3.3).

A head produces a weighting ``w`` over the ``N`` memory rows in four stages::

    content  (eq. 5-6)   w_c = softmax(beta * cosine(k, M[i]))
    interpolate (eq. 7)  w_g = g * w_c + (1 - g) * w_prev
    shift    (eq. 8)     w~  = circular convolution of w_g with s
    sharpen  (eq. 9)     w   = w~ ** gamma / sum(w~ ** gamma)

Every function takes a leading batch axis ``B``, accepts NumPy arrays or
backend tensors, and uses ``keras.ops`` only, so it runs on TensorFlow, JAX and
PyTorch. They are numerically safe: zero memory rows, zero or huge keys,
``beta = 0``, ``gamma = 1`` and weightings that are zero almost everywhere give
finite values and finite gradients (see the comments on ``EPSILON``).
"""

import numpy as np
from keras import ops

# Added under square roots and logarithms. Without it the cosine of a zero
# key or zero memory row is 0/0, d/dx sqrt(x) is infinite at 0, and
# d/dgamma of 0**gamma is 0 * log(0): the three classic NaN sources of NTMs.
EPSILON = 1e-8


def _static_shape(x):
    return tuple(getattr(x, "shape", np.shape(x)))


def _check_rank(name, x, rank, expected):
    shape = _static_shape(x)
    if len(shape) != rank:
        raise ValueError(f"`{name}` must have shape {expected}, got shape {shape}.")
    return shape


def _check_dim(name, actual, wanted, what):
    # ``None`` is an unknown (symbolic) size and cannot be checked statically.
    if actual is not None and wanted is not None and int(actual) != int(wanted):
        raise ValueError(f"`{name}` must have {what} = {wanted}, got {actual}.")


def _check_scalar_per_row(name, x, batch):
    shape = _check_rank(name, x, 2, "(batch, 1)")
    _check_dim(name, shape[1], 1, "a last axis of size")
    _check_dim(name, shape[0], batch, "batch size")


def cosine_similarity(memory, key):
    """Cosine similarity between a key and every memory row (eq. 6).

    Args:
        memory: (B, N, M) memory matrix.
        key: (B, M) key vector.

    Returns:
        (B, N) similarities K[k, M(i)] = k . M(i) / (||k|| ||M(i)||), in [-1, 1].
    """
    m_shape = _check_rank("memory", memory, 3, "(batch, N, M)")
    k_shape = _check_rank("key", key, 2, "(batch, M)")
    _check_dim("key", k_shape[1], m_shape[2], "width M equal to the memory's")
    _check_dim("key", k_shape[0], m_shape[0], "batch size equal to the memory's")
    memory = ops.convert_to_tensor(memory)
    key = ops.cast(ops.convert_to_tensor(key), memory.dtype)
    # A batched matrix-vector product. (A broadcast multiply and a sum was
    # faster without rematerialisation; with the cell's remat, measured
    # about 10 % faster on JAX and TensorFlow under XLA.)
    dot = ops.einsum("bnm,bm->bn", memory, key)
    # sqrt(|x|^2 + eps) instead of |x|: a zero row then has similarity 0 and
    # a finite gradient instead of 0/0.
    memory_norm = ops.sqrt(ops.sum(ops.square(memory), axis=-1) + EPSILON)
    key_norm = ops.sqrt(ops.sum(ops.square(key), axis=-1, keepdims=True) + EPSILON)
    return dot / (memory_norm * key_norm)


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
    m_shape = _static_shape(memory)
    _check_scalar_per_row("beta", beta, m_shape[0] if m_shape else None)
    similarity = cosine_similarity(memory, key)
    beta = ops.cast(ops.convert_to_tensor(beta), similarity.dtype)
    # ops.softmax subtracts the maximum first, so a large beta cannot overflow.
    return ops.softmax(beta * similarity, axis=-1)


def _check_weighting(name, w, batch=None, slots=None):
    shape = _check_rank(name, w, 2, "(batch, N)")
    _check_dim(name, shape[0], batch, "batch size")
    _check_dim(name, shape[1], slots, "number of memory slots N")
    return shape


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
    _check_scalar_per_row("g", g, shape[0])
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
    s_shape = _check_rank("s", s, 2, "(batch, 2R+1)")
    _check_dim("s", s_shape[0], w_shape[0], "batch size equal to w's")
    width = s_shape[1]
    if width is None:
        raise ValueError("`s` must have a known last axis (2R+1).")
    if width % 2 != 1:
        raise ValueError(f"`s` must have an odd width 2R+1 (offsets -R..R), got {width}.")
    if w_shape[1] is not None and width > w_shape[1]:
        raise ValueError(
            f"`s` has {width} offsets but memory has only {w_shape[1]} slots; "
            "the shift range must not be wider than the memory."
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
    _check_scalar_per_row("gamma", gamma, shape[0])
    w = ops.convert_to_tensor(w)
    gamma = ops.cast(ops.convert_to_tensor(gamma), w.dtype)
    # w^gamma / sum w^gamma == softmax(gamma * log(w)). log(w + eps) rather than
    # w ** gamma: the derivative of 0**gamma with respect to gamma is
    # 0 * log(0) = NaN, this form is finite everywhere. Normalising in log
    # space (softmax subtracts the maximum) also keeps a blurred weighting
    # from underflowing: (1/N)**gamma is 0 in float32 for N = 16, gamma = 50.
    return ops.softmax(gamma * ops.log(ops.maximum(w, 0.0) + EPSILON), axis=-1)


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
