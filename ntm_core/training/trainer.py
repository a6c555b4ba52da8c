"""``train``: Keras' ``fit`` with what NTM training needs, from one :class:`TrainConfig`.

What it adds to ``fit``: batches padded to a few fixed lengths so a compiled
step is reused, a fixed validation set, the callbacks of
:mod:`ntm_core.training.callbacks` (best weights, convergence, learning-rate
decay, rollback after a collapse, early stop, curriculum, time limit), Keras'
``TerminateOnNaN``, ``ModelCheckpoint``, ``CSVLogger`` and ``TensorBoard``,
and run folders that can be resumed.
"""

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np

from ntm_core.evaluation import check_model_fits_task
from ntm_core.metrics import BitErrorsPerSequence, BitsPerSequence
from ntm_core.models import build_lstm, build_ntm, logits_model, probability_model
from ntm_core.tasks import Curriculum, Task, TaskDataset, as_task
from ntm_core.training import callbacks as cb
from ntm_core.training.checkpoints import read_progress, task_settings
from ntm_core.training.config import TrainConfig, split_settings
from ntm_core.training.machine import machine_description
from ntm_core.training.optimizers import CLIP_ARGUMENTS, RECIPES, compile_model


@dataclass
class TrainResult:
    """What :func:`train` returns.

    model: the trained model with its best weights. history: a list of
    validation rows (sequences seen, loss, bits/seq, bit errors, ...).
    converged_at: sequences seen when validation bit errors first fell below
    the threshold at the full length (None if never). stopped: why training
    ended ("steps", "converged", "nan", "time"). config: the run's
    :class:`TrainConfig` as a dict, as ``train.json`` stores it. task: the
    :class:`Task` it trained on.
    """

    model: keras.Model
    history: list
    converged_at: int = None
    stopped: str = "steps"
    out: Path = None
    wall_time: float = 0.0
    config: dict = field(default_factory=dict)
    task: Task = None

    @property
    def best(self):
        return min(self.history, key=lambda r: r["val_bits_per_seq"]) if self.history else None


def validation_set(task, config):
    """The fixed validation batch: ``val_sequences`` at the full training length.

    Drawn from ``task``, or from ``task.test_task()`` with ``validate_on="test"``,
    with ``default_rng([seed, 999_983])`` (a stream no training batch uses).
    """
    rng = np.random.default_rng([config.seed, 999_983])
    val_task = task.test_task() if config.validate_on == "test" else task
    return val_task.sample(config.val_sequences, rng, min_length=config.max_length, max_length=config.max_length)


def _build_training_state(model, dataset):
    """Create the optimizer's and the metrics' variables before ``fit``.

    Without a distribution strategy, Keras on TensorFlow creates them while
    tracing the first training step, and a ``tf.function`` that creates
    variables is traced a second time. One eager forward pass on a single
    sequence builds them up front: one trace instead of two.
    """
    if model.optimizer is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    x, y, w = (a[:1] for a in dataset[0])
    y_pred = model(x, training=False)
    model.compute_loss(x, y, y_pred, w)
    model.compute_metrics(x, y, y_pred, w)
    model.reset_metrics()


def _compile_like(net, fit_net):
    """Compile the probability model ``net`` with ``fit_net``'s optimizer (the same variables).

    So ``result.model.evaluate`` scores probabilities and ``model.keras``
    keeps the optimizer's state, as for a model trained on probabilities.
    """
    net.compile(optimizer=fit_net.optimizer, loss=keras.losses.BinaryCrossentropy(),
                weighted_metrics=[BitsPerSequence(), BitErrorsPerSequence()], jit_compile=fit_net.jit_compile)


def _probability_twin(fit_net):
    net = probability_model(fit_net)
    _compile_like(net, fit_net)
    return net


def _curriculum(config, saved_max_length):
    if not config.curriculum or config.max_length <= config.min_length:
        return None
    lo, hi = config.min_length, config.max_length
    start = config.curriculum_start or max(lo, min(hi, max(2, hi // 4)))
    step = config.curriculum_step or max(1, (hi - lo + 1) // 4)
    curriculum = Curriculum(start, hi, step=step, threshold=max(0.5, 0.05 * start))
    if saved_max_length is not None:
        curriculum.max_length = saved_max_length
    return curriculum


def _callbacks(state, config, dataset, curriculum, val, settings, out, tensorboard, verbose):
    """Ours in the order they act on a validation (see :mod:`.callbacks`), then Keras' own."""
    callbacks = [cb.RecordValidation(state, config.eval_every, config.batch_size, dataset, curriculum)]
    if config.warmup:
        callbacks.insert(0, cb.warm_up(config.warmup, config.eval_every, config.learning_rate))
    if config.rollback:
        callbacks.append(cb.RollbackOnCollapse(state, cb.chance_bit_errors(val), config.learning_rate, verbose))
    callbacks += [cb.TrackConvergence(state, config.converge_bit_errors), cb.DecayOnConvergence(state, config.lr_decay),
                  cb.StopWhenConverged(state, config.patience)]
    if curriculum is not None:
        callbacks.append(cb.GrowCurriculum(state, curriculum))
    if out is not None:
        callbacks.append(cb.CheckpointUnlessNaN(state, out / "checkpoint.keras"))
    callbacks.append(cb.WriteProgress(state, dataset, settings, out, verbose))
    if config.max_seconds:
        callbacks.append(cb.TimeLimit(state, config.max_seconds))
    callbacks.append(keras.callbacks.TerminateOnNaN())
    if out is not None:
        callbacks.append(keras.callbacks.CSVLogger(str(out / "log.csv"), append=True))
        if tensorboard:
            try:
                import tensorflow  # noqa: F401  # backend-guarded: TensorBoard writes through tf.summary

                callbacks.append(keras.callbacks.TensorBoard(log_dir=str(out / "logs"), update_freq="epoch"))
            except ImportError:
                pass
    return callbacks


def train(task=None, config=None, *, out=None, resume=False, tensorboard=True, verbose=1, **settings):
    """Train an NTM (or the LSTM baseline) on one of the paper's tasks.

    Args:
        task: a task name ("copy", "repeat_copy", "associative_recall",
            "ngrams", "priority_sort") or a :class:`Task`; default the config's.
        config: a :class:`TrainConfig` (default: its defaults).
        **settings: fields of :class:`TrainConfig` to change (``steps=...``);
            any other keyword (``memory_size=...``) goes to :func:`build_ntm`.
        out: folder for ``model.keras`` (best weights), ``checkpoint.keras``
            (latest, with optimizer state), ``history.json``, ``state.json``,
            ``train.json``, ``log.csv`` and TensorBoard logs in ``logs/``.
            None keeps everything in memory.
        resume: continue from ``out`` (see :mod:`ntm_core.training.checkpoints`),
            with the checkpoint's optimizer state and learning rate; a
            ``learning_rate``, ``jit_compile`` or clipping given replaces the
            checkpoint's. A convergence reached on other task settings
            (lengths, ``task_kwargs``, ``validate_on``) does not count.
        tensorboard: write TensorBoard logs (needs TensorFlow installed).
        verbose: print a line per validation.

    The settings, in short (:class:`TrainConfig` has them all): ``optimizer``
    "adam" or the paper's "rmsprop" (``RECIPES``); ``batch_size`` 32
    (Collier & Beel's); ``warmup`` 0 (no batches of rising learning rate
    at the start); ``curriculum`` off, because on copy short sequences
    are solved by the LSTM controller alone, without the memory, and that
    habit then has to be unlearned; a validation every ``eval_every`` batches,
    so a collapse is caught early; convergence below ``converge_bit_errors``
    validation bit errors per sequence at the full length, then the learning
    rate times ``lr_decay`` and a stop after ``patience`` such validations;
    ``rollback`` to the best weights and optimizer state at half the learning
    rate (down to a quarter of the starting one) when validation falls back
    by more than a quarter of chance level; ``validate_on`` "task" (the
    training data) or "test" (``task.test_task()``, as :func:`evaluate` tests);
    ``from_logits``: the loss on the model's logits (:func:`logits_model`)
    rather than on its probabilities, clipped at 1e-7 by Keras.

    Returns:
        a :class:`TrainResult`.
    """
    fields_, model_kwargs = split_settings(settings)
    config = config or TrainConfig()
    if model_kwargs:
        fields_["model_kwargs"] = {**config.model_kwargs, **model_kwargs}
    asked = config.replace(**fields_)
    task = as_task(asked.task if task is None else task, asked.task_kwargs)  # resolved here, once
    lo, hi = task._length_range(asked.min_length, asked.max_length)
    config = asked.replace(task=task.name, min_length=lo, max_length=hi,
                           learning_rate=asked.learning_rate or RECIPES[asked.optimizer]["learning_rate"])
    out = Path(out) if out is not None else None
    settings = task_settings(config.to_dict())
    state = cb.RunState()
    start_epoch, saved_max_length = 0, None
    clipping = {name: getattr(asked, name) for name in CLIP_ARGUMENTS if getattr(asked, name) is not None}
    if resume:
        if out is None:
            raise FileNotFoundError("cannot resume: no run folder (`out`) was given.")
        fit_net, state.history, start_epoch, saved_max_length, state.converged_at, saved, same = read_progress(
            out, settings)
        # The checkpoint trains on what it was compiled for: changing the loss would drop its optimizer state.
        net = _probability_twin(fit_net) if getattr(fit_net.loss, "from_logits", False) else fit_net
        check_model_fits_task(net, task)
        if not same and verbose:
            # Other settings (say more repeats): the convergence on the old ones does
            # not count, and the new one decays the learning rate again.
            print(f"Resuming on new task settings {settings} (were {saved}): convergence is counted afresh.")
        if asked.jit_compile is not None:
            fit_net.jit_compile = asked.jit_compile
        if clipping:
            for name in CLIP_ARGUMENTS:  # read when the training step is traced, which is after this
                setattr(fit_net.optimizer, name, clipping.get(name))
        if asked.learning_rate is not None:
            # A resumed optimizer keeps its own rate unless one is asked for
            # (a fine-tuning stage usually wants a smaller one).
            fit_net.optimizer.learning_rate.assign(asked.learning_rate)
    else:
        keras.utils.set_random_seed(config.seed)
        if config.model == "ntm":
            net = build_ntm(task, controller=config.controller, preset=config.preset, **config.model_kwargs)
        else:
            net = build_lstm(task, units=config.lstm_units, layers=config.lstm_layers)
        # fit trains the logits model; net, which shares its weights, predicts probabilities.
        fit_net = (logits_model(net) if config.from_logits else None) or net
        compile_model(fit_net, config.optimizer, asked.learning_rate, asked.jit_compile,
                      from_logits=fit_net is not net, **clipping)
        if fit_net is not net:
            _compile_like(net, fit_net)
    # What the optimizer clips by, whether XLA compiles and the loss: a record that stays true.
    config = config.replace(jit_compile=bool(fit_net.jit_compile), from_logits=fit_net is not net,
                            **{name: getattr(fit_net.optimizer, name) for name in CLIP_ARGUMENTS})
    state.time_offset = state.history[-1]["time"] if state.history else 0.0

    curriculum = _curriculum(config, saved_max_length)
    dataset = TaskDataset(task, config.batch_size, config.eval_every, config.seed, min_length=lo, max_length=hi,
                          curriculum=curriculum)
    dataset.epoch = start_epoch
    if keras.backend.backend() == "tensorflow":
        _build_training_state(fit_net, dataset)
    val = validation_set(task, config)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        if not resume:  # CSVLogger appends (fit starts again at each curriculum step): a new run starts a new log
            (out / "log.csv").unlink(missing_ok=True)
    callbacks = _callbacks(state, config, dataset, curriculum, val, settings, out, tensorboard, verbose)
    epochs = math.ceil(config.steps / config.eval_every)
    if verbose:
        print(
            f"Training {config.model} on {task.name} ({net.count_params():,} parameters, backend "
            f"{keras.backend.backend()}, jit_compile={fit_net.jit_compile}) for up to {config.steps} steps "
            f"of {config.batch_size} sequences."
        )
    state.start = t0 = time.time()
    epoch = start_epoch
    while epoch < epochs:
        state.length_changed = False
        fit_net.fit(dataset, epochs=epochs, initial_epoch=epoch, callbacks=callbacks, verbose=0,
                validation_data=(val.x, val.y, val.mask), validation_batch_size=len(val.x))
        if not state.length_changed or state.stopped != "steps" or state.next_epoch is None:
            break
        epoch = state.next_epoch  # the curriculum lengthened the sequences: go on at the new length
    wall = time.time() - t0
    state.restore_best(fit_net)
    result = TrainResult(model=net, history=state.history, converged_at=state.converged_at, stopped=state.stopped,
                         out=out, wall_time=wall, config=config.to_dict(), task=task)
    if out is not None:
        net.save(out / "model.keras")
        summary = {
            "config": result.config,
            "converged_at_sequences": state.converged_at,
            "stopped": state.stopped,
            "wall_time_s": round(state.time_offset + wall, 1),
            "steps_run": state.history[-1]["step"] if state.history else 0,
            "sequences_seen": state.history[-1]["sequences"] if state.history else 0,
            "machine": machine_description(),
        }
        (out / "train.json").write_text(json.dumps(summary, indent=1))
    if verbose:
        print(f"Done ({state.stopped}) in {wall:.0f}s; converged at {state.converged_at} sequences.")
    return result
