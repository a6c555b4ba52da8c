"""train(out=FOLDER, resume=True): going on from a run folder, today's and one written
by earlier versions of the training code; when an earlier convergence still counts."""

import json
import shutil
from pathlib import Path

import keras
import pytest

from ntm_core.training import TrainConfig, train

pytestmark = pytest.mark.once

TOY = dict(memory_size=8, memory_width=4, controller_units=16, max_length=3, jit_compile=False, tensorboard=False, verbose=0)
# A run folder written by the training code before it moved to ntm_core.training
# (commit cdaba2a): a 2 x 16 LSTM on copy up to length 3, batches of 4, 20 steps.
OLD_RUN = Path(__file__).resolve().parent / "data" / "run_cdaba2a"


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
    # Keras' CSVLogger keeps one line per validation across the sessions.
    assert len((tmp_path / "log.csv").read_text().splitlines()) == 1 + 6


def test_resume_reads_a_state_json_from_before_validate_on(tmp_path):
    toy = dict(TOY, batch_size=4, eval_every=10, patience=0, converge_bit_errors=1e9, seed=0)
    train("copy", steps=10, out=tmp_path, **toy)
    state_file = tmp_path / "state.json"
    state = json.loads(state_file.read_text())
    del state["task_settings"]["validate_on"]  # as sessions before it wrote them
    state_file.write_text(json.dumps(state))
    resumed = train("copy", steps=20, out=tmp_path, resume=True, **toy)
    assert resumed.converged_at == 40  # validated on the task, as the default still does


def test_a_run_folder_of_the_earlier_training_code_resumes(tmp_path):
    run = tmp_path / "run"
    shutil.copytree(OLD_RUN, run)
    before = json.loads((run / "history.json").read_text())
    old_config = json.loads((run / "train.json").read_text())["config"]
    config = TrainConfig.from_dict(old_config)  # its settings, read from the old train.json
    resumed = train(config=config.replace(steps=30), out=run, resume=True, tensorboard=False, verbose=0)
    # The history goes on from where it stopped, the earlier rows untouched.
    assert resumed.history[:2] == before and [r["step"] for r in resumed.history] == [10, 20, 30]
    assert resumed.history[2]["time"] > before[-1]["time"]
    assert json.loads((run / "state.json").read_text())["epoch"] == 3
    summary = json.loads((run / "train.json").read_text())
    assert summary["steps_run"] == 30 and summary["config"]["lstm_layers"] == 2
    # The optimizer's state came from the checkpoint: Adam has taken 30 steps in all.
    assert int(keras.ops.convert_to_numpy(resumed.model.optimizer.iterations)) == 30
