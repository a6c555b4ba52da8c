"""One training configuration for the Python API, the command line and ``train.json``.

:class:`TrainConfig` holds every setting of a run with its default, written
once here: :func:`ntm_core.training.train` takes its fields as keywords, the
command line's options are made from its fields (:func:`add_arguments`,
:func:`from_args`), and ``train.json`` stores it under ``"config"``
(:meth:`TrainConfig.to_dict`; :meth:`TrainConfig.from_dict` reads older
ones too).
"""

import argparse
import inspect
import typing
from dataclasses import asdict, dataclass, field, fields, replace

from ntm_core.models import build_ntm
from ntm_core.training.optimizers import CLIP_ARGUMENTS, OPTIMIZERS, clipping
from ntm_core.validation import check_bool, check_choice, check_int, check_number

MODELS = ("ntm", "lstm")
VALIDATE_ON = ("task", "test")
# The NTM's sizes the command line offers; their defaults are build_ntm's.
NTM_OPTIONS = {
    "memory_size": "memory rows N",
    "memory_width": "memory row width M",
    "read_heads": "read heads",
    "write_heads": "write heads",
    "controller_units": "controller units",
}


def _setting(default, help, **cli):
    """A field with its command-line help (``cli=False``: not an option; ``choices``, ``flag``)."""
    factory = {"default_factory": default} if callable(default) else {"default": default}
    return field(**factory, metadata={"help": help, **cli})


@dataclass
class TrainConfig:
    """The settings of one training run (see :func:`ntm_core.training.train` for their effects)."""

    task: str = _setting("copy", "the task's name", cli=False)
    model: str = _setting("ntm", "the NTM or the LSTM baseline", choices=MODELS)
    controller: str = _setting("lstm", "the NTM's controller", choices=("lstm", "dense"))
    preset: str = _setting("stable", "the NTM's head parametrisation", choices=("stable", "paper"))
    steps: int = _setting(20_000, "most training batches")
    batch_size: int = _setting(32, "sequences per batch")
    seed: int = _setting(0, "seeds the weights and every batch", cli=False)
    optimizer: str = _setting("adam", "the optimizer recipe (ntm_core.training.RECIPES)", choices=OPTIMIZERS)
    learning_rate: typing.Optional[float] = _setting(None, "replaces the recipe's learning rate")
    warmup: int = _setting(0, "batches over which the learning rate first rises linearly to its value (0: none)")
    clipnorm: typing.Optional[float] = _setting(
        None, "scale each variable's gradient down to at most this norm (replaces the recipe's clipping)")
    global_clipnorm: typing.Optional[float] = _setting(
        None, "scale the whole gradient down to at most this norm (replaces the recipe's clipping)")
    clipvalue: typing.Optional[float] = _setting(
        None, "clip every gradient component to (-v, v) (replaces the recipe's clipping)")
    from_logits: bool = _setting(False, "compute the loss from the logits, not the clipped probabilities "
                                        "(ntm_core.models.logits_model)")
    min_length: typing.Optional[int] = _setting(None, "shortest training sequence (default: the task's)")
    max_length: typing.Optional[int] = _setting(None, "longest training sequence (default: the task's)")
    curriculum: bool = _setting(False, "grow the maximum length as the error falls (why it is off by "
                                       "default: ntm_core.training.train)")
    curriculum_start: typing.Optional[int] = _setting(None, "the curriculum's first maximum length")
    curriculum_step: typing.Optional[int] = _setting(None, "how much the curriculum lengthens at a time")
    eval_every: int = _setting(25, "batches between validations")
    val_sequences: int = _setting(128, "sequences of the fixed validation set")
    converge_bit_errors: float = _setting(0.1, "validation bit errors per sequence under which a run has converged")
    patience: int = _setting(5, "stop after this many converged validations in a row (0: never)")
    lr_decay: float = _setting(0.3, "multiply the learning rate by this at the first convergence (1: keep it)")
    rollback: bool = _setting(True, "after a collapse, go back to the best weights with half the learning rate")
    validate_on: str = _setting("task", "validate on the training data (task) or on the data tests use "
                                        "(test: the paper's, without --blank-share)", choices=VALIDATE_ON)
    max_seconds: typing.Optional[float] = _setting(None, "stop after this much wall time")
    jit_compile: typing.Optional[bool] = _setting(
        None, "XLA-compile the training step (None: on for TensorFlow and JAX)", flag="--jit")
    lstm_units: int = _setting(100, "LSTM baseline width")
    lstm_layers: int = _setting(1, "LSTM baseline depth")
    task_kwargs: dict = _setting(dict, "the task's own settings", cli=False)
    model_kwargs: dict = _setting(dict, "build_ntm's settings", cli=False)

    def __post_init__(self):
        self.model = check_choice("model", self.model, MODELS)
        for name in ("steps", "batch_size", "eval_every", "val_sequences", "lstm_units", "lstm_layers"):
            setattr(self, name, check_int(name, getattr(self, name), minimum=1))
        for name in ("min_length", "max_length", "curriculum_start", "curriculum_step"):
            setattr(self, name, check_int(name, getattr(self, name), minimum=1, allow_none=True))
        self.seed = check_int("seed", self.seed, minimum=0)
        self.patience = check_int("patience", self.patience, minimum=0)
        self.warmup = check_int("warmup", self.warmup, minimum=0)
        self.optimizer = check_choice("optimizer", self.optimizer, OPTIMIZERS)
        self.learning_rate = check_number("learning_rate", self.learning_rate, minimum=0, strict_minimum=True,
                                          allow_none=True)
        asked = clipping(self.clipnorm, self.global_clipnorm, self.clipvalue)
        for name in CLIP_ARGUMENTS:
            setattr(self, name, asked.get(name))
        self.lr_decay = check_number("lr_decay", self.lr_decay, minimum=0, maximum=1, strict_minimum=True)
        self.converge_bit_errors = check_number("converge_bit_errors", self.converge_bit_errors, minimum=0)
        self.validate_on = check_choice("validate_on", self.validate_on, VALIDATE_ON)
        self.max_seconds = check_number("max_seconds", self.max_seconds, minimum=0, strict_minimum=True,
                                        allow_none=True)
        self.curriculum = check_bool("curriculum", self.curriculum)
        self.rollback = check_bool("rollback", self.rollback)
        self.from_logits = check_bool("from_logits", self.from_logits)
        if self.jit_compile is not None:
            self.jit_compile = check_bool("jit_compile", self.jit_compile)
        self.task_kwargs = dict(self.task_kwargs or {})
        self.model_kwargs = dict(self.model_kwargs or {})

    def replace(self, **changes):
        """A copy with ``changes`` (checked like a new config)."""
        return replace(self, **changes)

    def to_dict(self):
        """The config as ``train.json`` stores it."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        """A config from ``train.json``'s ``"config"``, also one written before a field existed.

        Keys that are no setting (none today) are left out; settings missing
        from an older file take today's defaults.
        """
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def train_kwargs(self):
        """The settings as flat keywords of ``train`` (the NTM's sizes among them), without task and seed.

        A seed sweep records these as its ``"train_kwargs"``.
        """
        kwargs = {k: v for k, v in asdict(self).items() if k not in ("task", "seed", "model_kwargs")}
        if not kwargs["task_kwargs"]:
            del kwargs["task_kwargs"]
        return {**kwargs, **self.model_kwargs}


def split_settings(settings):
    """``(config fields, the rest)`` of keyword settings: the rest goes to ``build_ntm``."""
    names = {f.name for f in fields(TrainConfig)}
    return ({k: v for k, v in settings.items() if k in names},
            {k: v for k, v in settings.items() if k not in names})


# --------------------------------------------------------------------------- command line
def _option_type(f):
    hint = typing.get_type_hints(TrainConfig)[f.name]
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if args else hint


def add_arguments(parser):
    """Add an option per setting of :class:`TrainConfig` (its default, help and choices), the
    NTM's sizes (``build_ntm``'s defaults) and the task shortcuts ``--repeats``, ``--blank-share`` and ``--blank-rate``."""
    clip = parser.add_mutually_exclusive_group()  # a Keras optimizer clips one way
    for f in fields(TrainConfig):
        meta = dict(f.metadata)
        if meta.pop("cli", True) is False:
            continue
        flag = meta.pop("flag", "--" + f.name.replace("_", "-"))
        kind = _option_type(f)
        options = dict(dest=f.name, default=f.default, **meta)
        if kind is bool:
            options["action"] = argparse.BooleanOptionalAction
        else:
            options["type"] = kind
        (clip if f.name in CLIP_ARGUMENTS else parser).add_argument(flag, **options)
    defaults = inspect.signature(build_ntm).parameters
    for name, help in NTM_OPTIONS.items():
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=defaults[name].default,
                            help=f"the NTM's {help}")
    parser.add_argument("--repeats", type=int, nargs=2, metavar=("MIN", "MAX"), default=None,
                        help="repeat copy only: the training range of repeat counts "
                             "(default 1 10; the count input stays R/10)")
    parser.add_argument("--blank-share", type=float, default=None, metavar="P",
                        help="copy only: put one all-zero vector into this share of the training "
                             "sequences (default 0, the paper's data)")
    parser.add_argument("--blank-rate", type=float, default=None, metavar="P",
                        help="copy only: make each training vector all zeros with this probability, "
                             "so that a sequence can hold several (default 0: only the paper's own, 2**-bits)")


def from_args(args, task):
    """The :class:`TrainConfig` of parsed command-line ``args`` for ``task`` (a name)."""
    values = {f.name: getattr(args, f.name) for f in fields(TrainConfig) if f.metadata.get("cli", True)}
    task_kwargs = {}
    if args.repeats is not None:
        if task != "repeat_copy":
            raise ValueError(f"`--repeats` is for the repeat_copy task, not {task!r}.")
        task_kwargs = {"train_repeats": list(args.repeats)}
    for flag in ("blank_share", "blank_rate"):
        if getattr(args, flag) is not None:
            if task != "copy":
                raise ValueError(f"`--{flag.replace('_', '-')}` is for the copy task, not {task!r}.")
            task_kwargs[flag] = getattr(args, flag)
    model_kwargs = {name: getattr(args, name) for name in NTM_OPTIONS} if values["model"] == "ntm" else {}
    return TrainConfig(task=task, seed=args.seed, task_kwargs=task_kwargs,
                       model_kwargs=model_kwargs, **values)
