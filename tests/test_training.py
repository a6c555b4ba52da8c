"""The experiment harness: train, evaluate, resume, sweep, bench and the CLI, at toy sizes.

These tests are about the harness, not the backend, so they run once (on
the default backend) in .ci/run.
"""

import importlib
import json
import re

import keras
import numpy as np
import pytest

import ntm_core
from ntm_core import metrics, tasks
from ntm_core.__main__ import main
from ntm_core.train import evaluate, load_checkpoint, train

# `ntm_core.train` the name is the function; the module holds the private pieces tested here.
train_module = importlib.import_module("ntm_core.train")

pytestmark = pytest.mark.once

TOY = dict(memory_size=8, memory_width=4, controller_units=16, max_length=3, jit_compile=False, tensorboard=False, verbose=0)
TOY_CLI = [
    "--memory-size", "8", "--memory-width", "4", "--controller-units", "16",
    "--max-length", "3", "--eval-every", "10", "--no-jit",
]


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


def test_same_seed_same_run(toy_run):
    again = train("copy", steps=10, eval_every=10, batch_size=4, seed=3, **TOY)
    assert again.history[0]["loss"] == pytest.approx(toy_run.history[0]["loss"], rel=1e-4)
    assert again.history[0]["val_bits_per_seq"] == pytest.approx(toy_run.history[0]["val_bits_per_seq"], rel=1e-4)


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


def test_train_stops_cleanly_on_nan(monkeypatch, capsys):
    task = tasks.CopyTask(bits=8)
    original = task.sample

    def poisoned(*args, **kwargs):
        batch = original(*args, **kwargs)
        batch.x[:] = np.nan
        return batch

    monkeypatch.setattr(task, "sample", poisoned)
    result = train(task, steps=30, eval_every=10, batch_size=4, seed=0, **TOY)
    assert result.stopped == "nan"
    assert len(result.history) == 0
    assert "NaN" in capsys.readouterr().out


def test_evaluate_rows_match_metrics_by_hand(toy_run):
    result = toy_run
    rows = evaluate(result.model, "copy", lengths=[2], num_sequences=6, batch_size=3, seed=7)
    # Recompute the same sequences independently: evaluate draws them from default_rng([seed, length]).
    rng = np.random.default_rng([7, 2])
    xs, bits, errors = [], [], []
    for _ in range(2):
        batch = tasks.CopyTask().sample(3, rng, min_length=2, max_length=2)
        pred = np.asarray(result.model.predict_on_batch(batch.x))
        bits.append(metrics.bits_per_sequence(batch.y, pred, batch.mask, reduce=False))
        errors.append(metrics.bit_errors_per_sequence(batch.y, pred, batch.mask, reduce=False))
    assert rows[0]["length"] == 2
    assert rows[0]["bits_per_seq"] == pytest.approx(np.concatenate(bits).mean(), rel=1e-5)
    assert rows[0]["bit_errors"] == pytest.approx(np.concatenate(errors).mean())


def test_resume_on_new_task_settings_counts_convergence_afresh(tmp_path):
    # A threshold no validation can miss makes every validation "converged".
    toy = dict(TOY, batch_size=4, eval_every=10, patience=0, converge_bit_errors=1e9, seed=0)
    first = train("copy", steps=20, out=tmp_path, **toy)
    assert first.converged_at == 40  # the first validation: step 10 of batch 4
    lr_after_first = float(keras.ops.convert_to_numpy(first.model.optimizer.learning_rate))
    assert lr_after_first == pytest.approx(1e-3 * 0.3)  # decayed once, at that convergence

    same = train("copy", steps=30, out=tmp_path, resume=True, **toy)
    assert same.converged_at == 40  # the same settings: the earlier convergence stands

    toy["max_length"] = 4  # longer sequences: a new task for the checkpoint
    longer = train("copy", steps=40, out=tmp_path, resume=True, **toy)
    assert [r["step"] for r in longer.history] == [10, 20, 30, 40]
    assert longer.converged_at == 160  # its first validation on the new settings
    lr = float(keras.ops.convert_to_numpy(longer.model.optimizer.learning_rate))
    assert lr == pytest.approx(lr_after_first * 0.3)  # and the learning rate decays again

    # A fine-tuning stage: resume with a rate of its own instead of the checkpoint's.
    tuned = train("copy", steps=50, out=tmp_path, resume=True, learning_rate=2e-5, **dict(toy, rollback=False))
    assert tuned.history[-1]["learning_rate"] == pytest.approx(2e-5)
    # still the longer sequences: their convergence stands, not the first one in the history
    assert tuned.converged_at == 160
    with pytest.raises(ValueError, match="learning_rate"):
        train("copy", steps=60, out=tmp_path, resume=True, learning_rate=0.0, **toy)

    # Validating on another set is a new judge: its convergence is counted afresh too.
    rejudged = train("copy", steps=60, out=tmp_path, resume=True, validate_on="test", **dict(toy, rollback=False))
    assert rejudged.converged_at == 240
    state = json.loads((tmp_path / "state.json").read_text())
    assert state["task_settings"]["validate_on"] == "test"


def test_resume_reads_a_state_json_from_before_validate_on(tmp_path):
    toy = dict(TOY, batch_size=4, eval_every=10, patience=0, converge_bit_errors=1e9, seed=0)
    train("copy", steps=10, out=tmp_path, **toy)
    state_file = tmp_path / "state.json"
    state = json.loads(state_file.read_text())
    del state["task_settings"]["validate_on"]  # as sessions before it wrote them
    state_file.write_text(json.dumps(state))
    resumed = train("copy", steps=20, out=tmp_path, resume=True, **toy)
    assert resumed.converged_at == 40  # validated on the task, as the default still does


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
    optimizer = train_module.make_optimizer("adam", **clipping)
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


def test_clipping_is_checked_recorded_and_replaces_a_checkpoints_clipping(tmp_path):
    for bad in (0, -1.0, True, "1"):
        with pytest.raises(ValueError, match="global_clipnorm"):
            train("copy", steps=1, global_clipnorm=bad, **TOY)
        with pytest.raises(ValueError, match="`clipnorm`"):
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
    with pytest.raises(SystemExit):  # argparse: the two flags are mutually exclusive
        main(["train", "copy", "--clipnorm", "1", "--global-clipnorm", "1", *TOY_CLI])
    default = train("copy", steps=10, **toy)
    assert (default.config["clipnorm"], default.config["global_clipnorm"], default.config["clipvalue"]) == (None, 1.0, None)
    paper = train("copy", steps=10, optimizer="rmsprop", **toy)
    assert (paper.config["clipvalue"], paper.config["clipnorm"], paper.config["global_clipnorm"]) == (10.0, None, None)


def test_cli_train_evaluate_resume(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["train", "copy", "--steps", "20", "--batch-size", "4", "--seed", "0", "--out", str(out),
                 "--validate-on", "test", "--global-clipnorm", "2", "--eval-sequences", "4", "--save-as", str(tmp_path / "toy.keras"), *TOY_CLI])
    assert code == 0
    for name in ("model.keras", "checkpoint.keras", "history.json", "train.json"):
        assert (out / name).exists(), name
    history = json.loads((out / "history.json").read_text())
    assert [r["step"] for r in history] == [10, 20]
    summary = json.loads((out / "train.json").read_text())
    assert summary["command"].startswith("python -m ntm_core train copy")
    assert summary["config"]["validate_on"] == "test"
    assert summary["config"]["global_clipnorm"] == 2.0
    assert summary["config"]["seed"] == 0 and summary["machine"]["backend"] == keras.backend.backend()
    # "cpu", or the accelerator's kind and name, e.g. "gpu: NVIDIA H100 80GB HBM3"
    device = summary["machine"]["device"]
    assert device == "cpu" or re.fullmatch(r"(gpu|cuda|tpu): \S.*", device), device
    shipped = json.loads((tmp_path / "toy.json").read_text())
    assert shipped["evaluation"]["rows"] and shipped["history"]

    # evaluate the saved model from the command line, with a json table
    table = tmp_path / "eval.json"
    assert main(["evaluate", str(tmp_path / "toy.keras"), "--lengths", "2", "3", "--sequences", "4", "--json", str(table)]) == 0
    rows = json.loads(table.read_text())["rows"]
    assert [r["length"] for r in rows] == [2, 3]
    assert "bits/seq" in capsys.readouterr().out

    # resume continues from step 20 to 30 and keeps the earlier history
    assert main(["train", "copy", "--steps", "30", "--batch-size", "4", "--seed", "0", "--out", str(out),
                 "--eval-sequences", "4", "--resume", *TOY_CLI]) == 0
    history = json.loads((out / "history.json").read_text())
    assert [r["step"] for r in history] == [10, 20, 30]
    stages = json.loads((out / "train.json").read_text())["stages"]
    assert [s["sequences_seen"] for s in stages] == [80, 120]  # batches of 4: 20 steps, then 10 more
    assert "--resume" not in stages[0]["command"] and "--resume" in stages[1]["command"]


def test_cli_errors_are_clear(tmp_path, capsys):
    assert main(["train", "no_such_task", "--steps", "1"]) == 2
    assert "no_such_task" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path / "missing.keras")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["train", "copy", "--steps", "10", "--out", str(tmp_path / "r"), "--resume"]) == 2
    assert "cannot resume" in capsys.readouterr().err
    assert main(["train", "copy", "--steps", "0"]) == 2
    assert "steps" in capsys.readouterr().err
    assert main(["train", "copy", "--steps", "10", "--repeats", "1", "5"]) == 2
    assert "--repeats" in capsys.readouterr().err
    assert main(["train", "repeat_copy", "--steps", "10", "--blank-share", "0.1"]) == 2
    assert "--blank-share" in capsys.readouterr().err
    assert main(["train", "copy", "--steps", "10", "--blank-share", "2"]) == 2
    assert "blank_share" in capsys.readouterr().err


def test_mismatched_checkpoint_is_refused(tmp_path, toy_run):
    path = tmp_path / "copy.keras"
    toy_run.model.save(path)
    model, _ = load_checkpoint(path)
    with pytest.raises(ValueError, match="does not match"):
        evaluate(model, "associative_recall", num_sequences=2)
    with pytest.raises(ValueError, match=r"\.keras"):
        (tmp_path / "weights.h5").write_text("x")
        load_checkpoint(tmp_path / "weights.h5")


def test_validation_set_is_drawn_from_the_task_or_its_test_task():
    blanks = tasks.CopyTask(bits=8, blank_share=1.0)
    dataset = tasks.TaskDataset(blanks, 4, 10, 0, min_length=1, max_length=6)
    model = keras.Sequential([keras.Input((None, 9)), keras.layers.Dense(8, activation="sigmoid")])
    config = dict(seed=7, val_sequences=32, max_length=6)

    on_task = train_module._Run(model, blanks, dataset, None, {**config, "validate_on": "task"}, None, [], 0).val
    # Every training sequence has a blank vector: so does every validation sequence.
    assert np.all(np.any(np.all(on_task.x[:, :6, :8] == 0, axis=-1), axis=1))

    on_test = train_module._Run(model, blanks, dataset, None, {**config, "validate_on": "test"}, None, [], 0).val
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


def test_sweep_counts_converged_runs(tmp_path):
    from ntm_core.sweep import format_sweep, run_sweep

    path = tmp_path / "sweep.json"
    # converge_bit_errors is huge so every toy run "converges" at its first validation.
    result = run_sweep("copy", seeds=1, first_seed=4, json_path=path, steps=20, eval_every=10, batch_size=4,
                       converge_bit_errors=1e9, patience=1, **{k: v for k, v in TOY.items() if k != "verbose"})
    assert result["summary"]["converged"] == 1
    assert [r["seed"] for r in result["runs"]] == [4]
    assert [r["converged_at"] for r in result["runs"]] == [40]
    assert [r["stopped"] for r in result["runs"]] == ["converged"]
    assert json.loads(path.read_text())["summary"]["finished"] == 1
    assert [r["rollbacks"] for r in result["runs"]] == [0]
    first = result["runs"][0]["first_converged_time_s"]
    assert first == result["runs"][0]["history"][0]["time"] > 0
    assert result["summary"]["first_converged_times_s"] == [first]
    table = format_sweep(result).splitlines()
    assert table[0].split()[-1] == "rollbacks" and table[1].split() == ["4", "40", f"{first:.0f}", "converged", table[1].split()[4], "0"]


def test_bench_reports_positive_throughput():
    from ntm_core.bench import format_bench, run_bench

    rows = run_bench(batch_sizes=[2], length=2, steps=1, jit="off")
    assert {r["model"] for r in rows} == {"ntm", "lstm"}
    assert all(r["sequences_per_s"] > 0 and r["step_ms"] > 0 for r in rows)
    assert "ntm_over_lstm" in rows[0]
    assert "seq/s" in format_bench(rows)


def test_top_level_api():
    for name in ("NTM", "NTMCell", "trace", "train", "evaluate", "build_ntm", "build_lstm", "load_pretrained"):
        assert hasattr(ntm_core, name), name


def test_evaluate_uses_repeat_copy_test_settings():
    # The hardest training case, then the paper's tests: length 20 x 10 repeats and length 10 x 20 repeats.
    model = ntm_core.build_ntm("repeat_copy", memory_size=8, memory_width=4, controller_units=8)
    rows = evaluate(model, "repeat_copy", num_sequences=2)
    assert [r["length"] for r in rows] == ["length=10xrepeats=10", "length=20xrepeats=10", "length=10xrepeats=20"]
    narrowed = evaluate(model, "repeat_copy", num_sequences=2, task_kwargs={"train_repeats": [1, 5]})
    assert narrowed[0]["length"] == "length=10xrepeats=5"
    # 20 x 10 copies of 8 bits plus the end-marker channel: chance makes hundreds of errors
    assert all(r["bit_errors"] > 100 for r in rows)


def test_training_step_is_traced_once(monkeypatch):
    """train() builds the optimizer and metric variables before fit, so
    TensorFlow does not trace the training step a second time."""
    keras = pytest.importorskip("keras")
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


def _identity_run(rollback=True):
    """A _Run whose validation targets equal the input bits, with a one-layer model.

    Kernel +10*I (bias -5) then predicts every bit correctly and -10*I every
    bit wrongly, so a collapse can be made by hand without training anything.
    """
    task = tasks.CopyTask(bits=8)
    model = keras.Sequential([keras.Input((None, 9)), keras.layers.Dense(8, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
    model.optimizer.build(model.trainable_variables)
    dataset = tasks.TaskDataset(task, 4, 10, 0, min_length=1, max_length=5)
    config = dict(
        seed=0, val_sequences=16, max_length=5, eval_every=10, batch_size=4, converge_bit_errors=0.1,
        patience=0, lr_decay=0.3, rollback=rollback, max_seconds=None, learning_rate=1e-3, validate_on="task",
    )
    run = train_module._Run(model, task, dataset, None, config, None, [], verbose=0)
    x = run.val.x
    run.val = tasks.Batch(x, x[..., :8].copy(), np.ones(x.shape[:2], dtype="float32"), run.val.lengths)
    return run, model


def _dense_weights(scale, bias):
    return [scale * np.eye(9, 8, dtype="float32"), np.full(8, bias, dtype="float32")]


def test_collapse_rolls_back_to_the_best_weights_with_half_the_learning_rate():
    run, model = _identity_run()
    good = _dense_weights(10.0, -5.0)
    model.set_weights(good)
    moments = [np.array(v) for v in model.optimizer.variables]
    run._after_epoch(0, {"loss": 0.1})
    assert run.history[-1]["val_bit_errors"] == 0 and not run.history[-1].get("rolled_back")

    # Every bit wrong: far more than a quarter of chance level above the best.
    model.set_weights(_dense_weights(-10.0, 5.0))
    for v in model.optimizer.variables[2:]:
        v.assign(v + 1.0)
    run._after_epoch(1, {"loss": 0.9})
    row = run.history[-1]
    target_bits = 8 * run.val.x.shape[1]
    assert row["rolled_back"] and row["collapsed_bit_errors"] == target_bits
    # The first validation converged (1e-3 x 0.3 = 3e-4); the collapse halves
    # that, but not below a quarter of the starting rate.
    assert row["val_bit_errors"] == 0 and row["learning_rate"] == pytest.approx(2.5e-4)
    assert not row["converged"] and run.streak == 0  # the restored weights are not a new success
    for w, expected in zip(model.get_weights(), good):
        np.testing.assert_array_equal(w, expected)
    assert float(model.optimizer.learning_rate) == pytest.approx(2.5e-4)
    for v, expected in zip(model.optimizer.variables[2:], moments[2:]):
        np.testing.assert_array_equal(np.array(v), expected)

    model.set_weights(_dense_weights(-10.0, 5.0))
    run._after_epoch(2, {"loss": 0.9})
    assert run.history[-1]["rolled_back"] and float(model.optimizer.learning_rate) == pytest.approx(2.5e-4)
    assert sum(1 for r in run.history if r.get("rolled_back")) == 2


def test_rollbacks_halve_the_learning_rate_down_to_a_quarter():
    run, model = _identity_run()
    run.config["converge_bit_errors"] = 0.0  # never converged: no decay besides the rollbacks
    model.set_weights(_dense_weights(10.0, -5.0))
    run._after_epoch(0, {"loss": 0.1})
    rates = []
    for epoch in range(1, 4):
        model.set_weights(_dense_weights(-10.0, 5.0))
        run._after_epoch(epoch, {"loss": 0.9})
        rates.append(float(model.optimizer.learning_rate))
    assert rates == pytest.approx([5e-4, 2.5e-4, 2.5e-4])


def test_ordinary_noise_and_disabled_rollback_leave_training_alone():
    run, model = _identity_run()
    model.set_weights(_dense_weights(10.0, -5.0))
    run._after_epoch(0, {"loss": 0.1})
    # Channel 0 always predicts 0: about an eighth of chance level worse, i.e. noise.
    weights = _dense_weights(10.0, -5.0)
    weights[1][0] = -50.0
    model.set_weights(weights)
    run._after_epoch(1, {"loss": 0.2})
    assert run.history[-1]["val_bit_errors"] > 0 and not run.history[-1].get("rolled_back")

    run, model = _identity_run(rollback=False)
    model.set_weights(_dense_weights(10.0, -5.0))
    run._after_epoch(0, {"loss": 0.1})
    model.set_weights(_dense_weights(-10.0, 5.0))
    run._after_epoch(1, {"loss": 0.9})
    assert not run.history[-1].get("rolled_back") and run.history[-1]["val_bit_errors"] > 0
