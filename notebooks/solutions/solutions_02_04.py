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


def prediction_2_4(old):
    """Exercise 2.4 (predict): weight 0.5, e = 1, a = 1: keep 1 - 0.5 of the old number, then add 0.5."""
    return old * (1.0 - 0.5) + 0.5


# Exercise 2.5 (choice): every row weighted 1/N: the sum is the mean of the rows.
ANSWER_2_5 = "a"
# Exercise 2.6 (choice): added first, the erase would remove part of what was just written.
ANSWER_2_6 = "c"


# ---------------------------------------------------------------- notebook 03
# Exercise 3.1 (predict): with beta = 0 every beta * K(i) is 0, so the softmax is uniform:
# the best match gets 1 / N like every other slot.
PREDICTION_3_1 = 1 / 8


def my_cosine(memory, key):
    """Exercise 3.2, eq. 6, with an epsilon so zero rows and keys give 0, not 0/0. Returns (B, N)."""
    dot = np.sum(memory * key[:, None, :], axis=-1)
    memory_norm = np.sqrt(np.sum(memory**2, axis=-1) + EPSILON)
    key_norm = np.sqrt(np.sum(key**2, axis=-1, keepdims=True) + EPSILON)
    return dot / (memory_norm * key_norm)


def my_content_weights(memory, key, beta):
    """Exercise 3.3, eq. 5: softmax over the slots of beta * cosine. Returns (B, N)."""
    logits = beta * my_cosine(memory, key)
    # Subtract each sequence's largest logit: exp(100) overflows float32, and the shift cancels in the ratio.
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def my_interpolate(w_content, w_prev, g):
    """Exercise 3.4, eq. 7: g w_c + (1 - g) w_prev. Returns (B, N)."""
    return g * w_content + (1.0 - g) * w_prev


# Exercise 3.5 (predict): s = (0.1, 0, 0.9) lists the offsets (-1, 0, +1); 0.9 of the weight on
# slot 3 moves one slot forward.
PREDICTION_3_5 = 4


def my_shift(w, s):
    """Exercise 3.6, eq. 8: w~(i) = sum_j w(i - j) s(j), j = -R..R, indices mod N. Returns (B, N)."""
    radius = s.shape[1] // 2
    out = np.zeros_like(w, dtype=float)
    for j in range(-radius, radius + 1):
        # np.roll(w, j)[:, i] is w[:, i - j]: the focus moves forward by j.
        out += np.roll(w, j, axis=1) * s[:, j + radius][:, None]
    return out


# Exercise 3.7 (choice): a power below 1 lifts small weights relatively more: it blurs.
ANSWER_3_7 = "b"


def my_sharpen(w, gamma):
    """Exercise 3.8, eq. 9: w^gamma / sum w^gamma. Returns (B, N)."""
    # Divide by the largest weight first: the ratio is unchanged, the largest power is 1, and a
    # large gamma in float32 cannot underflow every power to 0 (0 / 0).
    p = (w / w.max(axis=1, keepdims=True)) ** gamma
    return p / p.sum(axis=1, keepdims=True)


def my_address(memory, w_prev, key, beta, g, s, gamma):
    """Exercise 3.9, eq. 5-9: content, interpolate, shift, sharpen. Returns (B, N)."""
    w_c = my_content_weights(memory, key, beta)
    w_g = my_interpolate(w_c, w_prev, g)
    return my_sharpen(my_shift(w_g, s), gamma)


def my_program(t, x):
    """Exercise 3.10: the head parameters at step t that copy 5 vectors through 8 slots.

    Both heads start on slot 0. Location addressing only (g = 0: k and beta are then unused):
    the write head stays on slot 0 at step 0 and moves +1 at each later input step, erasing
    the old contents (e = 1) and adding the input (a = x); the read head waits on slot 0, reads
    it at step 5 and moves +1 at each later step, while the write head writes nothing (e = a = 0).
    """
    length, width = 5, 6
    stay, forward, zeros = [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], np.zeros(width)
    if t < length:
        write = dict(k=zeros, beta=0.0, g=0.0, s=stay if t == 0 else forward, gamma=1.0, e=np.ones(width), a=x)
        read = dict(k=zeros, beta=0.0, g=0.0, s=stay, gamma=1.0)
    else:
        write = dict(k=zeros, beta=0.0, g=0.0, s=stay, gamma=1.0, e=zeros, a=zeros)
        read = dict(k=zeros, beta=0.0, g=0.0, s=stay if t == length else forward, gamma=1.0)
    return {"write": write, "read": read}


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


# Exercise 4.3: (b) none. The controller sees x_t and r_{t-1} (M numbers per read
# head, whatever N is) and emits k, e, a (M each), s (2R + 1) and scalars.
CONTROLLER_GROWTH_ANSWER = "b"


def my_memory_step(memory, w_prev, heads):
    """Exercise 4.4: write head on M_{t-1} (eq. 5-9), erase then add (eq. 3-4), read heads on M_t (eq. 2).

    Returns (new memory (B, N, M), weightings (B, 1 + R, N), read vectors (B, R, M)).
    """
    write, readers = heads[0], heads[1:]
    w_write = my_address(memory, w_prev[:, 0], write["key"], write["beta"], write["g"], write["shift"],
                         write["gamma"])
    new_memory = my_write(memory, w_write, write["erase"], write["add"])
    weightings, reads = [w_write], []
    for i, head in enumerate(readers, start=1):
        w = my_address(new_memory, w_prev[:, i], head["key"], head["beta"], head["g"], head["shift"], head["gamma"])
        weightings.append(w)
        reads.append(my_read(new_memory, w))
    return new_memory, np.stack(weightings, axis=1), np.stack(reads, axis=1)
