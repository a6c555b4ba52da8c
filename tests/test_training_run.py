"""train(): Keras' fit from one TrainConfig, at toy sizes: history, seeds, curriculum, NaN,
validation, clipping and the loss on logits. Resuming a run folder: test_training_resume.py."""

import json

import keras
import numpy as np
import pytest

from ntm_core import metrics, tasks
from ntm_core.training import TrainConfig, train
from ntm_core.training.trainer import validation_set

pytestmark = pytest.mark.once

TOY = dict(memory_size=8, memory_width=4, controller_units=16, max_length=3, jit_compile=False, tensorboard=False, verbose=0)


@pytest.fixture(scope="module")
def toy_run():
    # One toy training run shared by the tests below: tracing a training step
    # is the expensive part on TensorFlow, so it is paid once.
    return train("copy", steps=20, eval_every=10, batch_size=4, seed=3, **TOY)


def test_train_returns_history_and_counts_sequences(toy_run):
    assert [r["step"] for r in toy_run.history] == [10, 20]
    assert [r["sequences"] for r in toy_run.history] == [40, 80]
    for row in toy_run.history:
        assert np.isfinite(row["loss"]) and np.isfinite(row["val_bits_per_seq"])
        assert row["max_length"] == 3
    assert toy_run.stopped == "steps"
    assert toy_run.task.name == "copy" and toy_run.config["model_kwargs"]["memory_size"] == 8


def test_same_seed_same_run(toy_run):
    again = train("copy", steps=10, eval_every=10, batch_size=4, seed=3, **TOY)
    assert again.history[0]["loss"] == pytest.approx(toy_run.history[0]["loss"], rel=1e-4)
    assert again.history[0]["val_bits_per_seq"] == pytest.approx(toy_run.history[0]["val_bits_per_seq"], rel=1e-4)


def test_a_config_object_and_keywords_train_alike(toy_run):
    config = TrainConfig(steps=10, eval_every=10, batch_size=4, seed=3, max_length=3, jit_compile=False,
                         model_kwargs=dict(memory_size=8, memory_width=4, controller_units=16))
    again = train(config=config, tensorboard=False, verbose=0)
    assert again.history[0]["loss"] == pytest.approx(toy_run.history[0]["loss"], rel=1e-4)


def test_validation_scores_the_fixed_set_with_the_papers_metrics():
    # One validation, so the returned model is the validated one.
    result = train("copy", steps=10, eval_every=10, batch_size=4, seed=2, val_sequences=16, **TOY)
    config = TrainConfig.from_dict(result.config)
    val = validation_set(result.task, config)
    assert val.x.shape[0] == 16 and np.all(val.lengths == 3)  # all at the full training length
    pred = np.asarray(result.model.predict_on_batch(val.x))
    row = result.history[0]
    assert row["val_bits_per_seq"] == pytest.approx(metrics.bits_per_sequence(val.y, pred, val.mask), rel=1e-5)
    assert row["val_bit_errors"] == pytest.approx(metrics.bit_errors_per_sequence(val.y, pred, val.mask))


def test_curriculum_growth_changes_the_sequence_length_mid_training(monkeypatch):
    # Each longer maximum length pads batches to more time steps: a new input
    # shape. On TensorFlow this failed inside fit ("generator yielded an element
    # of shape (32, 27, 10) where (None, 15, 10) was expected") until train()
    # started fit again at each change. Here the curriculum grows at every
    # validation, so the run has to go through three lengths.
    def always_grow(self, bit_errors_per_sequence):
        if self.done:
            return False
        self.max_length = min(self.final_max_length, self.max_length + self.step)
        self.log.append((len(self.log), self.max_length))
        return True

    monkeypatch.setattr(tasks.Curriculum, "update", always_grow)
    settings = dict(TOY, max_length=4)
    result = train("copy", steps=40, eval_every=10, batch_size=4, seed=0, curriculum=True,
                   curriculum_start=2, curriculum_step=1, **settings)
    assert [r["step"] for r in result.history] == [10, 20, 30, 40]
    assert [r["max_length"] for r in result.history] == [3, 4, 4, 4]
    assert result.stopped == "steps"
    assert all(np.isfinite(r["loss"]) for r in result.history)


def test_train_stops_cleanly_on_nan(monkeypatch, capsys, tmp_path):
    task = tasks.CopyTask(bits=8)
    original = task.sample

    def poisoned(*args, **kwargs):
        batch = original(*args, **kwargs)
        batch.x[:] = np.nan
        return batch

    monkeypatch.setattr(task, "sample", poisoned)
    result = train(task, steps=30, eval_every=10, batch_size=4, seed=0, out=tmp_path, **TOY)
    assert result.stopped == "nan"
    assert len(result.history) == 0
    assert "NaN" in capsys.readouterr().out
    assert not (tmp_path / "checkpoint.keras").exists()  # nothing unsound to resume from


def test_clipping_is_checked_recorded_and_replaces_a_checkpoints_clipping(tmp_path):
    for bad, error in ((0, ValueError), (-1.0, ValueError), (True, TypeError), ("1", TypeError)):
        with pytest.raises(error, match="global_clipnorm"):
            train("copy", steps=1, global_clipnorm=bad, **TOY)
        with pytest.raises(error, match="`clipnorm`"):
            train("copy", steps=1, clipnorm=bad, **TOY)
    with pytest.raises(ValueError, match="at most one"):
        train("copy", steps=1, clipnorm=1.0, global_clipnorm=1.0, **TOY)
    toy = dict(TOY, batch_size=4, eval_every=10)
    first = train("copy", steps=10, out=tmp_path, clipnorm=50, **toy)
    assert first.model.optimizer.clipnorm == 50.0 and first.model.optimizer.global_clipnorm is None
    # train.json records what the optimizer clipped by, not what was asked for.
    recorded = json.loads((tmp_path / "train.json").read_text())["config"]
    assert (recorded["clipnorm"], recorded["global_clipnorm"], recorded["clipvalue"]) == (50.0, None, None)
    resumed = train("copy", steps=20, out=tmp_path, resume=True, global_clipnorm=0.5, **toy)
    assert resumed.model.optimizer.global_clipnorm == 0.5 and resumed.model.optimizer.clipnorm is None
    saved = keras.saving.load_model(tmp_path / "checkpoint.keras")
    assert saved.optimizer.global_clipnorm == 0.5 and saved.optimizer.clipnorm is None
    recorded = json.loads((tmp_path / "train.json").read_text())["config"]
    assert (recorded["clipnorm"], recorded["global_clipnorm"]) == (None, 0.5)
    default = train("copy", steps=10, **toy)
    assert (default.config["clipnorm"], default.config["global_clipnorm"], default.config["clipvalue"]) == (None, 1.0, None)
    paper = train("copy", steps=10, optimizer="rmsprop", **toy)
    assert (paper.config["clipvalue"], paper.config["clipnorm"], paper.config["global_clipnorm"]) == (10.0, None, None)


def test_validation_set_is_drawn_from_the_task_or_its_test_task():
    blanks = tasks.CopyTask(bits=8, blank_share=1.0)
    config = TrainConfig(seed=7, val_sequences=32, max_length=6)

    on_task = validation_set(blanks, config)
    # Every training sequence has a blank vector: so does every validation sequence.
    assert np.all(np.any(np.all(on_task.x[:, :6, :8] == 0, axis=-1), axis=1))

    on_test = validation_set(blanks, config.replace(validate_on="test"))
    # The paper's data, sequence for sequence what a plain copy task draws from the same seed.
    paper = tasks.CopyTask(bits=8).sample(32, np.random.default_rng([7, 999_983]), min_length=6, max_length=6)
    np.testing.assert_array_equal(on_test.x, paper.x)
    np.testing.assert_array_equal(on_test.y, paper.y)


def test_bad_training_arguments():
    with pytest.raises(ValueError, match="validate_on"):
        train("copy", validate_on="train", steps=1, **TOY)
    with pytest.raises(ValueError, match="model"):
        train("copy", model="gru")
    with pytest.raises(ValueError, match="batch_size"):
        train("copy", batch_size=0)
    with pytest.raises(ValueError, match="optimizer"):
        train("copy", optimizer="sgd", steps=1, **TOY)
    with pytest.raises(ValueError, match="unknown task|Unknown task|no_task"):
        train("no_task")
    with pytest.raises(FileNotFoundError, match="cannot resume"):
        train("copy", resume=True, **TOY)


def test_training_step_is_traced_once(monkeypatch):
    """train() builds the optimizer and metric variables before fit, so
    TensorFlow does not trace the training step a second time."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("only TensorFlow traces the step inside fit")
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    traces = []
    original = TensorFlowTrainer.train_step

    def counting_train_step(self, data):
        traces.append(self.optimizer.built)
        return original(self, data)

    monkeypatch.setattr(TensorFlowTrainer, "train_step", counting_train_step)
    train("copy", steps=4, eval_every=2, batch_size=2, seed=0, **TOY)
    assert traces == [True]


@pytest.mark.parametrize("model", ["ntm", "lstm"])
def test_training_from_logits_keeps_a_probability_model_that_shares_the_weights(tmp_path, model):
    from ntm_core.models import logits_model

    sizes = TOY if model == "ntm" else {k: v for k, v in TOY.items() if k not in ("memory_size", "memory_width",
                                                                                   "controller_units")}
    toy = dict(sizes, batch_size=4, eval_every=10, model=model, lstm_units=8)
    first = train("copy", steps=10, out=tmp_path, from_logits=True, **toy)
    assert first.config["from_logits"] is True
    x = np.random.default_rng(0).random((3, 4, 9)).astype("float32")
    probabilities = np.asarray(first.model.predict_on_batch(x))
    assert probabilities.min() >= 0 and probabilities.max() <= 1
    logits = np.asarray(logits_model(first.model).predict_on_batch(x))
    np.testing.assert_allclose(1.0 / (1.0 + np.exp(-logits)), probabilities, rtol=1e-5, atol=1e-6)
    # The checkpoint holds the model that fit trained (logits, with its loss) ...
    checkpoint = keras.saving.load_model(tmp_path / "checkpoint.keras")
    assert checkpoint.loss.from_logits is True
    # ... and a resumed run goes on from it and still returns probabilities.
    resumed = train("copy", steps=20, out=tmp_path, resume=True, **toy)
    assert resumed.config["from_logits"] is True and resumed.history[-1]["sequences"] == 80
    saved = keras.saving.load_model(tmp_path / "model.keras")
    np.testing.assert_array_equal(saved.predict_on_batch(x), resumed.model.predict_on_batch(x))
    assert resumed.model.optimizer is not None  # evaluate() works on the probability model


def test_training_from_logits_changes_only_the_loss():
    # Same seed, same data, same weights at the start: the first validation differs
    # only where the clipped probability loss and the logits loss differ.
    toy = dict(TOY, batch_size=4, eval_every=5, seed=11)
    on_probabilities = train("copy", steps=5, **toy)
    on_logits = train("copy", steps=5, from_logits=True, **toy)
    assert on_probabilities.config["from_logits"] is False
    a, b = on_probabilities.history[0], on_logits.history[0]
    # Far from saturation the two losses have the same gradients: the runs stay close.
    assert b["val_bits_per_seq"] == pytest.approx(a["val_bits_per_seq"], rel=1e-3)


def test_a_model_whose_sigmoid_cannot_be_split_off_trains_on_probabilities():
    from ntm_core.models import logits_model, probability_model

    inputs = keras.Input((None, 9))
    old_style = keras.Model(inputs, keras.layers.Dense(8, activation="sigmoid")(inputs))  # copy_lstm's readout
    assert logits_model(old_style) is None
    split = keras.Model(inputs, keras.layers.Activation("sigmoid")(keras.layers.Dense(8)(inputs)))
    logits = logits_model(split)
    x = np.random.default_rng(1).random((2, 3, 9)).astype("float32")
    again = probability_model(logits)
    np.testing.assert_allclose(again.predict_on_batch(x), split.predict_on_batch(x), rtol=1e-6)
