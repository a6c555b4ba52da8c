"""Reading and writing (Graves et al. 2014, eq. 2-4) against independent NumPy code.

The expected values come from :mod:`ntm_core.teaching.reference` (the one NumPy
reference of the equations, sharing no code with the Keras implementation)
and from hand-worked cases.
"""

import numpy as np
from backend_utils import grad_of, to_numpy
from hypothesis import given, settings
from hypothesis import strategies as st
from keras import ops

from ntm_core import memory as ntm_memory
from ntm_core.teaching import reference

SETTINGS = settings(max_examples=25, deadline=None)
B, N, M = 3, 8, 4  # one shape for the random tests (JAX compiles per shape)


def random_case(seed):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(B, N, M)).astype("float32"),
        rng.dirichlet(np.ones(N), size=B).astype("float32"),
        rng.uniform(0, 1, (B, M)).astype("float32"),
        rng.normal(size=(B, M)).astype("float32"),
    )


seeds = st.integers(0, 2**31 - 1)


@SETTINGS
@given(seed=seeds)
def test_read_matches_numpy(seed):
    mem, w, _, _ = random_case(seed)
    got = to_numpy(ntm_memory.read(mem, w))
    assert got.shape == (B, M)
    np.testing.assert_allclose(got, reference.read(mem, w), atol=1e-5)


@SETTINGS
@given(seed=seeds)
def test_erase_matches_numpy(seed):
    mem, w, e, _ = random_case(seed)
    got = to_numpy(ntm_memory.erase(mem, w, e))
    np.testing.assert_allclose(got, reference.erase(mem, w, e), atol=1e-6)


@SETTINGS
@given(seed=seeds)
def test_add_matches_numpy(seed):
    mem, w, _, a = random_case(seed)
    got = to_numpy(ntm_memory.add(mem, w, a))
    np.testing.assert_allclose(got, reference.add(mem, w, a), atol=1e-6)


@SETTINGS
@given(seed=seeds)
def test_write_matches_numpy(seed):
    mem, w, e, a = random_case(seed)
    got = to_numpy(ntm_memory.write(mem, w, e, a))
    assert got.shape == (B, N, M)
    np.testing.assert_allclose(got, reference.write(mem, w, e, a), atol=1e-5)


# --- hand-worked ------------------------------------------------------------------------
MEM = np.array([[[1, 2, 3], [4, 5, 6]]], "float32")
W = np.array([[0.75, 0.25]], "float32")


def test_read_by_hand():
    # 0.75 * (1, 2, 3) + 0.25 * (4, 5, 6)
    np.testing.assert_allclose(to_numpy(ntm_memory.read(MEM, W)), [[1.75, 2.75, 3.75]], atol=1e-6)
    # a one-hot weighting reads exactly one row
    np.testing.assert_array_equal(to_numpy(ntm_memory.read(MEM, np.array([[0, 1]], "float32"))), [[4, 5, 6]])


def test_erase_then_add_by_hand():
    e = np.array([[1.0, 0.0, 0.5]], "float32")
    a = np.array([[2.0, 0.0, -1.0]], "float32")
    erased = to_numpy(ntm_memory.erase(MEM, W, e))
    # row 0: (1 (1 - .75), 2 (1 - 0), 3 (1 - .375)); row 1: (4 (1 - .25), 5, 6 (1 - .125))
    expected_erased = [[[0.25, 2.0, 1.875], [3.0, 5.0, 5.25]]]
    np.testing.assert_allclose(erased, expected_erased, atol=1e-6)
    added = to_numpy(ntm_memory.add(erased, W, a))
    # row 0 + .75 (2, 0, -1); row 1 + .25 (2, 0, -1)
    expected = [[[1.75, 2.0, 1.125], [3.5, 5.0, 5.0]]]
    np.testing.assert_allclose(added, expected, atol=1e-6)
    np.testing.assert_allclose(to_numpy(ntm_memory.write(MEM, W, e, a)), expected, atol=1e-6)


def test_full_erase_clears_one_row():
    mem = np.arange(1, 13, dtype="float32").reshape(1, 4, 3)
    w = np.array([[0, 0, 1, 0]], "float32")
    got = to_numpy(ntm_memory.erase(mem, w, np.ones((1, 3), "float32")))
    expected = mem.copy()
    expected[0, 2] = 0.0
    np.testing.assert_array_equal(got, expected)
    # then writing a vector with the same weighting stores exactly that vector
    a = np.array([[0.5, -1.0, 2.0]], "float32")
    got = to_numpy(ntm_memory.write(mem, w, np.ones((1, 3), "float32"), a))
    expected[0, 2] = a[0]
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(to_numpy(ntm_memory.read(got, w)), a)


def test_zero_erase_and_zero_add_leave_memory_unchanged():
    mem, w, _, _ = random_case(0)
    zeros = np.zeros((B, M), "float32")
    np.testing.assert_array_equal(to_numpy(ntm_memory.write(mem, w, zeros, zeros)), mem)


def test_gradients_are_finite_and_correct():
    mem, w, e, a = random_case(1)
    mem[:, 0] = 0.0  # a zero row
    coeffs = np.random.default_rng(3).normal(size=(B, N, M)).astype("float32")

    def loss(mem_, w_, e_, a_):
        written = ntm_memory.write(mem_, w_, e_, a_)
        return ops.sum(written * ops.convert_to_tensor(coeffs)) + ops.sum(ntm_memory.read(written, w_))

    grads = grad_of(loss, mem, w, e, a)
    for grad, x in zip(grads, (mem, w, e, a)):
        assert grad.shape == x.shape
        assert np.all(np.isfinite(grad))
    # d loss / d a[b, m] = sum_i w(i) coeffs[b, i, m] + sum_i w(i)^2 (by hand from eq. 2-4)
    expected_da = np.einsum("bi,bim->bm", w, coeffs) + (w**2).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(grads[3], expected_da, atol=1e-5)
    # and the whole gradient w.r.t. the memory, through erase: coeffs (1 - w e) + w (1 - w e)
    keep = 1.0 - w[:, :, None] * e[:, None, :]
    expected_dmem = coeffs * keep + w[:, :, None] * keep
    np.testing.assert_allclose(grads[0], expected_dmem, atol=1e-5)
