"""Addressing (Graves et al. 2014, eq. 5-9) against independent NumPy code.

The expected values come from :mod:`ntm_core.teaching.reference`, the
package's one NumPy reference of the equations (float64, written from the
paper, sharing no code with the Keras implementation), and from hand-worked
cases.
"""

import math

import numpy as np
import pytest
from backend_utils import grad_of, to_numpy
from hypothesis import given, settings
from hypothesis import strategies as st
from keras import ops

from ntm_core import addressing
from ntm_core.teaching import reference

SETTINGS = settings(max_examples=25, deadline=None)


# --- random inputs ---------------------------------------------------------------
def rand_distribution(rng, batch, n, concentration=1.0):
    return rng.dirichlet(np.full(n, concentration), size=batch).astype("float32")


def rand_inputs(seed, batch=3, slots=8, width=4, radius=1):
    rng = np.random.default_rng(seed)
    return dict(
        memory=rng.normal(size=(batch, slots, width)).astype("float32"),
        w_prev=rand_distribution(rng, batch, slots),
        key=rng.normal(size=(batch, width)).astype("float32"),
        beta=rng.uniform(0, 10, size=(batch, 1)).astype("float32"),
        g=rng.uniform(0, 1, size=(batch, 1)).astype("float32"),
        s=rand_distribution(rng, batch, 2 * radius + 1),
        gamma=rng.uniform(1, 5, size=(batch, 1)).astype("float32"),
    )


# Values vary freely; shapes come from a short list, since the JAX backend
# compiles every op once per new shape (about a second each on a slow CPU).
seeds = st.integers(0, 2**31 - 1)
batches = st.just(3)
slot_counts = st.sampled_from([8, 11])
widths = st.just(4)


def assert_distribution(w, atol=1e-5):
    w = to_numpy(w)
    assert np.all(np.isfinite(w))
    assert np.all(w >= 0)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, atol=atol)


# --- each equation against the reference -------------------------------------------
@SETTINGS
@given(seed=seeds, batch=batches, slots=slot_counts, width=widths)
def test_cosine_similarity_matches_numpy(seed, batch, slots, width):
    x = rand_inputs(seed, batch, slots, width)
    got = to_numpy(addressing.cosine_similarity(x["memory"], x["key"]))
    assert got.shape == (batch, slots)
    np.testing.assert_allclose(got, reference.cosine_similarity(x["memory"], x["key"]), atol=1e-5)


def test_cosine_similarity_hand_worked():
    memory = np.array([[[1, 0], [0, 2], [3, 3], [-1, 0], [0, 0]]], "float32")
    key = np.array([[2, 0]], "float32")
    got = to_numpy(addressing.cosine_similarity(memory, key))
    np.testing.assert_allclose(got, [[1.0, 0.0, 1 / math.sqrt(2), -1.0, 0.0]], atol=1e-6)


@SETTINGS
@given(seed=seeds, batch=batches, slots=slot_counts, width=widths)
def test_content_weights_match_numpy(seed, batch, slots, width):
    x = rand_inputs(seed, batch, slots, width)
    got = to_numpy(addressing.content_weights(x["memory"], x["key"], x["beta"]))
    np.testing.assert_allclose(got, reference.content_weights(x["memory"], x["key"], x["beta"]), atol=1e-5)
    assert_distribution(got)


def test_content_weights_hand_worked():
    # cosines with key [1, 0]: 1, 0, 1/sqrt(2); beta = 2.
    memory = np.array([[[1, 0], [0, 1], [1, 1]]], "float32")
    key = np.array([[1, 0]], "float32")
    got = to_numpy(addressing.content_weights(memory, key, np.array([[2.0]], "float32")))
    e = np.array([math.exp(2.0), 1.0, math.exp(2.0 / math.sqrt(2))])
    np.testing.assert_allclose(got[0], e / e.sum(), atol=1e-6)


def test_beta_zero_gives_uniform_weighting():
    x = rand_inputs(3, batch=2, slots=8, width=4)
    got = to_numpy(addressing.content_weights(x["memory"], x["key"], np.zeros((2, 1), "float32")))
    np.testing.assert_allclose(got, np.full((2, 8), 1 / 8), atol=1e-7)


def test_large_beta_focuses_on_most_similar_row():
    memory = np.eye(6, 4, dtype="float32")[None]  # rows e0..e3, then two zero rows
    key = np.array([[0.1, 0.2, 1.0, 0.0]], "float32")
    got = to_numpy(addressing.content_weights(memory, key, np.array([[1000.0]], "float32")))
    np.testing.assert_allclose(got[0], [0, 0, 1, 0, 0, 0], atol=1e-6)


@SETTINGS
@given(seed=seeds, batch=batches, slots=slot_counts)
def test_interpolate_matches_numpy(seed, batch, slots):
    rng = np.random.default_rng(seed)
    w_c, w_prev = rand_distribution(rng, batch, slots), rand_distribution(rng, batch, slots)
    g = rng.uniform(0, 1, (batch, 1)).astype("float32")
    got = to_numpy(addressing.interpolate(w_c, w_prev, g))
    np.testing.assert_allclose(got, reference.interpolate(w_c, w_prev, g), atol=1e-6)
    assert_distribution(got)


def test_interpolate_hand_worked():
    w_c = np.array([[1, 0, 0, 0]] * 3, "float32")
    w_prev = np.array([[0, 0, 0, 1]] * 3, "float32")
    g = np.array([[1.0], [0.0], [0.25]], "float32")
    got = to_numpy(addressing.interpolate(w_c, w_prev, g))
    np.testing.assert_allclose(got, [[1, 0, 0, 0], [0, 0, 0, 1], [0.25, 0, 0, 0.75]], atol=1e-7)


@SETTINGS
@given(seed=seeds, batch=batches, slots=slot_counts, radius=st.sampled_from([0, 1, 2]))
def test_shift_matches_numpy(seed, batch, slots, radius):
    rng = np.random.default_rng(seed)
    w = rand_distribution(rng, batch, slots)
    s = rand_distribution(rng, batch, 2 * radius + 1)
    got = to_numpy(addressing.shift(w, s))
    np.testing.assert_allclose(got, reference.shift(w, s), atol=1e-6)
    assert_distribution(got)


def one_hot(i, n, batch=1):
    w = np.zeros((batch, n), "float32")
    w[:, i] = 1.0
    return w


def offset(k, radius):
    """A one-hot shift distribution on offset k (ordered -R..+R)."""
    return one_hot(k + radius, 2 * radius + 1)


@pytest.mark.parametrize(
    "start, k, radius, expected",
    [
        (2, +1, 1, 3),  # +1 moves slot i to i+1
        (2, -1, 1, 1),
        (2, 0, 1, 2),
        (4, +1, 1, 0),  # wraps past the end
        (0, -1, 1, 4),  # wraps past the start
        (2, +2, 2, 4),
        (2, -2, 2, 0),
        (4, +2, 2, 1),
        (3, +2, 2, 0),
        (0, -2, 2, 3),
        (1, -2, 2, 4),
    ],
)
def test_shift_one_hot_by_hand(start, k, radius, expected):
    got = to_numpy(addressing.shift(one_hot(start, 5), offset(k, radius)))
    np.testing.assert_array_equal(got, one_hot(expected, 5))


def test_shift_blurs_and_wraps_by_hand():
    # focus on slot 0 of 6, s = (0.1, 0.7, 0.2) on offsets (-1, 0, +1)
    got = to_numpy(addressing.shift(one_hot(0, 6), np.array([[0.1, 0.7, 0.2]], "float32")))
    np.testing.assert_allclose(got[0], [0.7, 0.2, 0, 0, 0, 0.1], atol=1e-7)
    # R = 2 with a spread weighting: w = (0.5, 0.5, 0, 0, 0), s = +2 w.p. 0.5, -1 w.p. 0.5
    w = np.array([[0.5, 0.5, 0, 0, 0]], "float32")
    s = np.array([[0, 0.5, 0, 0, 0.5]], "float32")
    got = to_numpy(addressing.shift(w, s))
    # +2: slots 2, 3 get 0.25 each; -1: slots 4, 0 get 0.25 each.
    np.testing.assert_allclose(got[0], [0.25, 0, 0.25, 0.25, 0.25], atol=1e-7)


def test_shift_range_equal_to_memory_size():
    w = one_hot(1, 3)
    got = to_numpy(addressing.shift(w, np.array([[0.2, 0.3, 0.5]], "float32")))
    np.testing.assert_allclose(got[0], [0.2, 0.3, 0.5], atol=1e-7)


@SETTINGS
@given(seed=seeds, batch=batches, slots=slot_counts, gamma_max=st.sampled_from([1.0, 3.0, 20.0]))
def test_sharpen_matches_numpy(seed, batch, slots, gamma_max):
    rng = np.random.default_rng(seed)
    # entries of at least 1e-3: the implementation's epsilon (1e-8) is then invisible
    w = rand_distribution(rng, batch, slots) + 1e-3
    w = (w / w.sum(axis=1, keepdims=True)).astype("float32")
    gamma = rng.uniform(1, gamma_max, (batch, 1)).astype("float32")
    got = to_numpy(addressing.sharpen(w, gamma))
    np.testing.assert_allclose(got, reference.sharpen(w, gamma), atol=2e-5)
    assert_distribution(got)


@pytest.mark.parametrize("gamma", [1.0, 3.0, 50.0])
def test_sharpen_keeps_a_flat_weighting_flat(gamma):
    for slots in (8, 16, 128):
        w = np.full((2, slots), 1.0 / slots, "float32")
        got = to_numpy(addressing.sharpen(w, np.full((2, 1), gamma, "float32")))
        np.testing.assert_allclose(got, w, rtol=1e-5)


def test_sharpen_peaked_by_hand():
    w = np.array([[0.5, 0.25, 0.25, 0.0]], "float32")
    # gamma 2: (1/4, 1/16, 1/16, 0) / (6/16) = (2/3, 1/6, 1/6, 0)
    got = to_numpy(addressing.sharpen(w, np.array([[2.0]], "float32")))
    np.testing.assert_allclose(got[0], [2 / 3, 1 / 6, 1 / 6, 0], atol=1e-6)
    # gamma 3: (1/8, 1/64, 1/64, 0) / (10/64) = (0.8, 0.1, 0.1, 0)
    got = to_numpy(addressing.sharpen(w, np.array([[3.0]], "float32")))
    np.testing.assert_allclose(got[0], [0.8, 0.1, 0.1, 0], atol=1e-6)
    assert got[0, 0] > 2 / 3 > 0.5  # more peaked as gamma grows


def test_sharpen_gamma_one_is_identity():
    rng = np.random.default_rng(0)
    w = rand_distribution(rng, 3, 10)
    got = to_numpy(addressing.sharpen(w, np.ones((3, 1), "float32")))
    np.testing.assert_allclose(got, w, atol=1e-6)


def test_sharpen_large_gamma_picks_the_maximum():
    w = np.array([[0.1, 0.3, 0.35, 0.25]], "float32")
    got = to_numpy(addressing.sharpen(w, np.array([[50.0]], "float32")))
    # (0.3/0.35)^50 = 4.5e-4
    np.testing.assert_allclose(got[0], reference.sharpen(w, np.array([[50.0]]))[0], atol=1e-6)
    assert got[0, 2] > 0.999


# --- the whole pipeline --------------------------------------------------------------
@SETTINGS
@given(seed=seeds, batch=batches, slots=slot_counts, width=widths, radius=st.sampled_from([1, 2]))
def test_address_matches_numpy(seed, batch, slots, width, radius):
    x = rand_inputs(seed, batch, slots, width, radius)
    expected = reference.address(**x)
    np.testing.assert_allclose(to_numpy(addressing.address(**x)), expected, atol=2e-5)
    stages = addressing.address_stages(**x)
    assert set(stages) == {"content", "interpolated", "shifted", "weights"}
    w_c = reference.content_weights(x["memory"], x["key"], x["beta"])
    w_g = reference.interpolate(w_c, x["w_prev"], x["g"])
    w_s = reference.shift(w_g, x["s"])
    for name, ref in [("content", w_c), ("interpolated", w_g), ("shifted", w_s), ("weights", expected)]:
        np.testing.assert_allclose(to_numpy(stages[name]), ref, atol=2e-5, err_msg=name)
        assert_distribution(stages[name])


@SETTINGS
@given(
    seed=seeds,
    slots=slot_counts,
    beta=st.floats(0, 200),
    gamma=st.floats(1, 50),
    g=st.floats(0, 1),
    concentration=st.sampled_from([0.05, 1.0, 10.0]),
)
def test_every_stage_is_a_distribution(seed, slots, beta, gamma, g, concentration):
    rng = np.random.default_rng(seed)
    x = rand_inputs(seed, 2, slots, 4)
    x["w_prev"] = rand_distribution(rng, 2, slots, concentration)
    x["s"] = rand_distribution(rng, 2, 3, concentration)
    x["beta"] = np.full((2, 1), beta, "float32")
    x["gamma"] = np.full((2, 1), gamma, "float32")
    x["g"] = np.full((2, 1), g, "float32")
    for w in addressing.address_stages(**x).values():
        assert_distribution(w)


# --- numerical safety -------------------------------------------------------------
def safety_case(name):
    x = rand_inputs(11, batch=2, slots=8, width=4)
    if name == "zero_memory_rows":
        x["memory"][:, ::2] = 0.0
    elif name == "all_zero_memory":
        x["memory"][:] = 0.0
    elif name == "zero_key":
        x["key"][:] = 0.0
    elif name == "zero_key_zero_memory":
        x["key"][:] = 0.0
        x["memory"][:] = 0.0
    elif name == "huge_key_1e6":
        x["key"] *= 1e6
    elif name == "huge_key_1e15":
        x["key"] *= 1e15
        x["memory"][:, 1] = 0.0
    elif name == "beta_zero":
        x["beta"][:] = 0.0
    elif name == "gamma_one":
        x["gamma"][:] = 1.0
    elif name == "gamma_50":
        x["gamma"][:] = 50.0
    elif name == "one_hot_w_prev_g_zero":
        # g = 0 and an unshifted s: sharpen receives an exact one-hot
        x["w_prev"] = one_hot(3, 8, batch=2)
        x["g"][:] = 0.0
        x["s"] = np.array([[0, 1, 0]] * 2, "float32")
        x["gamma"][:] = 50.0
    elif name == "nearly_zero_w_prev":
        x["w_prev"] = np.full((2, 8), 1e-30, "float32")
        x["w_prev"][:, 5] = 1.0
        x["g"][:] = 0.0
    else:
        raise AssertionError(name)
    return x


SAFETY_CASES = [
    "zero_memory_rows",
    "all_zero_memory",
    "zero_key",
    "zero_key_zero_memory",
    "huge_key_1e6",
    "huge_key_1e15",
    "beta_zero",
    "gamma_one",
    "gamma_50",
    "one_hot_w_prev_g_zero",
    "nearly_zero_w_prev",
]
ARG_ORDER = ["memory", "w_prev", "key", "beta", "g", "s", "gamma"]


@pytest.mark.parametrize("case", SAFETY_CASES)
def test_address_values_and_gradients_are_finite(case):
    x = safety_case(case)
    w = to_numpy(addressing.address(**x))
    assert_distribution(w)
    coeffs = ops.convert_to_tensor(np.random.default_rng(1).normal(size=w.shape).astype("float32"))

    def loss(*args):
        return ops.sum(addressing.address(*args) * coeffs)

    grads = grad_of(loss, *[x[k] for k in ARG_ORDER])
    for name, grad in zip(ARG_ORDER, grads):
        assert grad.shape == x[name].shape
        assert np.all(np.isfinite(grad)), f"non-finite gradient for {name} in case {case}"


def test_degenerate_cases_have_the_right_values():
    # all-zero memory or zero key: every similarity is 0, so content is uniform
    for case in ("all_zero_memory", "zero_key"):
        x = safety_case(case)
        np.testing.assert_allclose(to_numpy(addressing.cosine_similarity(x["memory"], x["key"])), 0.0, atol=1e-6)
        w_c = to_numpy(addressing.content_weights(x["memory"], x["key"], x["beta"]))
        np.testing.assert_allclose(w_c, 1 / 8, atol=1e-6)
    # a zero row has similarity 0; other rows are unaffected
    x = safety_case("zero_memory_rows")
    got = to_numpy(addressing.cosine_similarity(x["memory"], x["key"]))
    np.testing.assert_allclose(got[:, ::2], 0.0, atol=1e-6)
    np.testing.assert_allclose(got, reference.cosine_similarity(x["memory"], x["key"]), atol=1e-5)
    # huge keys: cosine does not depend on the key's scale
    for scale in (1e6, 1e15):
        x = rand_inputs(5, batch=2, slots=8, width=4)
        got = to_numpy(addressing.cosine_similarity(x["memory"], x["key"] * scale))
        np.testing.assert_allclose(got, reference.cosine_similarity(x["memory"], x["key"]), atol=1e-5)
    # an exact one-hot into sharpen stays the same one-hot
    for gamma in (1.0, 50.0):
        got = to_numpy(addressing.sharpen(one_hot(3, 8, 2), np.full((2, 1), gamma, "float32")))
        np.testing.assert_allclose(got, one_hot(3, 8, 2), atol=1e-6)


@pytest.mark.parametrize("gamma", [1.0, 50.0])
def test_sharpen_gradients_finite_on_one_hot(gamma):
    w = one_hot(2, 8, 2)
    coeffs = ops.convert_to_tensor(np.arange(16, dtype="float32").reshape(2, 8))
    grads = grad_of(lambda w_, g_: addressing.sharpen(w_, g_) * coeffs, w, np.full((2, 1), gamma, "float32"))
    for grad in grads:
        assert np.all(np.isfinite(grad))


def test_address_gradient_matches_finite_differences():
    """The backend's gradient equals a central difference of the float64 reference."""
    x = rand_inputs(7, batch=2, slots=8, width=4)
    x["gamma"][:] = 2.0
    coeffs = np.random.default_rng(2).normal(size=(2, 8))

    def ref_loss(values):
        return float((reference.address(**values) * coeffs).sum())

    grads = grad_of(
        lambda *args: ops.sum(addressing.address(*args) * ops.convert_to_tensor(coeffs.astype("float32"))), *[x[k] for k in ARG_ORDER]
    )
    h = 1e-4
    for name, grad in zip(ARG_ORDER, grads):
        base = {k: v.astype(np.float64) for k, v in x.items()}
        numeric = np.zeros_like(base[name])
        for idx in np.ndindex(base[name].shape):
            up, down = dict(base), dict(base)
            up[name] = base[name].copy()
            down[name] = base[name].copy()
            up[name][idx] += h
            down[name][idx] -= h
            numeric[idx] = (ref_loss(up) - ref_loss(down)) / (2 * h)
        np.testing.assert_allclose(grad, numeric, atol=2e-3, rtol=2e-2, err_msg=name)
