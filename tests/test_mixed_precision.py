"""A built NTM stays finite, forward and backward, in float32 and in float16.

float16 cannot hold the float32 epsilon 1e-8 (it rounds to 0), and its
maximum is 65504; these are the inputs where an NTM divides by a norm, takes
a logarithm of a weighting or sharpens: all-zero memory and keys, a large
key strength beta, weightings with exact zeros before sharpening (eq. 6, 9).
The cases are set up by hand through the head layer's weights, so each one
holds at every step whatever the controller does.
"""

import keras
import numpy as np
import pytest
from backend_utils import grad_of, to_numpy
from keras import ops

from ntm_core import addressing
from ntm_core.cell import head_parameter_sizes
from ntm_core.models import build_ntm
from ntm_core.tasks import copy_batch

SMALL = dict(memory_size=8, memory_width=4, controller_units=8, preset="paper")
CASES = ["random", "zero_memory_and_keys", "large_beta", "exact_zeros_before_sharpening", "all_at_once"]


@pytest.fixture(params=["float32", "mixed_float16"])
def policy(request):
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(request.param)
    try:
        yield request.param
    finally:
        keras.config.set_dtype_policy(previous)


def _columns(cell):
    """name -> list of column slices of the head layer's output, one per head."""
    out, start = {}, 0
    for h in range(cell.num_heads):
        for name, width in head_parameter_sizes(cell.memory_width, cell.shift_range, is_write=h < cell.write_heads):
            out.setdefault(name, []).append(slice(start, start + width))
            start += width
    return out


def _force(model, case):
    """Fix head parameters (through zero kernels and chosen biases) so the case holds at every step."""
    cell = model.get_layer("ntm").cell
    kernel, bias = (to_numpy(v).copy() for v in cell.head_layer.weights)
    cols = _columns(cell)

    def fix(name, value):
        for c in cols[name]:
            kernel[:, c] = 0.0
            bias[c] = value

    if case in ("zero_memory_and_keys", "all_at_once"):
        cell.initial_memory.assign(np.zeros(cell.initial_memory.shape, "float32"))
        fix("key", 0.0)
        fix("add", 0.0)  # tanh(0) = 0: the writes keep the memory at zero
    if case in ("large_beta", "all_at_once"):
        fix("beta", 500.0)  # softplus(500) = 500: a one-hot content weighting
    if case in ("exact_zeros_before_sharpening", "all_at_once"):
        logits = np.zeros(cell.initial_weight_logits.shape, "float32")
        logits[:, 0] = 1000.0  # softmax: exactly one-hot, exact zeros elsewhere
        cell.initial_weight_logits.assign(logits)
        fix("g", -1000.0)  # sigmoid(-1000) = 0: keep the previous weighting
        fix("shift", 0.0)
        for c in cols["shift"]:
            bias[c.start + 1] = 1000.0  # offset 0 with probability exactly 1
        fix("gamma", 30.0)
    cell.head_layer.set_weights([kernel, bias])


def _model(case, input_dtype="float32"):
    model = build_ntm("copy", **SMALL)
    _force(model, case)
    batch = copy_batch(2, 2, rng=0)
    return model, batch.x.astype(input_dtype), batch.y


def _loss_and_gradients(model, x, y):
    """Binary cross-entropy in float32 and its gradient for every trainable weight, unscaled."""
    weights = model.trainable_variables
    backend = keras.backend.backend()
    y = ops.convert_to_tensor(y)

    def loss_of(pred):
        pred = ops.clip(ops.cast(pred, "float32"), 1e-7, 1 - 1e-7)
        return -ops.mean(y * ops.log(pred) + (1 - y) * ops.log(1 - pred))

    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss = loss_of(model(x, training=True))
        return to_numpy(loss), [to_numpy(g) for g in tape.gradient(loss, weights)]
    if backend == "jax":
        import jax

        fixed = [v.value for v in model.non_trainable_variables]

        def f(values):
            pred, _ = model.stateless_call(values, fixed, x, training=True)
            return loss_of(pred)

        loss, grads = jax.value_and_grad(f)([v.value for v in weights])
        return to_numpy(loss), [to_numpy(g) for g in grads]
    loss = loss_of(model(x, training=True))
    loss.backward()
    return to_numpy(loss.detach()), [to_numpy(v.value.grad) for v in weights]


@pytest.mark.parametrize("case", CASES)
def test_forward_and_backward_are_finite(policy, case):
    model, x, y = _model(case)
    pred = to_numpy(model(x))
    assert pred.dtype == (np.float16 if policy == "mixed_float16" else np.float32)
    assert np.all(np.isfinite(pred)) and np.all((pred >= 0) & (pred <= 1))
    loss, grads = _loss_and_gradients(model, x, y)
    assert np.isfinite(loss)
    for weight, grad in zip(model.trainable_variables, grads):
        assert np.all(np.isfinite(grad)), f"non-finite gradient for {weight.path} ({policy}, {case})"


@pytest.mark.parametrize("case", ["random", "all_at_once"])
def test_float16_inputs(policy, case):
    model, x, y = _model(case, input_dtype="float16")
    assert np.all(np.isfinite(to_numpy(model(x))))
    loss, grads = _loss_and_gradients(model, x, y)
    assert np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in grads)


@pytest.mark.parametrize("from_logits", [False, True])
def test_mixed_precision_training_steps_stay_finite(policy, from_logits):
    from ntm_core.models import logits_model

    model, x, y = _model("all_at_once")
    if from_logits:  # the model train() fits: the same weights, the loss on the logits
        model = logits_model(model)
    # Eager: tracing a train function costs far more than two steps of this tiny model.
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.BinaryCrossentropy(from_logits=from_logits), run_eagerly=True)
    before = [to_numpy(v).copy() for v in model.trainable_variables]
    for _ in range(2):
        loss = model.train_on_batch(x, y)
        assert np.isfinite(loss)
    after = [to_numpy(v) for v in model.trainable_variables]
    assert all(np.all(np.isfinite(w)) for w in after)
    assert any(not np.array_equal(a, b) for a, b in zip(after, before)), "no step was applied"


def test_epsilon_is_representable_and_unchanged_for_float32():
    assert addressing.epsilon("float32") == addressing.EPSILON == 1e-8
    assert addressing.epsilon("float64") == 1e-8 and addressing.epsilon("bfloat16") == 1e-8
    eps16 = addressing.epsilon("float16")
    assert np.float16(eps16) > 0 and np.float16(eps16) >= np.finfo(np.float16).tiny
    # the divisors the backward pass meets at a zero row and key stay far below float16's maximum
    assert 1 / eps16 < np.finfo(np.float16).max / 10


@pytest.mark.parametrize("case", ["zero_rows_and_key", "large_values", "exact_zeros"])
def test_addressing_in_float16_is_finite_and_close_to_float32(case):
    rng = np.random.default_rng(3)
    memory = rng.normal(size=(2, 8, 4)).astype("float32")
    key = rng.normal(size=(2, 4)).astype("float32")
    w_prev = rng.dirichlet(np.ones(8), size=2).astype("float32")
    beta, g, gamma = np.full((2, 1), 5.0, "float32"), np.full((2, 1), 0.5, "float32"), np.full((2, 1), 3.0, "float32")
    s = np.array([[0.1, 0.8, 0.1]] * 2, "float32")
    if case == "zero_rows_and_key":
        memory[:, ::2] = 0.0
        key[0] = 0.0
    elif case == "large_values":  # squares overflow float16 (65504), the norms do not
        memory *= 300.0
        key *= 1000.0
    else:
        w_prev[:] = 0.0
        w_prev[:, 2] = 1.0
        g[:] = 0.0
        s = np.array([[0.0, 1.0, 0.0]] * 2, "float32")
    args = [memory, w_prev, key, beta, g, s, gamma]
    w16 = to_numpy(addressing.address(*[ops.cast(a, "float16") for a in args])).astype("float32")
    w32 = to_numpy(addressing.address(*args))
    assert np.all(np.isfinite(w16))
    np.testing.assert_allclose(w16, w32, atol=1e-2)
    coeffs = ops.convert_to_tensor(rng.normal(size=(2, 8)).astype("float32"))

    def loss(*xs):
        return ops.sum(ops.cast(addressing.address(*[ops.cast(v, "float16") for v in xs]), "float32") * coeffs)

    for grad in grad_of(loss, *args):
        assert np.all(np.isfinite(grad))
