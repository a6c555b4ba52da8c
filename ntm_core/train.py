"""Training and evaluation of the paper's experiments.

:func:`train` wraps ``model.fit`` with what NTM training needs in practice:
a curriculum over sequence lengths, padding to a few fixed lengths so a
compiled step is reused, a fixed validation set, keeping the best weights,
lowering the learning rate once converged, early stopping, clean stops on
NaN, checkpoints that can be resumed and a ``history.json`` of the paper's
metrics against sequences seen. :func:`evaluate` gives the paper's bits per
sequence and bit errors at each test length.
"""

import json
import math
import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np

from ntm_core.metrics import BitErrorsPerSequence, BitsPerSequence, bit_errors_per_sequence, bits_per_sequence
from ntm_core.models import as_task, build_lstm, build_ntm
from ntm_core.tasks import Curriculum, TaskDataset, _is_real_number

OPTIMIZERS = ("adam", "rmsprop")
MODELS = ("ntm", "lstm")
VALIDATE_ON = ("task", "test")
CLIP_ARGUMENTS = ("clipnorm", "global_clipnorm", "clipvalue")  # a Keras optimizer takes one
# Training recipes. "paper": RMSProp with momentum 0.9 and every gradient
# component clipped to (-10, 10) (Graves et al. 2014, section 4). "adam": Adam
# at 1e-3 (Collier & Beel 2018) with the gradient's global norm clipped to 1.
# Collier & Beel clip the global norm to 50, of a loss summed over sequences;
# ours is a mean over every target bit, whose gradient norm sits at 0.01-0.2
# while copy trains and spikes to about 3 where runs used to collapse (the
# sudden falls to chance NTMs are known for). A clip of 1 leaves the usual
# steps alone and cuts the spikes: copy seeds 1-10 went from 9 converged in 6
# minutes, 6 within 3, with 30 collapses, to 10 converged, 9 within 3 minutes,
# with 5 (sweeps in data/results/). Before it, Adam's recipe clipped each
# variable's norm to 50, which never bit; ``clipnorm=50`` gives that back.
RECIPES = {
    "rmsprop": {"learning_rate": 1e-4, "clipvalue": 10.0},
    "adam": {"learning_rate": 1e-3, "global_clipnorm": 1.0},
}


def _clipping(clipnorm=None, global_clipnorm=None):
    """The gradient clipping asked for, as Keras optimizer arguments ({}: the recipe's)."""
    asked = {k: v for k, v in (("clipnorm", clipnorm), ("global_clipnorm", global_clipnorm)) if v is not None}
    if len(asked) > 1:
        raise ValueError(f"Give at most one of `clipnorm` and `global_clipnorm`, got both ({clipnorm}, {global_clipnorm}).")
    for name, value in asked.items():
        if not (_is_real_number(value) and value > 0):
            raise ValueError(f"`{name}` must be a positive number or None, got {value!r}.")
    return {name: float(value) for name, value in asked.items()}


def make_optimizer(name="adam", learning_rate=None, clipnorm=None, global_clipnorm=None):
    """The optimizer of a recipe in ``RECIPES``.

    ``learning_rate`` overrides the recipe's rate. ``clipnorm`` (each
    variable's gradient scaled down to at most this norm) or
    ``global_clipnorm`` (the gradient of all variables together), when given,
    replaces the recipe's clipping; the names are Keras' own.
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"`optimizer` must be one of {list(OPTIMIZERS)}, got {name!r}.")
    recipe = dict(RECIPES[name])
    if learning_rate is not None:
        if not (_is_real_number(learning_rate) and learning_rate > 0):
            raise ValueError(f"`learning_rate` must be a positive number, got {learning_rate!r}.")
        recipe["learning_rate"] = float(learning_rate)
    clipping = _clipping(clipnorm, global_clipnorm)
    if clipping:
        recipe = {k: v for k, v in recipe.items() if k not in CLIP_ARGUMENTS}
        recipe.update(clipping)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(momentum=0.9, **recipe)
    return keras.optimizers.Adam(**recipe)


def default_jit_compile():
    """XLA pays off on TensorFlow and JAX; PyTorch runs eagerly.

    On TensorFlow, ``jit_compile="auto"`` leaves XLA off on a CPU-only
    machine, so ask for it explicitly: it makes the NTM step about 2x faster.
    """
    return keras.backend.backend() in ("tensorflow", "jax")


def compile_model(model, optimizer="adam", learning_rate=None, jit_compile=None, clipnorm=None, global_clipnorm=None):
    """Compile with masked binary cross-entropy and the paper's two metrics.

    The (batch, time) mask is passed as ``sample_weight``; only
    ``weighted_metrics`` receive it, so the metrics count target steps only.
    """
    model.compile(
        optimizer=make_optimizer(optimizer, learning_rate, clipnorm, global_clipnorm),
        loss=keras.losses.BinaryCrossentropy(),
        weighted_metrics=[BitsPerSequence(), BitErrorsPerSequence()],
        jit_compile=default_jit_compile() if jit_compile is None else bool(jit_compile),
    )
    return model


def _build_training_state(model, dataset):
    """Create the optimizer's and the metrics' variables before ``fit``.

    Without a distribution strategy, Keras on TensorFlow creates them while
    tracing the first training step, and a ``tf.function`` that creates
    variables is traced a second time. One eager forward pass on a single
    sequence builds them up front: one trace instead of two (measured: about
    1 s less before the first step of the copy NTM; XLA compiles once either way).
    """
    if model.optimizer is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    x, y, w = (a[:1] for a in dataset[0])
    y_pred = model(x, training=False)
    model.compute_loss(x, y, y_pred, w)
    model.compute_metrics(x, y, y_pred, w)
    model.reset_metrics()


def accelerator():
    """Where the current backend computes: ``"cpu"`` or e.g. ``"gpu: NVIDIA H100 80GB HBM3"``.

    Each backend is asked in its own way, so the one import here is guarded
    by the backend in use (a JAX-only machine needs no TensorFlow).
    """
    backend = keras.backend.backend()
    if backend == "jax":
        import jax  # backend-guarded: only when JAX is the backend

        device = jax.devices()[0]
        return "cpu" if device.platform == "cpu" else f"{device.platform}: {device.device_kind}"
    if backend == "tensorflow":
        import tensorflow as tf  # backend-guarded

        gpus = tf.config.list_physical_devices("GPU")
        if not gpus:
            return "cpu"
        return "gpu: " + tf.config.experimental.get_device_details(gpus[0]).get("device_name", gpus[0].name)
    if backend == "torch":
        import torch  # backend-guarded

        return f"gpu: {torch.cuda.get_device_name(0)}" if torch.cuda.is_available() else "cpu"
    return "cpu"


def machine_description():
    """A short description of where this runs, for the json next to a checkpoint."""
    return {
        "backend": keras.backend.backend(),
        "device": accelerator(),
        "keras": keras.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
    }


# --------------------------------------------------------------------------- evaluation
def _eval_settings(task, lengths):
    """(label, sample kwargs) pairs for the task's test sweep."""
    if lengths is None:
        settings = getattr(task, "eval_settings", None)
        if settings:
            return [(_label(s), dict(s)) for s in settings]
        lengths = task.eval_lengths
    out = []
    for length in lengths:
        if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length <= 0:
            raise ValueError(f"`lengths` must be positive integers, got {length!r}.")
        out.append((int(length), {"length": int(length)}))
    return out


def _label(setting):
    return "x".join(f"{k}={v}" for k, v in setting.items()) if len(setting) > 1 else setting["length"]


def evaluate(model, task="copy", lengths=None, num_sequences=200, batch_size=50, seed=12345, task_kwargs=None):
    """The paper's metrics at each test length, on fresh sequences.

    Args:
        model: a Keras model mapping (B, T, input) to (B, T, output) probabilities.
        task: a task name or :class:`Task`.
        lengths: the lengths to test (default: ``task.eval_lengths``, or the
            task's ``eval_settings`` such as repeat copy's (length, repeats)).
        num_sequences: sequences per length; seed: their seed.

    Returns:
        a list of rows ``{"length", "bits_per_seq", "bit_errors", "perfect"}``
        (``perfect`` = fraction of sequences copied without a single wrong bit).
    """
    task = as_task(task, task_kwargs).test_task()
    check_model_fits_task(model, task)
    rows = []
    for label, setting in _eval_settings(task, lengths):
        setting = dict(setting)
        length = setting.pop("length")
        if "repeats" in setting:  # repeat copy's test settings fix the repeat count too
            repeats = setting.pop("repeats")
            setting.update(min_repeats=repeats, max_repeats=repeats)
        rng = np.random.default_rng([seed, length])
        bits, errors = [], []
        remaining = num_sequences
        while remaining > 0:
            n = min(batch_size, remaining)
            batch = task.sample(n, rng, min_length=length, max_length=length, **setting)
            pred = np.asarray(model.predict_on_batch(batch.x))
            bits.append(bits_per_sequence(batch.y, pred, batch.mask, reduce=False))
            errors.append(bit_errors_per_sequence(batch.y, pred, batch.mask, reduce=False))
            remaining -= n
        bits, errors = np.concatenate(bits), np.concatenate(errors)
        rows.append(
            {
                "length": label,
                "bits_per_seq": float(bits.mean()),
                "bit_errors": float(errors.mean()),
                "perfect": float((errors == 0).mean()),
            }
        )
    return rows


def format_table(rows):
    """Rows of :func:`evaluate` as a fixed-width text table."""
    width = max([16] + [len(str(r["length"])) for r in rows])
    lines = [f"{'length':>{width}} {'bits/seq':>10} {'bit errors':>11} {'perfect':>8}"]
    for r in rows:
        lines.append(f"{str(r['length']):>{width}} {r['bits_per_seq']:>10.3f} {r['bit_errors']:>11.3f} {r['perfect']:>8.1%}")
    return "\n".join(lines)


def check_model_fits_task(model, task):
    """Raise ValueError when the model's input/output widths do not fit the task."""
    in_width = model.inputs[0].shape[-1] if getattr(model, "inputs", None) else None
    out_width = model.outputs[0].shape[-1] if getattr(model, "outputs", None) else None
    if in_width is not None and in_width != task.input_size:
        raise ValueError(
            f"The model expects inputs of width {in_width} but task {task.name!r} gives {task.input_size}: "
            "the checkpoint does not match this task."
        )
    if out_width is not None and out_width != task.output_size:
        raise ValueError(
            f"The model gives outputs of width {out_width} but task {task.name!r} needs {task.output_size}: "
            "the checkpoint does not match this task."
        )


def load_checkpoint(path):
    """Load a ``.keras`` checkpoint made by :func:`train` (safe mode, no pickles).

    Returns ``(model, info)`` where ``info`` is the json written next to it
    (``{}`` if there is none).
    """
    import ntm_core  # noqa: F401  -- registers the layers and metrics

    path = Path(path)
    if path.is_dir():
        path = path / "model.keras"
    if not path.exists():
        raise FileNotFoundError(f"checkpoint {str(path)!r} does not exist.")
    if path.suffix != ".keras":
        raise ValueError(f"checkpoint must be a .keras file, got {str(path)!r}.")
    model = keras.saving.load_model(path, compile=False)
    info = {}
    for candidate in (path.with_suffix(".json"), path.parent / "train.json"):
        if candidate.exists():
            info = json.loads(candidate.read_text())
            break
    return model, info


def save_for_inference(model, path):
    """Save weights and architecture only, without the optimizer's state.

    A compiled model would also store the optimizer's slots (twice the
    weights for Adam); shipped checkpoints only need to predict.
    """
    fresh = model.__class__.from_config(model.get_config())
    fresh.set_weights(model.get_weights())
    fresh.save(path)
    return path


# --------------------------------------------------------------------------- training
@dataclass
class TrainResult:
    """What :func:`train` returns.

    model: the trained model with its best weights. history: a list of
    evaluation rows (sequences seen, loss, bits/seq, bit errors, ...).
    converged_at: sequences seen when validation bit errors first fell below
    the threshold at the full length (None if never). stopped: why training
    ended ("steps", "converged", "nan", "time").
    """

    model: keras.Model
    history: list
    converged_at: int = None
    stopped: str = "steps"
    out: Path = None
    wall_time: float = 0.0
    config: dict = field(default_factory=dict)

    @property
    def best(self):
        return min(self.history, key=lambda r: r["val_bits_per_seq"]) if self.history else None


class _Monitor(keras.callbacks.Callback):
    """Validation, curriculum, best weights, convergence, NaN and time stops."""

    def __init__(self, run):
        super().__init__()
        self.run = run

    def on_epoch_end(self, epoch, logs=None):
        self.run._after_epoch(epoch, logs or {})


def _task_settings(config):
    """What a run trains and validates on, as state.json stores it (json types: lists, not tuples).

    ``validate_on`` is part of it: a convergence judged on one validation set
    says nothing about another (copy with blank vectors against the paper's data).
    """
    keys = ("task", "min_length", "max_length", "task_kwargs", "validate_on")
    return json.loads(json.dumps({k: config[k] for k in keys}))


class _Run:
    def __init__(self, model, task, dataset, curriculum, config, out, history, verbose, converged_at=None):
        self.model, self.task, self.dataset, self.curriculum = model, task, dataset, curriculum
        self.config, self.out, self.history, self.verbose = config, out, history, verbose
        self.best_weights, self.best_bits, self.best_errors = None, math.inf, math.inf
        self.best_optimizer_state = None
        self.converged_at = converged_at  # on the current task settings
        self.streak = 0
        self.stopped = "steps"
        self.length_changed = False
        self.next_epoch = None
        self.start = time.time()
        self.time_offset = history[-1]["time"] if history else 0.0
        final = config["max_length"]
        rng = np.random.default_rng([config["seed"], 999_983])
        val_task = task.test_task() if config["validate_on"] == "test" else task
        self.val = val_task.sample(config["val_sequences"], rng, min_length=final, max_length=final)

    def _after_epoch(self, epoch, logs):
        cfg = self.config
        step = (epoch + 1) * cfg["eval_every"]
        pred = np.asarray(self.model.predict_on_batch(self.val.x))
        val_bits = float(bits_per_sequence(self.val.y, pred, self.val.mask))
        val_err = float(bit_errors_per_sequence(self.val.y, pred, self.val.mask))
        lr = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        loss = float(logs.get("loss", math.nan))
        row = {
            "step": step,
            "sequences": step * cfg["batch_size"],
            "time": round(self.time_offset + time.time() - self.start, 2),
            "loss": loss,
            "bits_per_seq": float(logs.get("bits_per_seq", math.nan)),
            "bit_errors": float(logs.get("bit_errors", math.nan)),
            "val_bits_per_seq": val_bits,
            "val_bit_errors": val_err,
            "max_length": self.dataset.current_length_range()[1],
            "learning_rate": lr,
        }
        if not (math.isfinite(loss) and math.isfinite(val_bits)):
            self.stopped = "nan"
            self.model.stop_training = True
            print(
                f"\nStopped: the loss became NaN/Inf at step {step}. The best weights so far are kept. "
                "Try a lower --learning-rate, the 'stable' preset, or another --seed."
            )
            return
        full_length = self.curriculum is None or self.curriculum.done
        rolled_back = full_length and self._collapsed(val_err)
        if rolled_back:
            self._roll_back(row)
            val_bits, val_err = self.best_bits, self.best_errors
        # A rollback's validation is the best one again, not a new success.
        converged = full_length and not rolled_back and val_err < cfg["converge_bit_errors"]
        row["converged"] = bool(converged)
        if full_length and val_bits < self.best_bits:
            self.best_bits, self.best_errors = val_bits, val_err
            self.best_weights = [np.array(w) for w in self.model.get_weights()]
            self.best_optimizer_state = [np.array(v) for v in self.model.optimizer.variables]
        if converged:
            self.streak += 1
            if self.converged_at is None:
                self.converged_at = row["sequences"]
                # A smaller step once the task is solved stops the late collapses seen in
                # earlier NTM implementations (perfect for hundreds of epochs, then gone).
                self.model.optimizer.learning_rate.assign(lr * cfg["lr_decay"])
        else:
            self.streak = 0
        if self.curriculum is not None and self.curriculum.update(row["bit_errors"]):
            row["max_length"] = self.curriculum.max_length
            # Longer sequences are a new input shape. Keras' TensorFlow data
            # adapter fixed the shape from the first batches of this fit, so
            # the next batch would fail: train() starts fit again instead.
            self.length_changed = True
            self.model.stop_training = True
        self.next_epoch = epoch + 1
        self.history.append(row)
        if self.verbose:
            print(
                f"  step {step:>6}  seqs {row['sequences']:>8}  loss {loss:.4f}  "
                f"val bits/seq {val_bits:7.3f}  val bit errors {val_err:6.3f}  max len {row['max_length']}"
                f"  {row['time']:.0f}s",
                flush=True,
            )
        if self.out is not None:
            self._save_progress()
        if cfg["patience"] and self.streak >= cfg["patience"]:
            self.stopped = "converged"
            self.model.stop_training = True
        if cfg["max_seconds"] and time.time() - self.start > cfg["max_seconds"]:
            self.stopped = "time"
            self.model.stop_training = True

    def _collapsed(self, val_err):
        """Did validation fall far back from the best weights seen so far?

        NTM training on copy often gets well on its way (15 bit errors per
        sequence at length 20) and then, within a few dozen Adam steps, loses
        it all (77, chance being 80): measured on TensorFlow at batch 32, the
        read head stopped moving (its shift went from 0.54/0.43 stay/move to
        0.98 stay) and took minutes to recover, or never did. A jump of more
        than a quarter of chance level is far beyond the validation noise
        seen while learning (up to 15 of 80 bits).
        """
        if self.best_weights is None or not self.config["rollback"]:
            return False
        target_bits = float(np.sum(self.val.mask)) / len(self.val.mask) * self.val.y.shape[-1]
        chance = 0.5 * target_bits  # bit errors per sequence of a coin flip
        return val_err > self.best_errors + 0.25 * chance

    def _roll_back(self, row):
        """Go back to the best weights and optimizer state, with half the learning rate.

        The learning rate is not halved below a quarter of the starting one:
        in a seed that collapsed five times, halving every time left it at
        3e-5, where it crawled (6 bit errors after 130,000 sequences).
        """
        collapsed_to = row["val_bit_errors"]
        self.model.set_weights(self.best_weights)
        floor = 0.25 * (self.config.get("learning_rate") or row["learning_rate"])
        lr = min(row["learning_rate"], max(0.5 * row["learning_rate"], floor))
        for variable, value in zip(self.model.optimizer.variables, self.best_optimizer_state):
            variable.assign(value)
        self.model.optimizer.learning_rate.assign(lr)
        row.update(
            rolled_back=True,
            collapsed_bit_errors=collapsed_to,
            val_bits_per_seq=self.best_bits,
            val_bit_errors=self.best_errors,
            learning_rate=lr,
        )
        if self.verbose:
            print(
                f"  validation fell back to {collapsed_to:.1f} bit errors (best {self.best_errors:.1f}): "
                f"restored the best weights, learning rate now {lr:.2g}",
                flush=True,
            )

    def _save_progress(self):
        self.model.save(self.out / "checkpoint.keras")
        (self.out / "history.json").write_text(json.dumps(self.history, indent=1))
        state = {
            "curriculum_max_length": self.dataset.current_length_range()[1],
            "epoch": len(self.history),
            "task_settings": _task_settings(self.config),
            # On these settings; the history alone cannot say which rows were on them.
            "converged_at": self.converged_at,
        }
        (self.out / "state.json").write_text(json.dumps(state))


def train(
    task="copy",
    model="ntm",
    controller="lstm",
    preset="stable",
    steps=10_000,
    batch_size=32,
    seed=0,
    optimizer="adam",
    learning_rate=None,
    clipnorm=None,
    global_clipnorm=None,
    min_length=None,
    max_length=None,
    curriculum=False,
    curriculum_start=None,
    curriculum_step=None,
    eval_every=25,
    val_sequences=128,
    converge_bit_errors=0.1,
    patience=5,
    lr_decay=0.3,
    rollback=True,
    validate_on="task",
    max_seconds=None,
    out=None,
    resume=False,
    jit_compile=None,
    lstm_units=100,
    lstm_layers=1,
    tensorboard=True,
    verbose=1,
    task_kwargs=None,
    **model_kwargs,
):
    """Train an NTM (or the LSTM baseline) on one of the paper's tasks.

    Args:
        task: "copy", "repeat_copy", "associative_recall", "ngrams" or "priority_sort".
        model: "ntm" or "lstm".
        controller, preset, **model_kwargs: passed to :func:`build_ntm`.
        steps: the most training batches to run; seed: seeds weights and data.
        optimizer: "adam" (default) or "rmsprop" (the paper's), see ``RECIPES``.
        clipnorm, global_clipnorm: clip each variable's gradient norm, or the
            whole gradient's, to this instead of the recipe's clipping (see
            :func:`make_optimizer`). On resume, given, one replaces the
            checkpoint's clipping. ``train.json``'s config records the
            clipping the optimizer used (``clipnorm``, ``global_clipnorm``, ``clipvalue``).
        min_length, max_length: the training length range (default the task's).
        batch_size: 32 by default (Collier & Beel's): on a 2-core CPU a step
            of 32 copy sequences costs about 2.5x a step of 8. With the
            per-variable clip of before and rollbacks after collapses, 9 of 10
            seeds converged in 1.4-4.3 minutes of wall time, against 3.5-13
            minutes for 7 of 10 at batch 8 without rollbacks; with today's
            global clip, 10 of 10 in 1.4-3.7 (seed sweeps in ``data/results/``).
        curriculum: grow the maximum length from ``curriculum_start`` in steps
            of ``curriculum_step`` as the training bit errors fall. Off by
            default: on copy, short sequences are solved by the LSTM controller
            alone, without the memory, and that habit then has to be unlearned.
        eval_every: batches between validations (one "epoch" of ``fit``; 25
            batches of 32 = 800 sequences, so a collapse is caught early).
        converge_bit_errors: validation bit errors per sequence, at the full
            length, under which the model counts as converged; training stops
            after ``patience`` such validations in a row (0 never stops early).
        lr_decay: multiply the learning rate by this at the first convergence.
        rollback: when validation at the full length falls far back from the
            best seen (by more than a quarter of chance level), restore the
            best weights and optimizer state and halve the learning rate (down
            to a quarter of the starting one).
        validate_on: what the validation set (and so the best weights and
            convergence) is drawn from: ``"task"``, the data it trains on, or
            ``"test"``, the task as :func:`evaluate` tests it (``task.test_task()``,
            the paper's data when a training-only setting such as copy's
            ``blank_share`` alters the training data).
        max_seconds: stop after this much wall time.
        out: folder for ``model.keras`` (best weights), ``checkpoint.keras``
            (latest, with optimizer state), ``history.json``, ``train.json`` and
            TensorBoard logs in ``logs/``. None keeps everything in memory.
        resume: continue from ``out/checkpoint.keras``, with its optimizer state
            and learning rate (``learning_rate``, when given, replaces the rate).

    Returns:
        a :class:`TrainResult`.
    """
    if model not in MODELS:
        raise ValueError(f"`model` must be one of {list(MODELS)}, got {model!r}.")
    for name, value in (("steps", steps), ("batch_size", batch_size), ("eval_every", eval_every)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
            raise ValueError(f"`{name}` must be a positive integer, got {value!r}.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"`seed` must be a non-negative integer, got {seed!r}.")
    if learning_rate is not None and not (_is_real_number(learning_rate) and learning_rate > 0):
        raise ValueError(f"`learning_rate` must be a positive number, got {learning_rate!r}.")
    clipping = _clipping(clipnorm, global_clipnorm)
    if not (_is_real_number(lr_decay) and 0 < lr_decay <= 1):
        raise ValueError(f"`lr_decay` must be a number in (0, 1], got {lr_decay!r}.")
    if validate_on not in VALIDATE_ON:
        raise ValueError(f"`validate_on` must be one of {list(VALIDATE_ON)}, got {validate_on!r}.")
    task_obj = as_task(task, task_kwargs)
    lo, hi = task_obj._length_range(min_length, max_length)
    out = Path(out) if out is not None else None
    config = {
        "task": task_obj.name,
        "model": model,
        "controller": controller,
        "preset": preset,
        "steps": int(steps),
        "batch_size": int(batch_size),
        "seed": int(seed),
        "optimizer": optimizer,
        "learning_rate": learning_rate if learning_rate is not None else RECIPES[optimizer]["learning_rate"]
        if optimizer in RECIPES
        else None,
        "min_length": lo,
        "max_length": hi,
        "curriculum": bool(curriculum),
        "eval_every": int(eval_every),
        "val_sequences": int(val_sequences),
        "converge_bit_errors": float(converge_bit_errors),
        "patience": int(patience),
        "lr_decay": float(lr_decay),
        "rollback": bool(rollback),
        "validate_on": validate_on,
        "max_seconds": max_seconds,
        "lstm_units": lstm_units,
        "lstm_layers": lstm_layers,
        "task_kwargs": dict(task_kwargs or {}),
        "model_kwargs": model_kwargs,
    }

    history, start_epoch, cur_max, converged_at = [], 0, None, None
    if resume:
        if out is None or not (out / "checkpoint.keras").exists():
            raise FileNotFoundError(f"cannot resume: no checkpoint.keras in {str(out)!r}.")
        import ntm_core  # noqa: F401

        net = keras.saving.load_model(out / "checkpoint.keras")
        check_model_fits_task(net, task_obj)
        history = json.loads((out / "history.json").read_text())
        state = json.loads((out / "state.json").read_text())
        start_epoch, cur_max = state["epoch"], state["curriculum_max_length"]
        settings = _task_settings(config)
        # A state.json from before validate_on existed validated on the task.
        saved = dict({"validate_on": "task"}, **state.get("task_settings", settings))
        if saved == settings:
            # (A state.json from before it recorded convergence: the history's first.)
            converged_at = state.get("converged_at", next((r["sequences"] for r in history if r.get("converged")), None))
        elif verbose:
            # Other settings (say more repeats): a convergence on the old ones does
            # not count, and the new one decays the learning rate again.
            print(f"Resuming on new task settings {settings} (were {saved}): "
                  "convergence is counted afresh.")
    else:
        keras.utils.set_random_seed(int(seed))
        if model == "ntm":
            net = build_ntm(task_obj, controller=controller, preset=preset, **model_kwargs)
        else:
            net = build_lstm(task_obj, units=lstm_units, layers=lstm_layers)
        compile_model(net, optimizer, learning_rate, jit_compile, **clipping)
    if resume and jit_compile is not None:
        net.jit_compile = bool(jit_compile)
    if resume and clipping:
        # Read when the training step is traced, which is after this.
        for name in CLIP_ARGUMENTS:
            setattr(net.optimizer, name, clipping.get(name))
    # What the optimizer clips by, whatever the recipe of the day: a record that stays true.
    config.update({name: getattr(net.optimizer, name) for name in CLIP_ARGUMENTS})
    if resume and learning_rate is not None:
        # A resumed optimizer keeps its own rate unless one is asked for
        # (a fine-tuning stage usually wants a smaller one).
        net.optimizer.learning_rate.assign(float(learning_rate))

    cur = None
    if curriculum and hi > lo:
        start = curriculum_start or max(lo, min(hi, max(2, hi // 4)))
        step_size = curriculum_step or max(1, (hi - lo + 1) // 4)
        cur = Curriculum(start, hi, step=step_size, threshold=max(0.5, 0.05 * start))
        if cur_max is not None:
            cur.max_length = cur_max
    dataset = TaskDataset(
        task_obj,
        batch_size,
        eval_every,
        seed,
        min_length=lo,
        max_length=hi,
        curriculum=cur,
    )
    dataset.epoch = start_epoch

    if keras.backend.backend() == "tensorflow":
        _build_training_state(net, dataset)

    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    run = _Run(net, task_obj, dataset, cur, config, out, history, verbose, converged_at)
    callbacks = [_Monitor(run)]
    if out is not None and tensorboard:
        try:
            import tensorflow  # noqa: F401  # backend-guarded: TensorBoard writes through tf.summary

            callbacks.append(keras.callbacks.TensorBoard(log_dir=str(out / "logs"), update_freq="epoch"))
        except ImportError:
            pass
    epochs = math.ceil(steps / eval_every)
    if verbose:
        params = net.count_params()
        print(
            f"Training {model} on {task_obj.name} ({params:,} parameters, backend {keras.backend.backend()}, "
            f"jit_compile={net.jit_compile}) for up to {steps} steps of {batch_size} sequences."
        )
    t0 = time.time()
    epoch = start_epoch
    while epoch < epochs:
        run.length_changed = False
        net.fit(dataset, epochs=epochs, initial_epoch=epoch, callbacks=callbacks, verbose=0)
        if not run.length_changed or run.stopped != "steps" or run.next_epoch is None:
            break
        epoch = run.next_epoch  # the curriculum lengthened the sequences: go on at the new length
    wall = time.time() - t0
    if run.best_weights is not None:
        net.set_weights(run.best_weights)
    result = TrainResult(
        model=net,
        history=history,
        converged_at=run.converged_at,
        stopped=run.stopped,
        out=out,
        wall_time=wall,
        config=config,
    )
    if out is not None:
        net.save(out / "model.keras")
        summary = {
            "config": config,
            "converged_at_sequences": run.converged_at,
            "stopped": run.stopped,
            "wall_time_s": round(run.time_offset + wall, 1),
            "steps_run": history[-1]["step"] if history else 0,
            "sequences_seen": history[-1]["sequences"] if history else 0,
            "machine": machine_description(),
        }
        (out / "train.json").write_text(json.dumps(summary, indent=1))
    if verbose:
        print(f"Done ({run.stopped}) in {wall:.0f}s; converged at {run.converged_at} sequences.")
    return result
