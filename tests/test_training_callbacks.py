"""The callbacks that act on each validation: rollback after a collapse, convergence,
learning-rate decay, early stop and the time limit, driven by hand-made validations."""

import keras
import numpy as np
import pytest

from ntm_core import tasks
from ntm_core.metrics import bit_errors_per_sequence, bits_per_sequence
from ntm_core.training import TrainConfig
from ntm_core.training.callbacks import RunState
from ntm_core.training.trainer import _callbacks, validation_set

pytestmark = pytest.mark.once


class IdentityRun:
    """The callbacks of a run whose validation targets equal the input bits, on a one-layer model.

    Kernel +10*I (bias -5) then predicts every bit correctly and -10*I every
    bit wrongly, so a collapse can be made by hand without training anything.
    Each :meth:`validate` scores the model on the validation set with the
    NumPy metrics and hands the callbacks the logs ``fit`` would.
    """

    def __init__(self, **settings):
        task = tasks.CopyTask(bits=8)
        self.model = keras.Sequential([keras.Input((None, 9)), keras.layers.Dense(8, activation="sigmoid")])
        self.model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
        self.model.optimizer.build(self.model.trainable_variables)
        dataset = tasks.TaskDataset(task, 4, 10, 0, min_length=1, max_length=5)
        config = TrainConfig(**{**dict(val_sequences=16, max_length=5, eval_every=10, batch_size=4, patience=0,
                                       learning_rate=1e-3), **settings})
        val = validation_set(task, config)
        self.val = tasks.Batch(val.x, val.x[..., :8].copy(), np.ones(val.x.shape[:2], dtype="float32"), val.lengths)
        self.state = RunState()
        callbacks = _callbacks(self.state, config, dataset, None, self.val, None, None, False, 0)
        self.callbacks = keras.callbacks.CallbackList(callbacks, model=self.model)
        self.epoch = 0

    def validate(self, weights, loss):
        self.callbacks.on_epoch_begin(self.epoch)
        self.model.set_weights(weights)
        pred = np.asarray(self.model.predict_on_batch(self.val.x))
        logs = {"loss": loss, "val_bits_per_seq": bits_per_sequence(self.val.y, pred, self.val.mask),
                "val_bit_errors": bit_errors_per_sequence(self.val.y, pred, self.val.mask)}
        self.callbacks.on_epoch_end(self.epoch, logs)
        self.epoch += 1
        return self.state.history[-1]

    @property
    def learning_rate(self):
        return float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))


def _dense_weights(scale, bias):
    return [scale * np.eye(9, 8, dtype="float32"), np.full(8, bias, dtype="float32")]


GOOD, WRONG = _dense_weights(10.0, -5.0), _dense_weights(-10.0, 5.0)


def test_collapse_rolls_back_to_the_best_weights_with_half_the_learning_rate():
    run = IdentityRun()
    moments = [np.array(v) for v in run.model.optimizer.variables]
    row = run.validate(GOOD, loss=0.1)
    assert row["val_bit_errors"] == 0 and not row.get("rolled_back")

    # Every bit wrong: far more than a quarter of chance level above the best.
    for v in run.model.optimizer.variables[2:]:
        v.assign(v + 1.0)
    row = run.validate(WRONG, loss=0.9)
    target_bits = 8 * run.val.x.shape[1]
    assert row["rolled_back"] and row["collapsed_bit_errors"] == target_bits
    # The first validation converged (1e-3 x 0.3 = 3e-4); the collapse halves
    # that, but not below a quarter of the starting rate.
    assert row["val_bit_errors"] == 0 and row["learning_rate"] == pytest.approx(2.5e-4)
    assert not row["converged"] and run.state.streak == 0  # the restored weights are not a new success
    for w, expected in zip(run.model.get_weights(), GOOD):
        np.testing.assert_array_equal(w, expected)
    assert run.learning_rate == pytest.approx(2.5e-4)
    for v, expected in zip(run.model.optimizer.variables[2:], moments[2:]):
        np.testing.assert_array_equal(np.array(v), expected)

    row = run.validate(WRONG, loss=0.9)
    assert row["rolled_back"] and run.learning_rate == pytest.approx(2.5e-4)
    assert sum(1 for r in run.state.history if r.get("rolled_back")) == 2


def test_rollbacks_halve_the_learning_rate_down_to_a_quarter():
    run = IdentityRun(converge_bit_errors=0.0)  # never converged: no decay besides the rollbacks
    run.validate(GOOD, loss=0.1)
    rates = []
    for _ in range(3):
        run.validate(WRONG, loss=0.9)
        rates.append(run.learning_rate)
    assert rates == pytest.approx([5e-4, 2.5e-4, 2.5e-4])


def test_ordinary_noise_and_disabled_rollback_leave_training_alone():
    run = IdentityRun()
    run.validate(GOOD, loss=0.1)
    # Channel 0 always predicts 0: about an eighth of chance level worse, i.e. noise.
    noisy = _dense_weights(10.0, -5.0)
    noisy[1][0] = -50.0
    row = run.validate(noisy, loss=0.2)
    ones_in_channel_0 = run.val.y[..., 0].sum(axis=1).mean()
    assert row["val_bit_errors"] == pytest.approx(ones_in_channel_0) and ones_in_channel_0 > 0
    assert not row.get("rolled_back")

    run = IdentityRun(rollback=False)
    run.validate(GOOD, loss=0.1)
    row = run.validate(WRONG, loss=0.9)
    assert not row.get("rolled_back") and row["val_bit_errors"] == 8 * run.val.x.shape[1]


def test_convergence_decays_once_and_stops_after_patience():
    run = IdentityRun(patience=3, lr_decay=0.5)
    run.validate(WRONG, loss=0.9)
    assert run.state.converged_at is None and run.learning_rate == pytest.approx(1e-3)
    for expected_streak in (1, 2):
        row = run.validate(GOOD, loss=0.1)
        assert row["converged"] and run.state.streak == expected_streak and not run.model.stop_training
    # First converged at the second validation: 2 x 10 batches of 4 sequences.
    assert run.state.converged_at == 80
    assert run.learning_rate == pytest.approx(5e-4)  # decayed at the first convergence only
    run.validate(GOOD, loss=0.1)
    assert run.model.stop_training and run.state.stopped == "converged"
    assert run.learning_rate == pytest.approx(5e-4)


def test_warm_up_rises_linearly_then_leaves_the_rate_to_the_decay():
    # 25 batches at 10 per validation: three warm-up epochs, at 1/3, 2/3 and 3/3 of 1e-3.
    run = IdentityRun(warmup=25, lr_decay=0.5)
    rates = [run.validate(WRONG, loss=0.9)["learning_rate"] for _ in range(3)]
    assert rates == pytest.approx([1e-3 / 3, 2e-3 / 3, 1e-3])
    run.validate(GOOD, loss=0.1)  # converged: the decay halves the rate ...
    assert run.validate(GOOD, loss=0.1)["learning_rate"] == pytest.approx(5e-4)  # ... and the warm-up keeps out


def test_nan_stops_without_a_row_and_keeps_the_best(capsys):
    run = IdentityRun()
    run.validate(GOOD, loss=0.1)
    run.validate(WRONG, loss=float("nan"))
    assert run.state.stopped == "nan" and run.model.stop_training and len(run.state.history) == 1
    assert "NaN" in capsys.readouterr().out
    run.state.restore_best(run.model)
    for w, expected in zip(run.model.get_weights(), GOOD):
        np.testing.assert_array_equal(w, expected)


def test_time_limit_stops_at_the_next_validation():
    run = IdentityRun(max_seconds=5.0)
    run.validate(WRONG, loss=0.9)
    assert not run.model.stop_training
    run.state.start -= 10.0  # as if ten seconds had gone by
    run.validate(WRONG, loss=0.9)
    assert run.model.stop_training and run.state.stopped == "time"
