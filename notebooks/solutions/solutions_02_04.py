"""Reference solutions to the exercises of notebooks 02-04.

Try the exercises first! Each function here passes the matching check of
``ntm_core.teaching`` (``tests/test_teaching_checks.py`` makes sure of it). To
use one in a notebook, run from the notebook's folder::

    import sys; sys.path.insert(0, "solutions")
    from solutions_02_04 import my_read

Shapes, as in ``ntm_core``: a leading batch axis B on everything; memory
(B, N, M), weightings (B, N), vectors (B, M), per-sequence scalars (B, 1).

Each solution writes its own exercise out; what an exercise does not ask
for (the softmax, the epsilon) comes from ``ntm_core.teaching.reference``,
the package's one NumPy reference of the equations.
"""

import numpy as np

from ntm_core.teaching.reference import EPSILON, softmax


# ---------------------------------------------------------------- notebook 02
def my_read(memory, w):
    """Exercise 2.1, eq. 2: r = sum_i w(i) M(i). Returns (B, M)."""
    return np.sum(w[:, :, None] * memory, axis=1)


def my_write(memory, w, e, a):
    """Exercise 2.2, eq. 3-4: erase M(i) (1 - w(i) e), then add w(i) a. Returns (B, N, M)."""
    erased = memory * (1.0 - w[:, :, None] * e[:, None, :])
    return erased + w[:, :, None] * a[:, None, :]


def my_overwrite_vectors(v):
    """Exercise 2.3: with a one-hot w, e = 1 clears the row and a = v writes v. Returns (e, a)."""
    return np.ones_like(v), np.array(v, copy=True)


# ---------------------------------------------------------------- notebook 03
def my_cosine(memory, key):
    """Exercise 3.1, eq. 6, with an epsilon so zero rows and keys give 0, not 0/0. Returns (B, N)."""
    dot = np.sum(memory * key[:, None, :], axis=-1)
    memory_norm = np.sqrt(np.sum(memory**2, axis=-1) + EPSILON)
    key_norm = np.sqrt(np.sum(key**2, axis=-1, keepdims=True) + EPSILON)
    return dot / (memory_norm * key_norm)


def my_content_weights(memory, key, beta):
    """Exercise 3.2, eq. 5: softmax over the slots of beta * cosine. Returns (B, N)."""
    # softmax subtracts the largest logit first: exp of large numbers would overflow.
    return softmax(beta * my_cosine(memory, key), axis=-1)


def my_interpolate(w_content, w_prev, g):
    """Exercise 3.3, eq. 7: g w_c + (1 - g) w_prev. Returns (B, N)."""
    return g * w_content + (1.0 - g) * w_prev


def my_shift(w, s):
    """Exercise 3.4, eq. 8: w~(i) = sum_j w(i - j) s(j), j = -R..R, indices mod N. Returns (B, N)."""
    radius = s.shape[1] // 2
    out = np.zeros_like(w, dtype=float)
    for j in range(-radius, radius + 1):
        # np.roll(w, j)[:, i] is w[:, i - j]: the focus moves forward by j.
        out += np.roll(w, j, axis=1) * s[:, j + radius][:, None]
    return out


def my_sharpen(w, gamma):
    """Exercise 3.5, eq. 9: w^gamma / sum w^gamma. Returns (B, N)."""
    p = w**gamma
    return p / p.sum(axis=1, keepdims=True)


def my_address(memory, w_prev, key, beta, g, s, gamma):
    """Exercise 3.6, eq. 5-9: content, interpolate, shift, sharpen. Returns (B, N)."""
    w_c = my_content_weights(memory, key, beta)
    w_g = my_interpolate(w_c, w_prev, g)
    return my_sharpen(my_shift(w_g, s), gamma)


# ---------------------------------------------------------------- notebook 04
# Exercise 4.1: write head k 20 + beta 1 + g 1 + s 3 + gamma 1 + e 20 + a 20 = 66,
# read head 20 + 1 + 1 + 3 + 1 = 26; together 92.
HEAD_PARAMETER_COUNT = 92


def my_head_activations(raw, memory_width, shift_range):
    """Exercise 4.2: cut one read head's raw parameters and apply their activations."""
    m, s = memory_width, shift_range
    softplus = lambda z: np.logaddexp(0.0, z)  # noqa: E731 -- log(1 + exp(z)), without overflow
    return {
        "key": raw[:, :m],
        "beta": softplus(raw[:, m: m + 1]),
        "g": 1.0 / (1.0 + np.exp(-raw[:, m + 1: m + 2])),
        "shift": softmax(raw[:, m + 2: m + 2 + s], axis=-1),
        "gamma": 1.0 + softplus(raw[:, m + 2 + s: m + 3 + s]),
    }
