"""ntm_core.teaching.reference: the NumPy reference of eq. 2-9.

Every equation is checked on hand-worked numbers and against a loop written
straight from the paper's formula; the numerical-safety promises (zero
vectors, large beta, large gamma) are checked where the plain formula fails.
The Keras layer must agree with it too (it is what tests and checks trust).
"""

import math

import numpy as np
import pytest
from equation_cases import assert_agrees_with_ntm_core, random_case

from ntm_core.teaching import reference as ref

pytestmark = pytest.mark.once

MEM = np.array([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])  # one 3 x 2 memory


def test_read_hand_worked():  # eq. 2
    np.testing.assert_allclose(ref.read(MEM, [[0.0, 1.0, 0.0]]), [[3.0, 4.0]])
    np.testing.assert_allclose(ref.read(MEM, [[0.5, 0.5, 0.0]]), [[2.0, 3.0]])


def test_erase_add_write_hand_worked():  # eq. 3-4
    w, e, a = [[0.0, 1.0, 0.0]], [[1.0, 0.0]], [[10.0, 20.0]]
    np.testing.assert_allclose(ref.erase(MEM, w, e), [[[1, 2], [0, 4], [5, 6]]])
    np.testing.assert_allclose(ref.add(MEM, w, a), [[[1, 2], [13, 24], [5, 6]]])
    np.testing.assert_allclose(ref.write(MEM, w, e, a), [[[1, 2], [10, 24], [5, 6]]])
    # Half the weight on rows 0 and 1, e = 1: each keeps half of itself, then gets a / 2.
    np.testing.assert_allclose(ref.write(MEM, [[0.5, 0.5, 0.0]], [[1.0, 1.0]], [[2.0, 2.0]]),
                               [[[1.5, 2.0], [2.5, 3.0], [5.0, 6.0]]])


def test_cosine_hand_worked_and_safe_at_zero():  # eq. 6
    memory_ = np.array([[[1.0, 0.0], [0.0, 2.0], [3.0, 3.0], [-1.0, 0.0], [0.0, 0.0]]])
    got = ref.cosine_similarity(memory_, [[2.0, 0.0]])
    np.testing.assert_allclose(got, [[1.0, 0.0, 1 / math.sqrt(2), -1.0, 0.0]], atol=1e-7)
    assert np.all(np.isfinite(ref.cosine_similarity(memory_, [[0.0, 0.0]])))
    np.testing.assert_allclose(ref.cosine_similarity(memory_, [[0.0, 0.0]]), 0.0)


def test_softmax_and_content_weights():  # eq. 5
    np.testing.assert_allclose(ref.softmax([[0.0, math.log(3.0)]]), [[0.25, 0.75]])
    np.testing.assert_allclose(ref.softmax([[1000.0, 0.0]]), [[1.0, 0.0]])  # no overflow
    memory_ = np.array([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
    e = np.array([math.exp(2.0), 1.0, math.exp(2.0 / math.sqrt(2))])
    np.testing.assert_allclose(ref.content_weights(memory_, [[1.0, 0.0]], [[2.0]])[0], e / e.sum(), rtol=1e-7)
    np.testing.assert_allclose(ref.content_weights(memory_, [[1.0, 0.0]], [[0.0]]), np.full((1, 3), 1 / 3))
    np.testing.assert_allclose(ref.content_weights(memory_, [[1.0, 0.0]], [[1e4]]), [[1.0, 0.0, 0.0]], atol=1e-12)


def test_interpolate_hand_worked():  # eq. 7
    wc, wp = [[1.0, 0.0, 0.0]] * 3, [[0.0, 0.0, 1.0]] * 3
    got = ref.interpolate(wc, wp, [[1.0], [0.0], [0.25]])
    np.testing.assert_allclose(got, [[1, 0, 0], [0, 0, 1], [0.25, 0, 0.75]])


def loop_shift(w, s):
    """Eq. 8 written as the paper's sum, one index at a time."""
    batch, n = w.shape
    radius = s.shape[1] // 2
    out = np.zeros((batch, n))
    for b in range(batch):
        for i in range(n):
            out[b, i] = sum(w[b, (i - j) % n] * s[b, j + radius] for j in range(-radius, radius + 1))
    return out


def test_shift_direction_wrap_and_loop():  # eq. 8
    one_hot = np.eye(5)[[2]]
    np.testing.assert_allclose(ref.shift(one_hot, [[0.0, 0.0, 1.0]]), np.eye(5)[[3]])  # +1 moves forward
    np.testing.assert_allclose(ref.shift(one_hot, [[1.0, 0.0, 0.0]]), np.eye(5)[[1]])
    np.testing.assert_allclose(ref.shift(np.eye(5)[[4]], [[0.0, 0.0, 1.0]]), np.eye(5)[[0]])  # wraps
    np.testing.assert_allclose(ref.shift([[0.5, 0.5, 0, 0, 0]], [[0.1, 0.3, 0.6]]), [[0.2, 0.45, 0.3, 0.0, 0.05]])
    rng = np.random.default_rng(0)
    w, s = rng.dirichlet(np.ones(7), size=3), rng.dirichlet(np.ones(5), size=3)
    np.testing.assert_allclose(ref.shift(w, s), loop_shift(w, s), atol=1e-12)
    with pytest.raises(ValueError, match="odd"):
        ref.shift(w, s[:, :4])


def test_sharpen_hand_worked_and_safe():  # eq. 9
    np.testing.assert_allclose(ref.sharpen([[0.5, 0.25, 0.25]], [[2.0]]), [[2 / 3, 1 / 6, 1 / 6]])
    np.testing.assert_allclose(ref.sharpen([[0.5, 0.25, 0.25]], [[1.0]]), [[0.5, 0.25, 0.25]])
    np.testing.assert_allclose(ref.sharpen([[0.0, 0.5, 0.5, 0.0]], [[3.0]]), [[0.0, 0.5, 0.5, 0.0]])
    # 0.3 ** 3000 and 0.7 ** 3000 both underflow to 0 in float64: w ** g / sum would be 0 / 0.
    assert 0.7**3000 == 0.0
    np.testing.assert_allclose(ref.sharpen([[0.3, 0.7]], [[3000.0]]), [[0.0, 1.0]])


def test_address_is_the_stages_in_figure_2_order():
    memory_ = np.array([[[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]]])
    prev = [[0.0, 0.0, 0.0, 1.0]]
    # Content finds row 0 (beta 50), g = 1 keeps it, s = +1 moves it to slot 1.
    got = ref.address(memory_, prev, [[1.0, 0.0]], [[50.0]], [[1.0]], [[0.0, 0.0, 1.0]], [[1.0]])
    assert np.argmax(got) == 1 and got[0, 1] > 0.99
    # g = 0 keeps the previous focus (slot 3); s = +1 wraps it to slot 0.
    got = ref.address(memory_, prev, [[1.0, 0.0]], [[50.0]], [[0.0]], [[0.0, 0.0, 1.0]], [[1.0]])
    np.testing.assert_allclose(got, [[1.0, 0.0, 0.0, 0.0]], atol=1e-12)


def test_rank_is_checked_with_a_message_naming_the_argument():
    with pytest.raises(ValueError, match="`w` must have 2 axes"):
        ref.read(MEM, [0.0, 1.0, 0.0])


def test_keras_layer_agrees_with_the_reference():
    names = ("read", "write", "cosine_similarity", "content_weights", "interpolate", "shift", "sharpen", "address")
    assert_agrees_with_ntm_core({name: getattr(ref, name) for name in names}, random_case(seed=1, shift_width=3))
