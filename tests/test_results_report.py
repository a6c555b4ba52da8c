"""docs/results.md: its generated tables match the data files they come from."""

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.once

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "tools" / "results_report.py"


def load_report(data_dir=None, results_md=None):
    spec = importlib.util.spec_from_file_location("results_report", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if data_dir is not None:
        module.DATA = data_dir
    if results_md is not None:
        module.RESULTS_MD = results_md
    return module


def test_results_md_is_up_to_date():
    report = load_report()
    assert report.main(["--check"]) == 0, "run `python tools/results_report.py` and commit docs/results.md"


def test_every_block_is_known_and_filled():
    text = (REPO / "docs" / "results.md").read_text()
    report = load_report()
    names = [m["name"] for m in report.BLOCK.finditer(text)]
    assert set(names) == set(report.GENERATORS), names
    for m in report.BLOCK.finditer(text):
        assert m["body"].strip(), f"block {m['name']} is empty"


def test_check_fails_when_a_file_changes(tmp_path):
    # Change one figure in a copy of the data: the check must notice.
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "results", data / "results")
    shutil.copytree(REPO / "data" / "pretrained", data / "pretrained", ignore=shutil.ignore_patterns("*.keras"))
    md = tmp_path / "results.md"
    md.write_text((REPO / "docs" / "results.md").read_text())
    sweep = data / "results" / "copy_sweep.json"
    record = json.loads(sweep.read_text())
    record["runs"][0]["converged_at"] = None  # one seed fewer converged
    sweep.write_text(json.dumps(record))
    report = load_report(data, md)
    assert report.main(["--check"]) == 1
    report.main([])
    assert "| `copy_sweep` | 2-core CPU | 1–10 | 9 of 10 |" in md.read_text()


def test_sweep_row_counts_by_hand():
    report = load_report()
    sweep = {
        "runs": [
            {"seed": 1, "converged_at": 20_000, "first_converged_time_s": 90.0, "rollbacks": 1},
            {"seed": 2, "converged_at": 40_000, "first_converged_time_s": 200.0, "rollbacks": 0},
            {"seed": 3, "converged_at": None, "rollbacks": 2},
        ]
    }
    row = report._sweep_row("s", sweep)
    assert row[2:] == ["1–3", "2 of 3", "1 of 3", "90–200", "30,000", 3]


def test_seed_ranges_show_the_gaps_of_a_sweep_stopped_part_way():
    report = load_report()
    assert report._seed_ranges([1, 2, 3, 4, 11, 12, 13, 14]) == "1–4, 11–14"
    assert report._seed_ranges([7, 5, 6]) == "5–7"
    assert report._seed_ranges([3, 9]) == "3, 9"
    assert report._seed_ranges([]) == "–"


def test_fresh_sweep_row_counts_by_hand():
    report = load_report()
    fresh = {"sequences": 1000, "bit_errors": 0.0}
    sweep = {
        "train_kwargs": {"steps": 100, "batch_size": 32, "from_logits": True, "patience": 5},
        "runs": [
            {"seed": 4, "converged_at": 1_600, "converged_fresh": True, "fresh": fresh, "rollbacks": 0},
            # converged on its validation set, failed on fresh data
            {"seed": 5, "converged_at": 2_400, "converged_fresh": False, "fresh": dict(fresh, bit_errors=0.37),
             "rollbacks": 1},
            {"seed": 6, "converged_at": None, "converged_fresh": False, "fresh": dict(fresh, bit_errors=1.5),
             "rollbacks": 2},
        ],
    }
    row = report._fresh_row("s", sweep)
    assert row[1:] == ["logits", "the paper's", "after 5 converged validations", "4–6", "3,200", "2 of 3",
                       "**1 of 3** (1,000 sequences)", "2,000", "5: 0.37, 6: 1.50", 3]
    other = report._fresh_row("s", {**sweep, "train_kwargs": {"steps": 100, "patience": 0,
                                                              "task_kwargs": {"blank_share": 0.1}}})
    assert other[1:4] == ["probabilities", "10% with a blank vector", "never: the whole budget"]
    rates = report._fresh_row("s", {**sweep, "train_kwargs": {
        "steps": 100, "batch_size": 16, "patience": 0, "max_seconds": 360.0, "curriculum": True, "curriculum_start": 2,
        "task_kwargs": {"blank_share": 0.5, "blank_rate": 0.05}}})
    assert rates[2] == ("50% with a blank vector, each vector blank with probability 0.05, "
                        "lengths from 1–2 up (curriculum)")
    assert rates[5] == "1,600 in batches of 16 or 360 s of training"


def test_the_failure_listing_command_uses_the_sweeps_fresh_seed():
    from ntm_core.training.sweep import FRESH_SEED

    text = (REPO / "docs" / "results.md").read_text()
    assert "--failures" in text and f"--seed {FRESH_SEED} --failures" in text
