"""The NTMCell / NTM layer: controllers, presets, shapes, saving, masking,
statefulness, dropout, training, trace() and parameter counts.

Sizes are tiny (N = 8, M = 5) so the suite stays fast on a small CPU, and a
few models are shared between tests: on JAX every new model, and every eager
call, costs a compilation (see ``run``).
"""

import json

import keras
import numpy as np
import pytest
from backend_utils import grad_of, to_numpy
from keras import ops

import ntm_core
from ntm_core import NTM, PRESETS, NTMCell, controller_input_output_shape
from ntm_core.metrics import bit_errors_per_sequence, bits_per_sequence
from ntm_core.tasks import CopyTask, TaskDataset
from ntm_core.teaching import reference

IN, UNITS, N, M, CU = 6, 4, 8, 5, 16
SMALL = dict(memory_size=N, memory_width=M, controller_units=CU)


@pytest.fixture(autouse=True)
def _seed():
    keras.utils.set_random_seed(0)


def rand_x(batch=3, steps=5, seed=0, low=0.0):
    return np.random.default_rng(seed).uniform(low, 1.0, (batch, steps, IN)).astype("float32")


def make_model(batch=None, steps=None, **kwargs):
    inp = keras.Input(batch_shape=(batch, steps, IN))
    layer = NTM(UNITS, **{**SMALL, **kwargs})
    out = layer(inp)
    return keras.Model(inp, out), layer


def predict(model, x):
    return model.predict(x, verbose=0, batch_size=len(x))


def run(model, x):
    """The model's inference output as NumPy, the fastest way on each backend.

    JAX compiles ``predict`` once and reuses it, but recompiles the whole loop
    on every eager call; TensorFlow and PyTorch run a tiny model eagerly much
    faster than they build a ``predict`` function.
    """
    if keras.backend.backend() == "jax":
        return predict(model, x)
    out = model(ops.convert_to_tensor(x), training=False)
    return [to_numpy(o) for o in out] if isinstance(out, (list, tuple)) else to_numpy(out)


def custom_controller(units=CU):
    return keras.Sequential(
        [keras.layers.Dense(12, activation="relu"), keras.layers.Dense(units, activation="tanh")]
    )


def n_params(variables):
    return int(sum(np.prod(v.shape) for v in variables))


# --- controllers, presets, heads, shapes -------------------------------------------
X = rand_x()  # (3, 5, IN), the input of the shared models below


def _with_output(model, layer):
    return model, layer, run(model, X)


@pytest.fixture(scope="module")
def lstm_model():
    """The default NTM (LSTM controller, "stable"), shared to save compiling."""
    keras.utils.set_random_seed(1)
    return _with_output(*make_model())


@pytest.fixture(scope="module")
def custom_model():
    keras.utils.set_random_seed(2)
    return _with_output(*make_model(controller=custom_controller(), controller_dropout=0.25))


def test_controller_input_output_shape():
    # input + read_heads * memory_width in, controller_units out
    assert controller_input_output_shape(IN, M, 1, CU) == (11, 16)
    assert controller_input_output_shape(9, 20, 2, 100) == (49, 100)
    assert controller_input_output_shape(9) == (29, 100)


@pytest.mark.parametrize("controller", ["lstm", "dense", "custom"])
def test_controllers_run(controller, request):
    if controller == "dense":
        model, layer, y = _with_output(*make_model(controller="dense"))
    else:
        model, layer, y = request.getfixturevalue(f"{controller}_model")
    assert y.shape == (3, 5, UNITS)
    assert np.all(np.isfinite(y)) and np.all((y > 0) & (y < 1))  # sigmoid outputs
    cell = layer.cell
    assert cell.controller_kind == controller
    trainable = {id(v) for v in model.trainable_weights}
    # the controller's weights are part of the model and trained with it
    assert cell.controller.trainable_weights
    assert all(id(v) in trainable for v in cell.controller.trainable_weights)
    if controller == "custom":
        # Dense(11 -> 12) + Dense(12 -> 16): 11 = IN + M (one read vector)
        assert n_params(cell.controller.weights) == 11 * 12 + 12 + 12 * 16 + 16


def _names(variables):
    return sorted(v.path.split("/")[-1] for v in variables)


@pytest.mark.parametrize("controller", ["lstm", "dense"])
def test_presets_differ_in_what_is_trainable(controller):
    layers = {}
    for preset in PRESETS:
        layers[preset] = NTM(UNITS, **SMALL, controller=controller, preset=preset)
        layers[preset].build((None, None, IN))
    lstm_state = ["initial_controller_state_0", "initial_controller_state_1"] if controller == "lstm" else []
    # "paper": the state starts from learned biases, everything is trainable
    assert layers["paper"].non_trainable_weights == []
    # "stable": constant memory and zero controller state, both frozen
    assert _names(layers["stable"].non_trainable_weights) == sorted(["initial_memory"] + lstm_state)
    frozen = N * M + (2 * CU if controller == "lstm" else 0)
    assert n_params(layers["paper"].trainable_weights) - n_params(layers["stable"].trainable_weights) == frozen
    assert n_params(layers["paper"].weights) == n_params(layers["stable"].weights)
    # always trainable in both: the initial read vectors and head-weighting logits
    for layer in layers.values():
        names = _names(layer.trainable_weights)
        assert "initial_reads" in names and "initial_weight_logits" in names
    # the stable start state: memory 1e-6 everywhere, controller state zero,
    # head weightings a distribution peaked on slot 0
    state = [to_numpy(s) for s in layers["stable"].cell.get_initial_state(2)]
    np.testing.assert_allclose(state[0], 1e-6)
    for s in state[3:]:
        np.testing.assert_array_equal(s, 0.0)
    w = state[1].reshape(2, 2, N)
    np.testing.assert_allclose(w.sum(-1), 1.0, atol=1e-6)
    assert np.all(w.argmax(-1) == 0)
    # explicit arguments override the preset
    layer = NTM(UNITS, **SMALL, controller=controller, preset="paper", memory_init="constant")
    layer.build((None, None, IN))
    assert _names(layer.non_trainable_weights) == ["initial_memory"]
    layer = NTM(UNITS, **SMALL, controller=controller, memory_init="learned", controller_init="learned")
    layer.build((None, None, IN))
    assert layer.non_trainable_weights == []


def test_stable_preset_clips_and_paper_does_not():
    assert NTMCell(UNITS, **SMALL, preset="stable").clip_value == 20.0
    assert NTMCell(UNITS, **SMALL, preset="paper").clip_value is None
    assert NTMCell(UNITS, **SMALL, preset="paper", clip_value=5).clip_value == 5.0


def test_multiple_read_and_write_heads():
    model, _ = make_model(controller="dense", read_heads=2, write_heads=2, return_state=True)
    out = run(model, X)
    assert len(out) == 4  # output, memory, weightings, reads: a dense controller has no state
    y, mem, weights, reads = out
    assert y.shape == (3, 5, UNITS)
    assert np.all(np.isfinite(y))
    assert mem.shape == (3, N * M)
    assert weights.shape == (3, 4 * N)
    assert reads.shape == (3, 2 * M)
    w = weights.reshape(3, 4, N)
    assert np.all(w >= 0)
    np.testing.assert_allclose(w.sum(-1), 1.0, atol=1e-5)


def test_any_batch_size(lstm_model):
    model, _, y3 = lstm_model
    x5 = np.concatenate([X, rand_x(batch=2, seed=1)])
    y5 = run(model, x5)
    y1 = run(model, X[:1])
    assert y5.shape == (5, 5, UNITS) and y1.shape == (1, 5, UNITS)
    # sequences in a batch do not affect each other
    np.testing.assert_allclose(y5[:3], y3, atol=1e-6)
    np.testing.assert_allclose(y1[0], y3[0], atol=1e-6)


def test_return_sequences_and_return_state(lstm_model):
    seq_model, _, seqs = lstm_model
    last_model, _ = make_model(return_sequences=False, return_state=True)
    last_model.set_weights(seq_model.get_weights())
    out = run(last_model, X)
    assert seqs.shape == (3, 5, UNITS)
    assert len(out) == 1 + 5  # output, memory, weightings, reads, LSTM h and c
    assert out[0].shape == (3, UNITS)
    assert [s.shape for s in out[1:]] == [(3, N * M), (3, 2 * N), (3, M), (3, CU), (3, CU)]
    np.testing.assert_allclose(out[0], seqs[:, -1], atol=1e-6)
    # the NTM has written something: the memory moved away from its 1e-6 start
    assert np.abs(out[1] - 1e-6).max() > 1e-3


# --- training ------------------------------------------------------------------------
def test_learns_a_short_copy_task():
    """A tiny NTM gets far below chance on copy (4 bits, lengths 1-3) in 100 Adam steps."""
    keras.utils.set_random_seed(0)
    task = CopyTask(bits=4)
    steps = task.steps_for_length(3)
    evaluation = task.sample(64, 123, min_length=1, max_length=3, pad_to=steps)
    # guessing scores half of the recalled bits wrong
    chance = 0.5 * task.bits * evaluation.lengths.mean()
    inp = keras.Input((steps, task.input_size))
    model = keras.Model(
        inp, NTM(task.output_size, memory_size=8, memory_width=6, controller="dense", controller_units=32, seed=0)(inp)
    )
    model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy")

    def scores():
        pred = run(model, evaluation.x)
        return (
            bit_errors_per_sequence(evaluation.y, pred, evaluation.mask),
            bits_per_sequence(evaluation.y, pred, evaluation.mask),
        )

    errors_before, bits_before = scores()
    data = TaskDataset(task, batch_size=16, batches_per_epoch=100, seed=0, min_length=1, max_length=3, pad_to=steps)
    model.fit(data, epochs=1, verbose=0)
    errors_after, bits_after = scores()
    # measured: bit errors about 3.2-4.2 -> 0.0-0.13, bits 7.6 -> 0.2-0.8 (chance 3.8)
    report = f"chance {chance}, bit errors {errors_before} -> {errors_after}, bits {bits_before} -> {bits_after}"
    assert errors_before > 0.6 * chance, report
    assert errors_after < 0.5 * chance, report
    assert errors_after < 0.5 * errors_before, report
    assert bits_after < 0.5 * bits_before, report


# --- saving --------------------------------------------------------------------------
@pytest.mark.parametrize("controller", ["lstm", "custom"])
def test_keras_file_round_trip(tmp_path, controller, request):
    model, _, expected = request.getfixturevalue(f"{controller}_model")
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)  # default safe_mode
    np.testing.assert_array_equal(run(loaded, X), expected)
    layer = loaded.layers[-1]
    assert isinstance(layer, NTM) and layer.cell.controller_kind == controller
    # (as JSON: a saved tuple comes back as a list)
    assert json.loads(json.dumps(layer.get_config())) == json.loads(json.dumps(model.layers[-1].get_config()))
    for a, b in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def _comparable(config):
    return {k: v for k, v in config.items() if k != "name"}


@pytest.mark.parametrize("controller", ["lstm", "custom"])
def test_get_config_from_config(controller):
    def ctrl():
        return custom_controller() if controller == "custom" else controller

    kwargs = dict(
        read_heads=2,
        write_heads=2,
        shift_range=5,
        preset="paper",
        memory_init="constant",
        clip_value=7.5,
        key_activation="tanh",
        controller_dropout=0.1,
        output_activation="linear",
        seed=3,
    )
    cell = NTMCell(UNITS, controller=ctrl(), **SMALL, **kwargs)
    config = cell.get_config()
    clone = NTMCell.from_config(config)
    assert _comparable(clone.get_config()) == _comparable(config)
    for key, value in {**SMALL, **kwargs, "units": UNITS}.items():
        if key != "output_activation":
            assert config[key] == value, key
    assert clone.controller_kind == controller

    layer = NTM(UNITS, controller=ctrl(), return_sequences=False, go_backwards=True, **SMALL, **kwargs)
    config = layer.get_config()
    assert config["return_sequences"] is False and config["go_backwards"] is True
    clone = NTM.from_config(config)
    assert _comparable(clone.get_config()) == _comparable(config)
    # same architecture: the same variables with the same shapes
    for built in (layer, clone):
        built.build((None, None, IN))
    assert [(v.path.split("/")[-1], v.shape) for v in clone.weights] == [
        (v.path.split("/")[-1], v.shape) for v in layer.weights
    ]


# --- masking, statefulness, dropout -------------------------------------------------
def test_masked_steps_leave_the_state_untouched():
    x = rand_x(batch=2, steps=6, low=0.1)  # no all-zero step in the data itself
    lengths = [3, 5]
    x_masked = x.copy()
    for b, n in enumerate(lengths):
        x_masked[b, n:] = 0.0
    inp = keras.Input((None, IN))
    ntm = NTM(UNITS, **SMALL, return_state=True)
    masked_model = keras.Model(inp, ntm(keras.layers.Masking(0.0)(inp)))
    plain_model, _ = make_model(return_state=True)
    plain_model.set_weights(masked_model.get_weights())

    masked = run(masked_model, x_masked)
    for b, n in enumerate(lengths):
        truncated = run(plain_model, x[b : b + 1, :n])
        # every state after the masked tail equals the state after step n
        for got, want in zip(masked[1:], truncated[1:]):
            np.testing.assert_allclose(got[b : b + 1], want, atol=1e-5)
        # outputs: the same up to step n, then the last one repeated
        np.testing.assert_allclose(masked[0][b, :n], truncated[0][0], atol=1e-5)
        np.testing.assert_allclose(masked[0][b, n:], np.repeat(truncated[0][:, -1], 6 - n, axis=0), atol=1e-5)


def test_masking_with_go_backwards():
    x = rand_x(batch=1, steps=6, low=0.1)
    x_masked = x.copy()
    x_masked[:, :2] = 0.0  # original steps 0, 1 and 5 are masked;
    x_masked[:, 5:] = 0.0  # backwards, the NTM sees 5 (masked), 4, 3, 2, 1, 0 (masked)
    plain_model, _ = make_model(go_backwards=True, return_state=True)
    truncated = run(plain_model, x[:, 2:5])  # processes 4, 3, 2
    for zero_output_for_mask in (False, True):
        inp = keras.Input((None, IN))
        ntm = NTM(UNITS, **SMALL, go_backwards=True, return_state=True, zero_output_for_mask=zero_output_for_mask)
        masked_model = keras.Model(inp, ntm(keras.layers.Masking(0.0)(inp)))
        masked_model.set_weights(plain_model.get_weights())
        masked = run(masked_model, x_masked)
        for got, want in zip(masked[1:], truncated[1:]):
            np.testing.assert_allclose(got, want, atol=1e-5)
        # outputs come in processing order: zeros before the first unmasked
        # step; after the last one, its output repeated (or zeros)
        np.testing.assert_array_equal(masked[0][:, 0], 0.0)
        np.testing.assert_allclose(masked[0][:, 1:4], truncated[0], atol=1e-5)
        tail = 0.0 * truncated[0][:, 2] if zero_output_for_mask else truncated[0][:, 2]
        for t in (4, 5):
            np.testing.assert_allclose(masked[0][:, t], tail, atol=1e-5)


def test_stateful_halves_equal_the_whole_sequence():
    x = rand_x(batch=2, steps=6)
    whole_model, _ = make_model(preset="paper")
    stateful_model, layer = make_model(batch=2, preset="paper", stateful=True)
    stateful_model.set_weights(whole_model.get_weights())
    # The state variables were made at build time, from the initial weights of
    # then; reset_state() restarts from the cell's (now copied) initial state.
    layer.reset_state()
    whole = run(whole_model, x)

    # Eager calls: on JAX, predict() does not carry the state of a stateful
    # RNN from one call to the next (Keras' own LSTM behaves the same).
    def call(x_part):
        return to_numpy(stateful_model(ops.convert_to_tensor(x_part)))

    first = call(x[:, :3])
    second = call(x[:, 3:])
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), whole, atol=1e-5)

    # reset_state() restores the learned start state -- not zeros
    def assert_at_start():
        expected = [to_numpy(s) for s in layer.cell.get_initial_state(2)]
        assert len(layer.states) == len(expected) == 5
        for var, want in zip(layer.states, expected):
            np.testing.assert_allclose(to_numpy(var), want, atol=1e-7)
        weights = to_numpy(layer.states[1]).reshape(2, 2, N)
        np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-6)
        initial_memory = to_numpy(layer.cell.initial_memory)
        np.testing.assert_allclose(to_numpy(layer.states[0]), np.tile(initial_memory, (2, 1)), atol=1e-7)

    layer.reset_state()
    assert_at_start()
    np.testing.assert_allclose(call(x[:, :3]), first, atol=1e-6)
    assert np.abs(to_numpy(layer.states[0]) - to_numpy(layer.cell.initial_memory)).max() > 1e-3
    layer.reset_states()  # the Keras 2 spelling does the same
    assert_at_start()


def test_controller_dropout_only_in_training():
    model, _ = make_model(controller_dropout=0.5)
    a = run(model, X)
    b = run(model, X)
    np.testing.assert_array_equal(a, b)
    t = to_numpy(model(ops.convert_to_tensor(X), training=True))
    assert np.all(np.isfinite(t))
    assert np.abs(t - a).max() > 1e-3


# --- trace ---------------------------------------------------------------------------
def np_write_all(mem, write_heads, t):
    """Every write head erases (eq. 3), then every head adds (eq. 4)."""
    for head in write_heads:
        mem = reference.erase(mem, head.weights[:, t], head.erase[:, t])
    for head in write_heads:
        mem = reference.add(mem, head.weights[:, t], head.add[:, t])
    return mem


@pytest.mark.parametrize(
    "controller, read_heads, write_heads, preset",
    [("lstm", 1, 1, "stable"), ("dense", 2, 2, "paper")],
)
def test_trace(controller, read_heads, write_heads, preset):
    B, T = 2, 4
    model, layer = make_model(controller=controller, read_heads=read_heads, write_heads=write_heads, preset=preset)
    x = rand_x(batch=B, steps=T)
    tr = ntm_core.trace(model, x)
    np.testing.assert_allclose(tr.outputs, predict(model, x), atol=1e-5)

    # shapes of every field
    R, W = read_heads, write_heads
    assert tr.inputs.shape == (B, T, IN) and tr.num_steps == T
    assert tr.outputs.shape == (B, T, UNITS)
    assert tr.initial_memory.shape == (B, N, M)
    assert tr.memory.shape == (B, T, N, M)
    assert tr.controller_output.shape == (B, T, CU)
    assert [(h.kind, h.index) for h in tr.heads] == [("write", i) for i in range(W)] + [("read", i) for i in range(R)]
    assert tr.heads[0].label == "write head 0"
    assert tr.read_weights.shape == (B, T, R, N)
    assert tr.write_weights.shape == (B, T, W, N)
    assert tr.reads.shape == (B, T, R, M)
    for head in tr.heads:
        for stage in (head.content, head.interpolated, head.shifted, head.weights):
            assert stage.shape == (B, T, N)
            assert np.all(stage >= 0)
            np.testing.assert_allclose(stage.sum(-1), 1.0, atol=1e-5)
        assert head.key.shape == (B, T, M)
        assert head.beta.shape == head.g.shape == head.gamma.shape == (B, T)
        assert head.shift.shape == (B, T, 3)
        assert np.all(head.beta >= 0) and np.all((head.g > 0) & (head.g < 1)) and np.all(head.gamma >= 1)
        np.testing.assert_allclose(head.shift.sum(-1), 1.0, atol=1e-5)
        if head.kind == "write":
            assert head.erase.shape == head.add.shape == (B, T, M) and head.read is None
            assert np.all((head.erase >= 0) & (head.erase <= 1)) and np.all(np.abs(head.add) <= 1)
        else:
            assert head.erase is None and head.add is None and head.read.shape == (B, T, M)

    # the start: the cell's initial memory and softmax(initial logits)
    np.testing.assert_allclose(tr.initial_memory[0].reshape(-1), to_numpy(layer.cell.initial_memory), atol=1e-7)
    logits = to_numpy(layer.cell.initial_weight_logits)
    initial_w = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)

    # independent replay of every step with the NumPy equations
    for t in range(T):
        before = tr.initial_memory if t == 0 else tr.memory[:, t - 1]
        after = tr.memory[:, t]
        np.testing.assert_allclose(after, np_write_all(before, tr.write_heads, t), atol=1e-5)
        for h, head in enumerate(tr.heads):
            # writes address the old memory, reads the memory just written
            mem = before if head.kind == "write" else after
            prev = np.tile(initial_w[h], (B, 1)) if t == 0 else head.weights[:, t - 1]
            content = reference.content_weights(mem, head.key[:, t], head.beta[:, t, None])
            np.testing.assert_allclose(head.content[:, t], content, atol=1e-4)
            interp = reference.interpolate(head.content[:, t], prev, head.g[:, t, None])
            np.testing.assert_allclose(head.interpolated[:, t], interp, atol=1e-5)
            shifted = reference.shift(head.interpolated[:, t], head.shift[:, t])
            np.testing.assert_allclose(head.shifted[:, t], shifted, atol=1e-5)
            sharp = reference.sharpen(head.shifted[:, t], head.gamma[:, t, None])
            np.testing.assert_allclose(head.weights[:, t], sharp, atol=1e-4)
            if head.kind == "read":
                np.testing.assert_allclose(head.read[:, t], reference.read(after, head.weights[:, t]), atol=1e-5)


# --- parameter counts -------------------------------------------------------------
# The paper's copy configurations: input 9 (8 bits + delimiter), output 8,
# N = 128, M = 20, one read and one write head, 100 controller units.
#
#   controller input     9 + 1 * 20 (previous read)                 = 29
#   head parameters      write: key 20 + beta 1 + g 1 + shift 3 + gamma 1
#                               + erase 20 + add 20                  = 66
#                        read:  20 + 1 + 1 + 3 + 1                   = 26
#   head Dense           100 * (66 + 26) + 92                        = 9,292
#   output Dense         (100 + 20) * 8 + 8                          = 968
#   initial memory       128 * 20                                    = 2,560
#   initial weightings   2 heads * 128 logits                        = 256
#   initial read vector  20                                          = 20
#   LSTM controller      4 * (29 * 100 + 100 * 100 + 100)            = 52,000
#     + initial (h, c)   2 * 100                                     = 200
#   dense controller     29 * 100 + 100                              = 3,000
#
#   LSTM total  52,000 + 200 + 9,292 + 968 + 2,560 + 256 + 20 = 65,296
#   dense total  3,000 + 9,292 + 968 + 2,560 + 256 + 20       = 16,096
# (The paper reports 67,561 and 17,162; it does not say how it counts the
# head parameters or the initial state, so its figures cannot be rebuilt.)
# "paper" trains everything; "stable" freezes the initial memory (2,560) and
# the initial LSTM state (200).
@pytest.mark.parametrize(
    "controller, preset, trainable, frozen",
    [
        ("lstm", "paper", 65_296, 0),
        ("lstm", "stable", 65_296 - 2_760, 2_760),
        ("dense", "paper", 16_096, 0),
        ("dense", "stable", 16_096 - 2_560, 2_560),
    ],
)
def test_parameter_counts_of_the_paper_copy_configuration(controller, preset, trainable, frozen):
    layer = NTM(8, memory_size=128, memory_width=20, controller=controller, controller_units=100, preset=preset)
    layer.build((None, None, 9))
    assert n_params(layer.trainable_weights) == trainable
    assert n_params(layer.non_trainable_weights) == frozen
    inp = keras.Input((None, 9))
    model = keras.Model(inp, layer(inp))
    assert model.count_params() == trainable + frozen


@pytest.mark.parametrize("write_heads, read_heads", [(1, 1), (2, 2)])
def test_rematerialised_step_has_the_same_gradients(write_heads, read_heads):
    """``call`` recomputes the memory access in the backward pass (keras.remat);
    values and gradients must equal those of the plain step, through three
    steps of memory, for every input of the step."""
    cell = NTMCell(UNITS, **SMALL, write_heads=write_heads, read_heads=read_heads)
    cell.build((None, IN))
    x = rand_x(batch=2, steps=3, seed=4)
    start = [to_numpy(s) for s in cell.get_initial_state(2)]
    rng = np.random.default_rng(5)
    start[0] = rng.normal(size=start[0].shape).astype("float32")  # a non-trivial memory

    def unrolled(remat):
        def fn(x, memory):
            states = [memory] + [ops.convert_to_tensor(s) for s in start[1:]]
            total = 0.0
            for t in range(3):
                out, states, _ = cell.step(x[:, t], states, remat=remat)
                total = total + ops.sum(out * (t + 1.0)) + ops.sum(ops.square(states[0]))
            return total

        return fn

    plain = grad_of(unrolled(False), x, start[0])
    remat = grad_of(unrolled(True), x, start[0])
    for p, r in zip(plain, remat):
        assert np.abs(p).max() > 0
        np.testing.assert_allclose(r, p, rtol=1e-4, atol=1e-6)


def test_the_logits_loss_still_has_a_gradient_where_a_float32_sigmoid_has_rounded_to_one():
    """Why training uses ntm_core.models.logits_model: a confidently wrong bit.

    At z = 18, sigmoid(z) is 1 - 1.5e-8, exactly 1.0 in float32; the loss on
    probabilities clips it to 1 - 1e-7 and its gradient with respect to z is
    zero. The loss on logits has d/dz = sigmoid(z) - y = 1 (worked out by hand).
    (On TensorFlow, Keras finds the logits behind a bare ``ops.sigmoid``, but
    not behind the NTM's, which runs inside its time loop: the sigmoid is
    written out here, as one Keras cannot see through.)
    """
    z = np.full((1, 1, 1), 18.0, np.float32)
    y = np.zeros((1, 1, 1), np.float32)
    on_probabilities = keras.losses.BinaryCrossentropy()
    on_logits = keras.losses.BinaryCrossentropy(from_logits=True)
    (g_probabilities,) = grad_of(lambda t: on_probabilities(y, 1.0 / (1.0 + ops.exp(-t))), z)
    (g_logits,) = grad_of(lambda t: on_logits(y, t), z)
    assert float(g_probabilities.ravel()[0]) == 0.0
    assert float(g_logits.ravel()[0]) == pytest.approx(1.0, abs=1e-6)


def test_logits_model_shares_the_weights_and_trains_on_every_backend():
    from ntm_core.models import build_ntm, logits_model

    model = build_ntm("copy", memory_size=8, memory_width=4, controller_units=16)
    logits = logits_model(model)
    x = np.random.default_rng(2).random((4, 5, 9)).astype("float32")
    y = (np.random.default_rng(3).random((4, 5, 8)) > 0.5).astype("float32")
    before = to_numpy(model(x))
    np.testing.assert_allclose(to_numpy(ops.sigmoid(logits(x))), before, rtol=1e-5, atol=1e-6)
    logits.compile(keras.optimizers.Adam(1e-2), keras.losses.BinaryCrossentropy(from_logits=True))
    history = logits.fit(x, y, epochs=2, batch_size=4, verbose=0).history["loss"]
    assert all(np.isfinite(history))
    after = to_numpy(model(x))  # the probability model moved with it
    assert np.abs(after - before).max() > 1e-3
    np.testing.assert_allclose(to_numpy(ops.sigmoid(logits(x))), after, rtol=1e-5, atol=1e-6)
