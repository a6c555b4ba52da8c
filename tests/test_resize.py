"""ntm_core.resize_memory: a trained NTM given another number of memory slots N.

The small models here are built from scratch and given hand-set start-state
weights, so the re-shaped values can be worked out by hand. Round trips,
unchanged predictions and saving run on every backend; the NumPy re-shaping
rules, the refusals and the checks with the shipped ``copy_ntm`` checkpoint
(trained with N = 128, copying more than 128 vectors) are marked ``once``.
"""

import keras
import numpy as np
import pytest

import ntm_core
from ntm_core import NTM
from ntm_core.metrics import bit_errors_per_sequence
from ntm_core.models import build_lstm, build_ntm
from ntm_core.resize import NEW_SLOT_SHARE, resize_memory
from ntm_core.tasks import get_task

N, M = 16, 4


def _small(preset="paper", memory_size=N, seed=0):
    model = build_ntm("copy", preset=preset, memory_size=memory_size, memory_width=M, controller_units=8)
    x = _inputs(seed)
    model.predict_on_batch(x)  # built, as a trained model is
    # A trained model's weights are not their initial values: perturb every one.
    rng = np.random.default_rng(seed)
    for w in model.trainable_weights:  # the stable preset's constant memory stays constant
        w.assign(np.asarray(w) + rng.normal(0, 0.3, w.shape).astype("float32"))
    return model


def _inputs(seed=0, batch=3, length=6):
    return get_task("copy").sample(batch, seed, min_length=length, max_length=length).x


def _weights(model):
    return {w.path: np.asarray(w) for w in model.weights}


def _cell(model):
    return model.get_layer("ntm").cell


def _predict(model, x):
    return np.asarray(model.predict_on_batch(x))


@pytest.mark.parametrize("preset", ["paper", "stable"])
def test_grow_then_shrink_back_gives_the_original_model(preset):
    model = _small(preset)
    x = _inputs(1, length=10)
    back = resize_memory(resize_memory(model, 4 * N), N)
    np.testing.assert_array_equal(_predict(back, x), _predict(model, x))
    before, after = _weights(model), _weights(back)
    assert before.keys() == after.keys()
    for path in before:
        np.testing.assert_array_equal(after[path], before[path], err_msg=path)


def test_same_memory_size_changes_nothing_and_the_original_is_untouched():
    model = _small()
    x = _inputs(2)
    expected, weights = _predict(model, x), _weights(model)
    same = resize_memory(model, N)
    assert same is not model
    np.testing.assert_array_equal(_predict(same, x), expected)
    bigger = resize_memory(model, 3 * N)
    assert _cell(bigger).memory_size == 3 * N and _cell(model).memory_size == N
    for path, value in _weights(model).items():
        np.testing.assert_array_equal(value, weights[path], err_msg=path)


def test_controller_head_and_output_weights_are_copied_exactly():
    model = _small()
    model.compile(optimizer="adam", loss="binary_crossentropy")
    big = resize_memory(model, 40)  # not a multiple of N: the tiling wraps part way
    before, after = _weights(model), _weights(big)
    copied = [p for p in before if not p.endswith(("initial_memory", "initial_weight_logits"))]
    # LSTM controller 3, head-parameter layer 2, output layer 2, initial reads 1, controller state 2.
    assert len(copied) == 10
    for part in ("controller/kernel", "controller/recurrent_kernel", "head_parameters/kernel", "output/bias"):
        assert any(part in p for p in copied), part
    for path in copied:
        np.testing.assert_array_equal(after[path], before[path], err_msg=path)
    assert not big.compiled  # the optimizer's state had the old shapes: it is not carried over


@pytest.mark.once
def test_initial_memory_rows_repeat_when_growing_and_are_cut_when_shrinking():
    model = _small("paper")
    rows = np.arange(N * M, dtype="float32").reshape(N, M) / 10.0
    _cell(model).initial_memory.assign(rows.reshape(-1))
    big = np.asarray(_cell(resize_memory(model, 40)).initial_memory).reshape(40, M)
    # 40 = 16 + 16 + 8: two whole copies of the trained rows, then rows 0..7.
    np.testing.assert_array_equal(big[:16], rows)
    np.testing.assert_array_equal(big[16:32], rows)
    np.testing.assert_array_equal(big[32:], rows[:8])
    small = np.asarray(_cell(resize_memory(model, 5)).initial_memory).reshape(5, M)
    np.testing.assert_array_equal(small, rows[:5])


@pytest.mark.once
def test_the_stable_presets_constant_memory_stays_constant_and_untrained():
    big = resize_memory(_small("stable"), 64)
    memory = _cell(big).initial_memory
    assert not memory.trainable
    np.testing.assert_array_equal(np.asarray(memory), np.full(64 * M, 1e-6, dtype="float32"))


@pytest.mark.once
def test_new_slots_start_with_almost_no_weight_and_the_old_focus_is_kept():
    model = _small("paper")
    logits = np.zeros((2, N), dtype="float32")
    logits[0, :3] = [6.0, 1.0, -2.0]  # the write head: focused on slot 0
    logits[1, 5] = 3.0  # the read head: focused on slot 5
    _cell(model).initial_weight_logits.assign(logits)
    new = np.asarray(_cell(resize_memory(model, N + 8)).initial_weight_logits)
    np.testing.assert_array_equal(new[:, :N], logits)
    # By hand: Z = sum(exp(l)); each of the 8 new logits is log(Z * 1e-6 / 8).
    z_write = np.exp(6.0) + np.exp(1.0) + np.exp(-2.0) + 13
    z_read = np.exp(3.0) + 15
    np.testing.assert_allclose(new[0, N:], np.log(z_write * 1e-6 / 8), rtol=1e-6)
    np.testing.assert_allclose(new[1, N:], np.log(z_read * 1e-6 / 8), rtol=1e-6)
    # What the model starts from: w_0 over old slots as before (up to the factor 1 + 1e-6).
    state = ntm_core.resize_memory(model, N + 8).get_layer("ntm").cell.get_initial_state(1)
    w0 = np.asarray(state[1]).reshape(2, N + 8)
    np.testing.assert_allclose(w0[:, N:].sum(axis=1), NEW_SLOT_SHARE / (1 + NEW_SLOT_SHARE), rtol=1e-3)
    old_w0 = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(w0[:, :N], old_w0 / (1 + NEW_SLOT_SHARE), rtol=1e-5)
    assert w0[0].argmax() == 0 and w0[1].argmax() == 5


@pytest.mark.once
def test_shrinking_keeps_the_first_logits_and_warns_when_a_focus_is_cut_off():
    model = _small("paper")
    logits = np.zeros((2, N), dtype="float32")
    logits[0, 0] = 6.0
    logits[1, 12] = 6.0  # the read head starts on slot 12
    _cell(model).initial_weight_logits.assign(logits)
    np.testing.assert_array_equal(np.asarray(_cell(resize_memory(model, 13)).initial_weight_logits), logits[:, :13])
    with pytest.warns(UserWarning, match=r"head\(s\) \[1\]"):
        small = resize_memory(model, 8)
    np.testing.assert_array_equal(np.asarray(_cell(small).initial_weight_logits), logits[:, :8])


def test_an_ntm_inside_a_nested_model_is_found():
    inner = keras.Sequential([keras.Input((None, 3)), NTM(2, memory_size=8, memory_width=4, controller_units=6, name="ntm")])
    inputs = keras.Input((None, 3))
    model = keras.Model(inputs, keras.layers.Dense(1)(inner(inputs)))
    x = np.random.default_rng(0).random((2, 5, 3)).astype("float32")
    reference = _predict(model, x)
    big = resize_memory(model, 24)
    assert big.layers[1].get_layer("ntm").cell.memory_size == 24
    np.testing.assert_array_equal(_predict(resize_memory(big, 8), x), reference)


def test_a_resized_model_saves_and_loads_with_identical_predictions(tmp_path):
    big = resize_memory(_small("paper"), 48)
    x = _inputs(3, length=12)
    big.save(tmp_path / "big.keras")
    loaded = keras.saving.load_model(tmp_path / "big.keras")  # safe_mode=True
    assert loaded.get_layer("ntm").cell.memory_size == 48
    np.testing.assert_array_equal(_predict(loaded, x), _predict(big, x))


@pytest.mark.once
@pytest.mark.parametrize(
    "memory_size, error, words",
    [
        (0, ValueError, ["`memory_size`", ">= 3", "got 0"]),
        (2, ValueError, ["`memory_size`", ">= 3", "got 2"]),  # narrower than the 3 shift offsets
        (64.0, TypeError, ["`memory_size`", "got 64.0"]),
        (True, TypeError, ["`memory_size`", "got True"]),
        ("64", TypeError, ["`memory_size`", "got '64'"]),
    ],
)
def test_a_bad_memory_size_is_refused_by_name_and_value(memory_size, error, words):
    with pytest.raises(error) as info:
        resize_memory(_small(), memory_size)
    for word in words:
        assert word in str(info.value)


@pytest.mark.once
def test_models_without_exactly_one_ntm_are_refused():
    with pytest.raises(TypeError, match=r"`model` must be a keras.Model.*got 'copy'"):
        resize_memory("copy", 64)
    with pytest.raises(TypeError, match="`model`"):
        resize_memory(NTM(2, memory_size=8), 64)  # a layer, not a model
    with pytest.raises(ValueError, match=r"`model` must contain an NTM layer, got model 'lstm_copy'"):
        resize_memory(build_lstm("copy", units=4, layers=1), 64)
    inputs = keras.Input((None, 3))
    two = keras.Model(
        inputs,
        keras.layers.Concatenate()([NTM(2, memory_size=8, name="a")(inputs), NTM(2, memory_size=8, name="b")(inputs)]),
    )
    with pytest.raises(ValueError, match=r"exactly one NTM layer.*2: \['a', 'b'\]"):
        resize_memory(two, 64)


# --- the shipped copy_ntm, trained with N = 128 --------------------------------
FRESH_SEED = 4242  # neither the checkpoint's own evaluation (12345) nor test_pretrained's


def _copy_errors(model, length, sequences=4):
    batch = get_task("copy").test_task().sample(sequences, FRESH_SEED, min_length=length, max_length=length)
    pred = _predict(model, batch.x)
    return bit_errors_per_sequence(batch.y, pred, batch.mask, reduce=False)


@pytest.mark.once
def test_copy_ntm_with_512_slots_copies_200_vectors_which_128_cannot():
    big, info = ntm_core.load_pretrained("copy_ntm", memory_size=512)
    assert info["resized"] == {"memory_size": 512, "trained_memory_size": 128}
    assert info["config"]["model_kwargs"]["memory_size"] == 128  # trained with 128
    np.testing.assert_array_equal(_copy_errors(big, 200), 0)
    # With its own 128 slots the head wraps around and overwrites the first 72
    # vectors before they are read back: hundreds of wrong bits per sequence.
    original, _ = ntm_core.load_pretrained("copy_ntm")
    assert np.all(_copy_errors(original, 200) > 100)


@pytest.mark.once
def test_load_pretrained_refuses_a_bad_memory_size():
    with pytest.raises(ValueError, match=r"`memory_size` must be an integer >= 3, got 0"):
        ntm_core.load_pretrained("copy_ntm", memory_size=0)


@pytest.mark.once
def test_the_evaluate_command_measures_each_memory_size(tmp_path):
    import json

    from ntm_core.__main__ import main
    from ntm_core.pretrained import pretrained_path

    out = tmp_path / "resized.json"
    argv = ["evaluate", str(pretrained_path("copy_ntm")), "--memory-size", "128", "256", "--lengths", "5", "150"]
    assert main(argv + ["--sequences", "2", "1", "--seed", "3", "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["command"].startswith("python -m ntm_core evaluate ") and result["seed"] == 3
    table = {(r["memory_size"], r["length"]): r for r in result["rows"]}
    assert set(table) == {(128, 5), (128, 150), (256, 5), (256, 150)}
    assert table[(128, 5)]["num_sequences"] == 2 and table[(256, 150)]["num_sequences"] == 1
    # Length 150 > 128 slots: only the bigger memory can hold it.
    assert table[(128, 150)]["bit_errors"] > 100 and table[(256, 150)]["perfect"] == 1.0
