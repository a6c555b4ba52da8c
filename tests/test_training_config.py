"""TrainConfig (one set of defaults for the API, the command line and train.json) and the optimizer recipes."""

import argparse
import json
from pathlib import Path

import keras
import numpy as np
import pytest

from ntm_core.training import TrainConfig, make_optimizer
from ntm_core.training.config import add_arguments, from_args

pytestmark = pytest.mark.once

DATA = Path(__file__).resolve().parent.parent / "data"


def _parse(argv):
    """A parser like the ``train`` command's: the task, --seed and the config's options."""
    parser = argparse.ArgumentParser()
    parser.add_argument("task")
    parser.add_argument("--seed", type=int, default=TrainConfig.seed)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return from_args(args, args.task)


def test_the_documented_defaults():
    config = TrainConfig()
    assert (config.task, config.model, config.controller, config.preset) == ("copy", "ntm", "lstm", "stable")
    assert (config.steps, config.batch_size, config.seed, config.eval_every) == (20_000, 32, 0, 25)
    assert (config.optimizer, config.learning_rate, config.lr_decay) == ("adam", None, 0.3)
    assert (config.patience, config.converge_bit_errors, config.val_sequences) == (5, 0.1, 128)
    assert (config.curriculum, config.rollback, config.validate_on, config.max_seconds) == (False, True, "task", None)
    assert (config.lstm_units, config.lstm_layers, config.jit_compile) == (100, 1, None)


def test_command_line_defaults_are_the_configs():
    cli = _parse(["copy"])
    # The NTM's sizes come from build_ntm's defaults: the paper's copy set-up.
    paper_sizes = dict(memory_size=128, memory_width=20, read_heads=1, write_heads=1, controller_units=100)
    assert cli == TrainConfig(model_kwargs=paper_sizes)
    assert _parse(["copy", "--model", "lstm"]) == TrainConfig(model="lstm")


def test_every_command_line_option_reaches_its_setting():
    cli = _parse(["repeat_copy", "--seed", "3", "--steps", "7", "--batch-size", "2", "--optimizer", "rmsprop",
                  "--learning-rate", "2e-4", "--clipvalue", "5", "--min-length", "2", "--max-length", "4",
                  "--curriculum", "--curriculum-start", "3", "--curriculum-step", "2", "--eval-every", "5",
                  "--val-sequences", "9", "--converge-bit-errors", "0.5", "--patience", "0", "--lr-decay", "1",
                  "--no-rollback", "--validate-on", "test", "--max-seconds", "60", "--no-jit", "--memory-size", "16",
                  "--repeats", "1", "5"])
    expected = TrainConfig(
        task="repeat_copy", seed=3, steps=7, batch_size=2, optimizer="rmsprop", learning_rate=2e-4, clipvalue=5.0,
        min_length=2, max_length=4, curriculum=True, curriculum_start=3, curriculum_step=2, eval_every=5,
        val_sequences=9, converge_bit_errors=0.5, patience=0, lr_decay=1.0, rollback=False, validate_on="test",
        max_seconds=60.0, jit_compile=False, task_kwargs={"train_repeats": [1, 5]},
        model_kwargs=dict(memory_size=16, memory_width=20, read_heads=1, write_heads=1, controller_units=100),
    )
    assert cli == expected
    assert _parse(["copy", "--jit"]).jit_compile is True
    assert _parse(["copy", "--blank-share", "0.25"]).task_kwargs == {"blank_share": 0.25}
    assert _parse(["copy", "--blank-rate", "0.05", "--blank-share", "0.5"]).task_kwargs == {
        "blank_share": 0.5, "blank_rate": 0.05}
    with pytest.raises(SystemExit):  # argparse: a Keras optimizer clips one way
        _parse(["copy", "--clipnorm", "1", "--global-clipnorm", "1"])


def test_older_train_json_configs_are_read():
    # The shipped checkpoint's json was written before curriculum_start, jit_compile and clipvalue were settings.
    old = json.loads((DATA / "pretrained" / "copy_ntm.json").read_text())["config"]
    assert "jit_compile" not in old
    config = TrainConfig.from_dict(old)
    assert (config.task, config.seed, config.batch_size, config.learning_rate) == ("copy", 4, 32, 1e-4)
    assert config.task_kwargs == {"blank_share": 0.25} and config.clipnorm == 50.0
    assert config.jit_compile is None and config.curriculum_start is None  # today's defaults fill the gaps
    assert TrainConfig.from_dict(config.to_dict()) == config


def test_train_kwargs_are_flat_as_sweeps_record_them():
    config = TrainConfig(seed=5, steps=30, model_kwargs={"memory_size": 8})
    kwargs = config.train_kwargs()
    assert "seed" not in kwargs and "task" not in kwargs and "model_kwargs" not in kwargs
    assert kwargs["steps"] == 30 and kwargs["memory_size"] == 8 and "task_kwargs" not in kwargs


@pytest.mark.parametrize(
    "bad, error, name",
    [
        (dict(steps=0), ValueError, "steps"),
        (dict(steps=2.5), TypeError, "steps"),
        (dict(batch_size=0), ValueError, "batch_size"),
        (dict(seed=-1), ValueError, "seed"),
        (dict(model="gru"), ValueError, "model"),
        (dict(optimizer="sgd"), ValueError, "optimizer"),
        (dict(validate_on="train"), ValueError, "validate_on"),
        (dict(learning_rate=0.0), ValueError, "learning_rate"),
        (dict(lr_decay=0.0), ValueError, "lr_decay"),
        (dict(lr_decay=1.5), ValueError, "lr_decay"),
        (dict(patience=-1), ValueError, "patience"),
        (dict(warmup=-5), ValueError, "warmup"),
        (dict(rollback=1), TypeError, "rollback"),
        (dict(max_seconds=0), ValueError, "max_seconds"),
        (dict(clipnorm=1.0, global_clipnorm=1.0), ValueError, "at most one"),
    ],
)
def test_bad_settings_are_refused_by_name(bad, error, name):
    with pytest.raises(error, match=name):
        TrainConfig(**bad)


def _numpy_adam(grads, lr=1e-3, beta_1=0.9, beta_2=0.999, eps=1e-7):
    """Adam (Kingma & Ba, Keras' epsilon) from zero, on a list of gradients for one variable."""
    x, m, v = np.zeros_like(grads[0]), np.zeros_like(grads[0]), np.zeros_like(grads[0])
    for t, g in enumerate(grads, start=1):
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        x = x - alpha * m / (np.sqrt(v) + eps)
    return x


@pytest.mark.parametrize("clipping", [{}, {"global_clipnorm": 1.0}, {"global_clipnorm": 0.2}, {"clipnorm": 50.0}])
def test_clipping_scales_the_gradient_before_adam(clipping):
    optimizer = make_optimizer("adam", **clipping)
    a, b = keras.Variable(np.zeros(1, "float32")), keras.Variable(np.zeros(1, "float32"))
    # Two variables whose gradients together have norm 5, then norm 0.5.
    steps = [(np.array([3.0], "float32"), np.array([4.0], "float32")),
             (np.array([0.3], "float32"), np.array([-0.4], "float32"))]
    for ga, gb in steps:
        optimizer.apply_gradients([(ga, a), (gb, b)])
    if "clipnorm" in clipping:  # per variable: norms 3, 4, 0.3, 0.4, all under 50
        scaled = steps
    else:  # the recipe's default is a global clip of 1
        clip = clipping.get("global_clipnorm", 1.0)
        scaled = [[g * min(1.0, clip / np.hypot(ga[0], gb[0])) for g in (ga, gb)] for ga, gb in steps]
    for i, var in enumerate((a, b)):
        expected = _numpy_adam([step[i] for step in scaled])
        np.testing.assert_allclose(keras.ops.convert_to_numpy(var), expected, rtol=1e-5)
    # Adam's first step is lr * sign(g) at any scale; the second shows the clip.
    unclipped = _numpy_adam([steps[0][0], steps[1][0]])
    assert np.allclose(keras.ops.convert_to_numpy(a), unclipped, rtol=1e-5) == ("clipnorm" in clipping)


def test_clip_arguments_are_checked():
    for bad, error in ((0, ValueError), (-1.0, ValueError), (True, TypeError), ("1", TypeError)):
        with pytest.raises(error, match="global_clipnorm"):
            make_optimizer("adam", global_clipnorm=bad)
        with pytest.raises(error, match="`clipnorm`"):
            make_optimizer("adam", clipnorm=bad)
    with pytest.raises(ValueError, match="at most one"):
        make_optimizer("adam", clipnorm=1.0, global_clipnorm=1.0)
    paper = make_optimizer("rmsprop")
    assert (paper.clipvalue, paper.clipnorm, paper.global_clipnorm, paper.momentum) == (10.0, None, None, 0.9)
    assert float(paper.learning_rate) == pytest.approx(1e-4)
