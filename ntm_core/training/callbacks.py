"""The Keras callbacks of a training run that Keras does not have.

``fit`` validates on a fixed set after every ``eval_every`` batches (one
"epoch"); these callbacks then act on that validation, in this order, each
reading and filling in the same row of the history (:class:`RunState.row`):

1. :class:`RecordValidation`: the row (losses, the paper's scores on the
   training batches and on the validation set) and a clean stop on NaN;
2. :class:`RollbackOnCollapse`: back to the best weights, at half the
   learning rate, when validation falls far back;
3. :class:`TrackConvergence`: the best weights, and convergence (validation
   bit errors under a threshold at the full length);
4. :class:`DecayOnConvergence`: a smaller learning rate once converged;
5. :class:`StopWhenConverged`: early stop after ``patience`` converged
   validations in a row;
6. :class:`GrowCurriculum`: longer sequences as the training error falls;
7. :class:`WriteProgress`: the row into the history, printed and written to
   the run folder;
8. :class:`TimeLimit`: a stop after so much wall time.

Keras' own callbacks do the rest (``TerminateOnNaN``, ``CSVLogger``,
``ModelCheckpoint``, ``TensorBoard``, and ``LearningRateScheduler`` for the
warm-up, :func:`warm_up`; see :mod:`ntm_core.training.trainer`).
"""

import math
import time
from dataclasses import dataclass, field

import keras
import numpy as np

from ntm_core.training.checkpoints import write_progress


@dataclass
class RunState:
    """What the callbacks of one run share: the history and where training stands.

    ``row`` is the current validation's row (None after a NaN); ``full_length``
    whether it was at the final length (the curriculum done, or none): only
    then do the best weights, convergence and collapses count.
    """

    history: list = field(default_factory=list)
    converged_at: int = None  # sequences seen at the first convergence on the current task settings
    stopped: str = "steps"
    row: dict = None
    full_length: bool = True
    best_bits: float = math.inf
    best_errors: float = math.inf
    best_weights: list = None
    best_optimizer_state: list = None
    streak: int = 0
    newly_converged: bool = False
    length_changed: bool = False
    next_epoch: int = None
    start: float = field(default_factory=time.time)
    time_offset: float = 0.0  # wall time of the earlier sessions of a resumed run

    def restore_best(self, model):
        """Give ``model`` the best weights seen at the full length, if any."""
        if self.best_weights is not None:
            model.set_weights(self.best_weights)


def _learning_rate(model):
    return float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))


def warm_up(batches, eval_every, learning_rate):
    """Keras' ``LearningRateScheduler`` raising the learning rate linearly to ``learning_rate``.

    The rate changes once per epoch (``eval_every`` batches): epoch ``e`` of the
    ``W = ceil(batches / eval_every)`` warm-up epochs trains at ``(e + 1) / W``
    of it. Later epochs keep whatever rate the other callbacks set (the decay
    on convergence, a rollback), so the warm-up must come first.
    """
    epochs = math.ceil(batches / eval_every)

    def schedule(epoch, lr):
        return learning_rate * (epoch + 1) / epochs if epoch < epochs else lr

    return keras.callbacks.LearningRateScheduler(schedule)


def chance_bit_errors(val):
    """Bit errors per sequence of a coin flip on the validation set ``val`` (a Batch)."""
    target_bits = float(np.sum(val.mask)) / len(val.mask) * val.y.shape[-1]
    return 0.5 * target_bits


class RecordValidation(keras.callbacks.Callback):
    """Start the history row of a validation; stop cleanly when the loss is NaN or infinite.

    ``fit`` puts the validation set's scores in the epoch's logs
    (``val_bits_per_seq``, ``val_bit_errors``) before the callbacks run.
    """

    def __init__(self, state, eval_every, batch_size, dataset, curriculum=None):
        super().__init__()
        self.state, self.eval_every, self.batch_size = state, eval_every, batch_size
        self.dataset, self.curriculum = dataset, curriculum

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        state = self.state
        step = (epoch + 1) * self.eval_every
        loss = float(logs.get("loss", math.nan))
        row = {
            "step": step,
            "sequences": step * self.batch_size,
            "time": round(state.time_offset + time.time() - state.start, 2),
            "loss": loss,
            "bits_per_seq": float(logs.get("bits_per_seq", math.nan)),
            "bit_errors": float(logs.get("bit_errors", math.nan)),
            "val_bits_per_seq": float(logs.get("val_bits_per_seq", math.nan)),
            "val_bit_errors": float(logs.get("val_bit_errors", math.nan)),
            "max_length": self.dataset.current_length_range()[1],
            "learning_rate": _learning_rate(self.model),
        }
        state.row, state.newly_converged, state.next_epoch = None, False, epoch + 1
        if not (math.isfinite(loss) and math.isfinite(row["val_bits_per_seq"])):
            state.stopped = "nan"
            self.model.stop_training = True
            print(
                f"\nStopped: the loss became NaN/Inf at step {step}. The best weights so far are kept. "
                "Try a lower --learning-rate, the 'stable' preset, or another --seed."
            )
            return
        state.row = row
        state.full_length = self.curriculum is None or self.curriculum.done


class RollbackOnCollapse(keras.callbacks.Callback):
    """Go back to the best weights and optimizer state, with half the learning rate, after a collapse.

    NTM training on copy often gets well on its way and then, within a few
    dozen steps, loses it all: the read head stops moving and takes long to
    recover, or never does. Validation bit errors more than a quarter of
    chance level above the best are far beyond the noise seen while learning,
    so they count as a collapse. The learning rate is halved, but not below a
    quarter of ``start_learning_rate``: halving at every collapse of a seed
    that collapses often would leave a rate at which it crawls.
    """

    def __init__(self, state, chance, start_learning_rate, verbose=1):
        super().__init__()
        self.state, self.chance, self.start_learning_rate, self.verbose = state, chance, start_learning_rate, verbose

    def on_epoch_end(self, epoch, logs=None):
        state, row = self.state, self.state.row
        if row is None or not state.full_length or state.best_weights is None:
            return
        collapsed_to = row["val_bit_errors"]
        if collapsed_to <= state.best_errors + 0.25 * self.chance:
            return
        self.model.set_weights(state.best_weights)
        floor = 0.25 * (self.start_learning_rate or row["learning_rate"])
        lr = min(row["learning_rate"], max(0.5 * row["learning_rate"], floor))
        for variable, value in zip(self.model.optimizer.variables, state.best_optimizer_state):
            variable.assign(value)
        self.model.optimizer.learning_rate.assign(lr)
        row.update(rolled_back=True, collapsed_bit_errors=collapsed_to, val_bits_per_seq=state.best_bits,
                   val_bit_errors=state.best_errors, learning_rate=lr)
        if self.verbose:
            print(
                f"  validation fell back to {collapsed_to:.1f} bit errors (best {state.best_errors:.1f}): "
                f"restored the best weights, learning rate now {lr:.2g}",
                flush=True,
            )


class TrackConvergence(keras.callbacks.Callback):
    """Keep the best weights (lowest validation bits per sequence) and mark convergence.

    A validation at the full length converges when its bit errors per
    sequence are under ``threshold``; a rollback's validation is the best one
    again, not a new success.
    """

    def __init__(self, state, threshold):
        super().__init__()
        self.state, self.threshold = state, threshold

    def on_epoch_end(self, epoch, logs=None):
        state, row = self.state, self.state.row
        if row is None:
            return
        converged = state.full_length and not row.get("rolled_back") and row["val_bit_errors"] < self.threshold
        row["converged"] = bool(converged)
        if state.full_length and row["val_bits_per_seq"] < state.best_bits:
            state.best_bits, state.best_errors = row["val_bits_per_seq"], row["val_bit_errors"]
            state.best_weights = [np.array(w) for w in self.model.get_weights()]
            state.best_optimizer_state = [np.array(v) for v in self.model.optimizer.variables]
        if not converged:
            state.streak = 0
            return
        state.streak += 1
        if state.converged_at is None:
            state.converged_at = row["sequences"]
            state.newly_converged = True


class DecayOnConvergence(keras.callbacks.Callback):
    """Multiply the learning rate by ``factor`` at the first convergence.

    A smaller step once the task is solved stops the late collapses seen in
    earlier NTM implementations (perfect for hundreds of epochs, then gone).
    """

    def __init__(self, state, factor):
        super().__init__()
        self.state, self.factor = state, factor

    def on_epoch_end(self, epoch, logs=None):
        if self.state.row is not None and self.state.newly_converged:
            self.model.optimizer.learning_rate.assign(self.state.row["learning_rate"] * self.factor)


class StopWhenConverged(keras.callbacks.Callback):
    """Stop after ``patience`` converged validations in a row (0: never)."""

    def __init__(self, state, patience):
        super().__init__()
        self.state, self.patience = state, patience

    def on_epoch_end(self, epoch, logs=None):
        if self.state.row is not None and self.patience and self.state.streak >= self.patience:
            self.state.stopped = "converged"
            self.model.stop_training = True


class GrowCurriculum(keras.callbacks.Callback):
    """Lengthen the training sequences when the curriculum says so.

    Longer sequences are a new input shape. Keras' TensorFlow data adapter
    fixed the shape from the first batches of this ``fit``, so the next batch
    would fail: ``fit`` stops, and ``train`` starts it again at the new length.
    """

    def __init__(self, state, curriculum):
        super().__init__()
        self.state, self.curriculum = state, curriculum

    def on_epoch_end(self, epoch, logs=None):
        row = self.state.row
        if row is not None and self.curriculum.update(row["bit_errors"]):
            row["max_length"] = self.curriculum.max_length
            self.state.length_changed = True
            self.model.stop_training = True


class WriteProgress(keras.callbacks.Callback):
    """Append the row to the history, print it, and write ``history.json`` and ``state.json``."""

    def __init__(self, state, dataset, settings, out=None, verbose=1):
        super().__init__()
        self.state, self.dataset, self.settings, self.out, self.verbose = state, dataset, settings, out, verbose

    def on_epoch_end(self, epoch, logs=None):
        row = self.state.row
        if row is None:
            return
        self.state.history.append(row)
        if self.verbose:
            print(
                f"  step {row['step']:>6}  seqs {row['sequences']:>8}  loss {row['loss']:.4f}  "
                f"val bits/seq {row['val_bits_per_seq']:7.3f}  val bit errors {row['val_bit_errors']:6.3f}  "
                f"max len {row['max_length']}  {row['time']:.0f}s",
                flush=True,
            )
        if self.out is not None:
            write_progress(self.out, self.state.history, self.dataset.current_length_range()[1], self.settings,
                           self.state.converged_at)


class TimeLimit(keras.callbacks.Callback):
    """Stop at the first validation after ``max_seconds`` of wall time."""

    def __init__(self, state, max_seconds):
        super().__init__()
        self.state, self.max_seconds = state, max_seconds

    def on_epoch_end(self, epoch, logs=None):
        if self.state.row is not None and time.time() - self.state.start > self.max_seconds:
            self.state.stopped = "time"
            self.model.stop_training = True


class CheckpointUnlessNaN(keras.callbacks.ModelCheckpoint):
    """Keras' ``ModelCheckpoint`` of the latest weights, except after a NaN: resuming needs sound weights."""

    def __init__(self, state, filepath):
        super().__init__(str(filepath))
        self.state = state

    def on_epoch_end(self, epoch, logs=None):
        if self.state.row is not None:
            super().on_epoch_end(epoch, logs)
