"""Tests for ntm_core.metrics: hand-computed cases and independent loops."""

import math
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from ntm_core.metrics import (
    EPSILON,
    BitErrorsPerSequence,
    BitsPerSequence,
    bit_errors_per_sequence,
    bits_per_sequence,
)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _random_case(seed, batch=5, steps=7, channels=3):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, (batch, steps, channels)).astype(np.float32)
    y_pred = rng.random((batch, steps, channels)).astype(np.float32)
    mask = rng.integers(0, 2, (batch, steps)).astype(np.float32)
    return y_true, y_pred, mask


def _loop_bits(y_true, y_pred, mask):
    """Element by element with math.log2: independent of the vectorised code."""
    out = []
    for b in range(y_true.shape[0]):
        total = 0.0
        for t in range(y_true.shape[1]):
            for c in range(y_true.shape[2]):
                p = min(max(float(y_pred[b, t, c]), EPSILON), 1 - EPSILON)
                bit = float(y_true[b, t, c])
                cost = -math.log2(p) if bit == 1 else -math.log2(1 - p)
                total += float(mask[b, t]) * cost
        out.append(total)
    return np.array(out)


def _loop_errors(y_true, y_pred, mask):
    out = []
    for b in range(y_true.shape[0]):
        total = 0.0
        for t in range(y_true.shape[1]):
            for c in range(y_true.shape[2]):
                guess = 1 if y_pred[b, t, c] > 0.5 else 0
                total += float(mask[b, t]) * (guess != int(y_true[b, t, c]))
        out.append(total)
    return np.array(out)


# ---------------------------------------------------------------- numpy ----

def test_half_everywhere_costs_one_bit_per_scored_bit():
    y_true = np.zeros((2, 4, 8), np.float32)
    y_true[0, 1, 3] = 1
    y_pred = np.full((2, 4, 8), 0.5, np.float32)
    mask = np.array([[0, 1, 1, 0], [1, 1, 1, 1]], np.float32)
    per_seq = bits_per_sequence(y_true, y_pred, mask, reduce=False)
    np.testing.assert_allclose(per_seq, [16.0, 32.0])
    assert bits_per_sequence(y_true, y_pred, mask) == pytest.approx(24.0)


def test_confident_wrong_bit_costs_clipped_amount():
    y_true = np.zeros((1, 2, 1), np.float32)
    y_pred = np.array([[[1.0], [0.0]]], np.float32)
    mask = np.array([[1, 1]], np.float32)
    # Step 0: confident and wrong, step 1: confident and right.
    expected = -math.log2(1e-7) - math.log2(1 - 1e-7)
    assert bits_per_sequence(y_true, y_pred, mask) == pytest.approx(expected)
    assert math.isfinite(bits_per_sequence(y_true, y_pred, mask))


def test_one_flipped_bit_is_one_error():
    y_true = np.zeros((3, 5, 4), np.float32)
    y_pred = np.full((3, 5, 4), 0.1, np.float32)
    y_pred[1, 2, 3] = 0.9
    mask = np.ones((3, 5), np.float32)
    np.testing.assert_array_equal(
        bit_errors_per_sequence(y_true, y_pred, mask, reduce=False), [0, 1, 0])
    assert bit_errors_per_sequence(y_true, y_pred, mask) == pytest.approx(1 / 3)


def test_errors_on_unscored_steps_do_not_count():
    y_true = np.ones((1, 3, 2), np.float32)
    y_pred = np.zeros((1, 3, 2), np.float32)
    mask = np.array([[0, 1, 0]], np.float32)
    assert bit_errors_per_sequence(y_true, y_pred, mask) == 2
    assert bits_per_sequence(y_true, y_pred, mask) == pytest.approx(
        2 * -math.log2(1e-7))


def test_half_prediction_reads_as_zero():
    y_pred = np.full((1, 1, 2), 0.5, np.float32)
    y_true = np.array([[[0, 1]]], np.float32)
    assert bit_errors_per_sequence(y_true, y_pred, None) == 1


def test_mask_none_scores_every_step():
    y_true, y_pred, _ = _random_case(3)
    ones = np.ones(y_true.shape[:2], np.float32)
    assert bits_per_sequence(y_true, y_pred, None) == pytest.approx(
        bits_per_sequence(y_true, y_pred, ones))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_numpy_functions_match_independent_loops(seed):
    y_true, y_pred, mask = _random_case(seed)
    np.testing.assert_allclose(
        bits_per_sequence(y_true, y_pred, mask, reduce=False),
        _loop_bits(y_true, y_pred, mask), rtol=1e-10)
    np.testing.assert_allclose(
        bit_errors_per_sequence(y_true, y_pred, mask, reduce=False),
        _loop_errors(y_true, y_pred, mask))
    assert bits_per_sequence(y_true, y_pred, mask) == pytest.approx(
        _loop_bits(y_true, y_pred, mask).mean())


@pytest.mark.parametrize("fn", [bits_per_sequence, bit_errors_per_sequence])
def test_shape_errors_name_the_argument(fn):
    good = np.zeros((2, 3, 4), np.float32)
    mask = np.ones((2, 3), np.float32)
    with pytest.raises(ValueError, match="y_true"):
        fn(good[0], good[0], mask)
    with pytest.raises(ValueError, match="y_pred"):
        fn(good, good[:, :2], mask)
    with pytest.raises(ValueError, match="mask"):
        fn(good, good, mask[:, :2])
    with pytest.raises(ValueError, match="mask"):
        fn(good, good, good)
    with pytest.raises(ValueError, match="y_pred"):
        fn(good, good + 2.0, mask)  # logits, not probabilities
    with pytest.raises(TypeError, match="reduce"):
        fn(good, good, mask, reduce="yes")


# ---------------------------------------------------------------- keras ----

@pytest.mark.parametrize(
    "cls, fn", [(BitsPerSequence, bits_per_sequence),
                (BitErrorsPerSequence, bit_errors_per_sequence)])
def test_keras_metric_matches_numpy_over_batches(cls, fn):
    a = _random_case(10, batch=5)
    b = _random_case(11, batch=3)
    metric = cls()
    metric.update_state(*a[:2], sample_weight=a[2])
    metric.update_state(*b[:2], sample_weight=b[2])
    # Mean over all 8 sequences, not the mean of the two batch means.
    expected = np.concatenate(
        [fn(*a, reduce=False), fn(*b, reduce=False)]).mean()
    assert float(metric.result()) == pytest.approx(expected, rel=1e-5)
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_keras_metrics_hand_cases():
    y_true = np.zeros((2, 3, 4), np.float32)
    half = np.full((2, 3, 4), 0.5, np.float32)
    mask = np.array([[1, 1, 0], [0, 0, 1]], np.float32)
    bits = BitsPerSequence()
    bits.update_state(y_true, half, sample_weight=mask)
    assert float(bits.result()) == pytest.approx((8 + 4) / 2)
    bits_all = BitsPerSequence()
    bits_all.update_state(y_true, half)  # no mask: all 3 steps x 4 bits
    assert float(bits_all.result()) == pytest.approx(12.0)

    y_pred = np.zeros((2, 3, 4), np.float32)
    y_pred[0, 1, 2] = 1.0
    errors = BitErrorsPerSequence()
    errors.update_state(y_true, y_pred, sample_weight=mask)
    assert float(errors.result()) == pytest.approx(0.5)


def test_keras_metric_shape_errors():
    good = np.zeros((2, 3, 4), np.float32)
    metric = BitsPerSequence()
    with pytest.raises(ValueError, match="y_true"):
        metric.update_state(good[0], good[0])
    with pytest.raises(ValueError, match="y_pred"):
        metric.update_state(good, good[:, :2])
    with pytest.raises(ValueError, match="sample_weight"):
        metric.update_state(good, good, sample_weight=good)
    with pytest.raises(ValueError, match="sample_weight"):
        metric.update_state(good, good, sample_weight=np.ones((2, 2)))


@pytest.mark.parametrize("cls, default_name", [(BitsPerSequence, "bits_per_seq"),
                                               (BitErrorsPerSequence, "bit_errors")])
def test_keras_metric_config_and_serialization(cls, default_name):
    metric = cls()
    assert metric.name == default_name
    config = metric.get_config()
    assert config["name"] == default_name
    clone = cls.from_config(config)
    assert isinstance(clone, cls) and clone.name == default_name
    renamed = cls(name="custom")
    blob = keras.saving.serialize_keras_object(renamed)
    assert blob["registered_name"] == f"ntm_core>{cls.__name__}"
    restored = keras.saving.deserialize_keras_object(blob)
    assert isinstance(restored, cls) and restored.name == "custom"


def test_keras_metrics_inside_compiled_evaluate():
    """An identity model makes y_pred = x, so evaluate() runs the metrics in
    the backend's compiled test step, with the mask passed as sample_weight."""
    y_true, y_pred, mask = _random_case(20, batch=6, steps=5, channels=3)
    inputs = keras.Input(shape=(5, 3))
    model = keras.Model(inputs, keras.layers.Identity()(inputs))
    # Keras 3 passes sample_weight only to weighted_metrics, not to metrics.
    model.compile(loss="binary_crossentropy",
                  weighted_metrics=[BitsPerSequence(), BitErrorsPerSequence()],
                  run_eagerly=False)
    result = model.evaluate(y_pred, y_true, sample_weight=mask, batch_size=4,
                            verbose=0, return_dict=True)
    assert result["bits_per_seq"] == pytest.approx(
        bits_per_sequence(y_true, y_pred, mask), rel=1e-5)
    assert result["bit_errors"] == pytest.approx(
        bit_errors_per_sequence(y_true, y_pred, mask), rel=1e-6)


_BACKEND_SCRIPT = textwrap.dedent("""
    import keras, numpy as np
    from ntm_core.metrics import BitsPerSequence, BitErrorsPerSequence
    from ntm_core.metrics import bits_per_sequence, bit_errors_per_sequence
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, (6, 5, 3)).astype("float32")
    p = rng.random((6, 5, 3)).astype("float32")
    m = rng.integers(0, 2, (6, 5)).astype("float32")
    inputs = keras.Input(shape=(5, 3))
    model = keras.Model(inputs, keras.layers.Identity()(inputs))
    # torch.compile takes a minute on two cores; XLA (jax) is quick.
    jit = keras.backend.backend() == "jax"
    model.compile(loss="binary_crossentropy", jit_compile=jit,
                  weighted_metrics=[BitsPerSequence(), BitErrorsPerSequence()])
    r = model.evaluate(p, y, sample_weight=m, batch_size=4, verbose=0,
                       return_dict=True)
    assert abs(r["bits_per_seq"] - bits_per_sequence(y, p, m)) < 1e-3, r
    assert abs(r["bit_errors"] - bit_errors_per_sequence(y, p, m)) < 1e-5, r
    print("OK", keras.backend.backend())
""")


def test_keras_metrics_on_jax_and_torch_backends():
    """Both backends in parallel subprocesses (a backend is fixed per process);
    parallel because importing Keras on torch alone takes several seconds."""
    backends = [b for b in ("jax", "torch") if _importable(b)]
    if not backends:
        pytest.skip("neither jax nor torch is installed")
    procs = {}
    for backend in backends:
        env = dict(os.environ, KERAS_BACKEND=backend, PYTHONPATH=REPO,
                   CUDA_VISIBLE_DEVICES="")
        procs[backend] = subprocess.Popen(
            [sys.executable, "-c", _BACKEND_SCRIPT], env=env, cwd=REPO,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for backend, proc in procs.items():
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        assert proc.returncode == 0, f"{backend}: {err[-3000:]}"
        assert f"OK {backend}" in out


def _importable(module):
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_keras_metrics_from_logits_hand_cases():
    # z = 0 is probability 0.5: one bit per scored bit, as test_keras_metrics_hand_cases.
    y_true = np.zeros((1, 2, 3), np.float32)
    bits = BitsPerSequence(from_logits=True)
    bits.update_state(y_true, np.zeros((1, 2, 3), np.float32))
    assert float(bits.result()) == pytest.approx(6.0)
    # A confidently wrong bit at z = 30: -log2(1 - sigmoid(30)) = 30 / ln 2 + log2(1 + e^-30),
    # where the probability form caps it at -log2(1e-7) (a float32 sigmoid(30) is exactly 1.0).
    z = np.full((1, 1, 1), 30.0, np.float32)
    wrong = BitsPerSequence(from_logits=True)
    wrong.update_state(np.zeros((1, 1, 1), np.float32), z)
    assert float(wrong.result()) == pytest.approx(30.0 / np.log(2.0), rel=1e-6)
    capped = BitsPerSequence()
    capped.update_state(np.zeros((1, 1, 1), np.float32), 1.0 / (1.0 + np.exp(-z)))
    # (1 - 1e-7 in float32 is 1 - 2**-23: the cap is 23 bits.)
    assert float(capped.result()) == pytest.approx(-np.log2(1.0 - np.float32(1.0 - 1e-7)), rel=1e-4)
    # The error count thresholds logits at 0, as probabilities at 0.5.
    logits = np.array([[[-0.1, 0.1, 5.0]]], np.float32)
    errors = BitErrorsPerSequence(from_logits=True)
    errors.update_state(np.array([[[0.0, 0.0, 1.0]]], np.float32), logits)
    assert float(errors.result()) == 1.0
    config = BitsPerSequence(from_logits=True).get_config()
    assert config["from_logits"] is True and BitsPerSequence.from_config(config).from_logits is True
    with pytest.raises(TypeError, match="from_logits"):
        BitsPerSequence(from_logits="yes")
