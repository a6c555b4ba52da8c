"""One random case of every equation input, and the check that two implementations agree on it.

Used where the NumPy reference and the students' solutions are each held
against ``ntm_core``'s keras.ops functions (eq. 2-9).
"""

import numpy as np
from keras import ops

from ntm_core import addressing, memory


def random_case(seed, shift_width):
    """Memory (2, 8, 5) with one all-zero row, weightings, key, e, a, beta, g, gamma and s."""
    rng = np.random.default_rng(seed)
    mem = rng.normal(size=(2, 8, 5)).astype("float32")
    mem[0, 3] = 0.0  # a zero row: the cosine's epsilon matters
    return dict(
        mem=mem,
        w=rng.dirichlet(np.ones(8), size=2).astype("float32"),
        key=rng.normal(size=(2, 5)).astype("float32"),
        e=rng.random((2, 5)).astype("float32"),
        a=rng.uniform(-1, 1, (2, 5)).astype("float32"),
        beta=np.array([[2.0], [7.0]], "float32"),
        g=np.array([[0.3], [0.8]], "float32"),
        gamma=np.array([[1.5], [3.0]], "float32"),
        s=rng.dirichlet(np.ones(shift_width), size=2).astype("float32"),
    )


def assert_agrees_with_ntm_core(impl, c):
    """``impl`` maps each ntm_core equation name to a NumPy function with the same arguments."""

    def close(name, *args):
        ours = impl[name](*args)
        theirs = getattr(memory if name in ("read", "write") else addressing, name)(*args)
        np.testing.assert_allclose(ours, np.asarray(ops.convert_to_numpy(theirs)), rtol=1e-4, atol=1e-5,
                                   err_msg=name)

    mem, w, key = c["mem"], c["w"], c["key"]
    close("read", mem, w)
    close("write", mem, w, c["e"], c["a"])
    close("cosine_similarity", mem, key)
    close("content_weights", mem, key, c["beta"])
    close("interpolate", w, w[::-1], c["g"])
    close("shift", w, c["s"])
    close("sharpen", w, c["gamma"])
    close("address", mem, w, key, c["beta"], c["g"], c["s"], c["gamma"])
