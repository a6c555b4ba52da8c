"""The command line's train, evaluate, sweep and bench commands, and seed sweeps, at toy sizes."""

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import keras
import pytest

import ntm_core
from ntm_core.__main__ import main

pytestmark = pytest.mark.once

TOY = dict(memory_size=8, memory_width=4, controller_units=16, max_length=3, jit_compile=False, tensorboard=False)
TOY_CLI = [
    "--memory-size", "8", "--memory-width", "4", "--controller-units", "16",
    "--max-length", "3", "--eval-every", "10", "--no-jit",
]


def test_cli_train_evaluate_resume(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["train", "copy", "--steps", "20", "--batch-size", "4", "--seed", "0", "--out", str(out),
                 "--validate-on", "test", "--global-clipnorm", "2", "--eval-sequences", "4", "--save-as", str(tmp_path / "toy.keras"), *TOY_CLI])
    assert code == 0
    for name in ("model.keras", "checkpoint.keras", "history.json", "train.json", "log.csv"):
        assert (out / name).exists(), name
    history = json.loads((out / "history.json").read_text())
    assert [r["step"] for r in history] == [10, 20]
    summary = json.loads((out / "train.json").read_text())
    assert summary["command"].startswith("python -m ntm_core train copy")
    assert summary["config"]["validate_on"] == "test"
    assert summary["config"]["global_clipnorm"] == 2.0
    assert summary["config"]["seed"] == 0 and summary["machine"]["backend"] == keras.backend.backend()
    assert summary["config"]["model_kwargs"] == dict(memory_size=8, memory_width=4, read_heads=1, write_heads=1,
                                                     controller_units=16)
    # "cpu", or the accelerator's kind and name, e.g. "gpu: NVIDIA H100 80GB HBM3"
    device = summary["machine"]["device"]
    assert device == "cpu" or re.fullmatch(r"(gpu|cuda|tpu): \S.*", device), device
    # What notebooks 05 and 07 read from a shipped checkpoint's json.
    shipped = json.loads((tmp_path / "toy.json").read_text())
    assert shipped["evaluation"]["rows"] and shipped["history"] and shipped["config"]["task"] == "copy"
    assert [s["sequences_seen"] for s in shipped["stages"]] == [80]
    assert set(shipped["history"][0]) == {"step", "sequences", "time", "loss", "val_bits_per_seq", "val_bit_errors",
                                          "max_length"}

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
    assert main(["train", "associative_recall", "--steps", "10", "--blank-rate", "0.1"]) == 2
    assert "--blank-rate" in capsys.readouterr().err
    assert main(["train", "copy", "--steps", "10", "--blank-rate", "-1"]) == 2
    assert "blank_rate" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse: the two flags are mutually exclusive
        main(["train", "copy", "--clipnorm", "1", "--global-clipnorm", "1", *TOY_CLI])


def test_sweep_counts_converged_runs(tmp_path):
    from ntm_core.training.sweep import format_sweep, run_sweep

    path = tmp_path / "sweep.json"
    # converge_bit_errors is huge so every toy run "converges" at its first validation.
    result = run_sweep("copy", seeds=1, first_seed=4, json_path=path, steps=20, eval_every=10, batch_size=4,
                       converge_bit_errors=1e9, patience=1, fresh_sequences=30, **TOY)
    assert result["summary"]["converged"] == 1
    assert [r["seed"] for r in result["runs"]] == [4]
    assert [r["converged_at"] for r in result["runs"]] == [40]
    assert [r["stopped"] for r in result["runs"]] == ["converged"]
    assert json.loads(path.read_text())["summary"]["finished"] == 1
    assert [r["rollbacks"] for r in result["runs"]] == [0]
    first = result["runs"][0]["first_converged_time_s"]
    assert first == result["runs"][0]["history"][0]["time"] > 0
    assert result["summary"]["first_converged_times_s"] == [first]
    # Converged, so scored on longer sequences too.
    assert [r["length"] for r in result["runs"][0]["generalisation"]] == [20, 30, 50]
    # Judged again after training on fresh sequences of the full training length.
    fresh = result["runs"][0]["fresh"]
    assert (fresh["length"], fresh["sequences"]) == (3, 30) and 0 <= fresh["perfect"] <= 1
    assert result["runs"][0]["converged_fresh"] is True and result["summary"]["converged_fresh"] == 1
    assert result["runs"][0]["sequences_seen"] == 40  # stopped at its first (converged) validation
    table = format_sweep(result).splitlines()
    assert table[0].split()[-2:] == ["fresh", "errors"]
    assert table[1].split() == ["4", "40", f"{first:.0f}", "converged", table[1].split()[4], "0",
                                f"{fresh['bit_errors']:.3f}"]


def test_sweep_judges_fresh_data_by_the_runs_threshold():
    from ntm_core.training.sweep import FRESH_SEED, format_sweep, run_sweep

    # Threshold 0: no model passes, converged on validation or not.
    result = run_sweep("copy", seeds=1, first_seed=1, steps=10, eval_every=10, batch_size=4, converge_bit_errors=0,
                       generalisation_lengths=(), fresh_sequences=20, **TOY)
    run = result["runs"][0]
    assert run["converged_fresh"] is False and result["summary"]["converged_fresh"] == 0
    # An untrained toy model gets about half of the bits wrong: 3 vectors x 8 bits.
    assert 4 < run["fresh"]["bit_errors"] < 20
    assert "0/1 under the threshold on 20 fresh sequences" in format_sweep(result)
    # The fresh seed is none of the seeds a run uses for its own data.
    assert FRESH_SEED not in (1, 12345, 999_983)


def test_cli_sweep_writes_the_json_notebooks_read(tmp_path):
    path = tmp_path / "sweep.json"
    assert main(["sweep", "copy", "--seeds", "1", "--seed", "2", "--steps", "10", "--batch-size", "4",
                 "--converge-bit-errors", "1e9", "--patience", "1", "--json", str(path), *TOY_CLI]) == 0
    result = json.loads(path.read_text())
    assert set(result) == {"summary", "runs", "train_kwargs", "command", "device"}
    assert result["device"].endswith("-core CPU") or not result["device"].startswith("cpu")
    assert result["command"].startswith("python -m ntm_core sweep copy")
    # The settings as flat train() keywords, the NTM's sizes among them.
    assert result["train_kwargs"]["memory_size"] == 8 and result["train_kwargs"]["steps"] == 10
    assert [r["seed"] for r in result["runs"]] == [2] and result["summary"]["converged"] == 1


def _hand_run(seed, converged_at, fresh_ok):
    return {"seed": seed, "converged_at": converged_at, "wall_time_s": 10.0 * seed, "stopped": "steps",
            "first_converged_time_s": None if converged_at is None else 1.0 * seed, "converged_fresh": fresh_ok}


def _hand_sweep(runs, command, **kwargs):
    return {"summary": {"task": "copy", "seeds": len(runs)}, "runs": runs,
            "train_kwargs": {"steps": 10, **kwargs}, "command": command}


def test_merge_sweeps_counts_as_one_sweep_of_the_seeds(tmp_path):
    from ntm_core.training.sweep import merge_sweeps

    later = _hand_sweep([_hand_run(11, 300, True), _hand_run(12, None, False)], "sweep --seed 11")
    earlier = _hand_sweep([_hand_run(1, 100, True), _hand_run(2, 500, False)], "sweep --seed 1")
    merged = merge_sweeps([later, earlier])
    assert [r["seed"] for r in merged["runs"]] == [1, 2, 11, 12]
    s = merged["summary"]
    assert (s["seeds"], s["finished"], s["converged"], s["converged_fresh"]) == (4, 4, 3, 2)
    assert (s["median_sequences"], s["min_sequences"], s["max_sequences"]) == (300, 100, 500)
    assert s["median_wall_time_s"] == 65.0 and s["first_converged_times_s"] == [1.0, 2.0, 11.0]
    assert merged["command"] == ["sweep --seed 1", "sweep --seed 11"]
    assert "device" not in merged  # the parts do not say where they ran
    later["device"] = earlier["device"] = "NVIDIA H200"
    assert merge_sweeps([later, earlier])["device"] == "NVIDIA H200"
    del later["device"], earlier["device"]
    # A part stopped after seed 2 of its planned 1-10, and restarted at seed 3: 10 planned, not 18
    stopped = _hand_sweep([_hand_run(1, 100, True), _hand_run(2, 500, False)], "sweep --seeds 10 --seed 1")
    stopped["summary"]["seeds"] = 10
    restarted = _hand_sweep([_hand_run(s, 100, True) for s in range(3, 11)], "sweep --seeds 8 --seed 3")
    assert merge_sweeps([stopped, restarted])["summary"]["seeds"] == 10
    with pytest.raises(ValueError, match="one recipe"):
        merge_sweeps([earlier, _hand_sweep([_hand_run(3, 100, True)], "x", blank_share=0.5)])
    with pytest.raises(ValueError, match="share a seed"):
        merge_sweeps([earlier, earlier])
    # On the command line
    paths = []
    for name, sweep in (("a.json", earlier), ("b.json", later)):
        paths.append(str(tmp_path / name))
        (tmp_path / name).write_text(json.dumps(sweep))
    assert main(["merge-sweeps", *paths, "--json", str(tmp_path / "all.json")]) == 0
    assert json.loads((tmp_path / "all.json").read_text()) == merged


def test_a_sweep_in_parallel_trains_the_same_runs(tmp_path):
    from ntm_core.training.sweep import run_sweep

    settings = dict(steps=10, eval_every=10, batch_size=4, converge_bit_errors=1e9, patience=1,
                    generalisation_lengths=(), fresh_sequences=20, **TOY)
    path = tmp_path / "sweep.json"
    parallel = run_sweep("copy", seeds=2, first_seed=5, jobs=2, json_path=path, **settings)
    one_by_one = run_sweep("copy", seeds=2, first_seed=5, **settings)
    assert [r["seed"] for r in parallel["runs"]] == [5, 6]
    for a, b in zip(parallel["runs"], one_by_one["runs"]):
        assert a["sequences_seen"] == b["sequences_seen"] and a["converged_at"] == b["converged_at"]
        assert a["fresh"]["bits_per_seq"] == pytest.approx(b["fresh"]["bits_per_seq"], rel=1e-4)
    assert json.loads(path.read_text())["summary"] == parallel["summary"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.json"]  # the parts' files are merged away


def _children(pid):
    """The pids whose parent is ``pid`` (Linux's /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from Linux's /proc")
def test_a_stopped_parallel_sweep_stops_its_workers(tmp_path):
    # `kill` of a sweep used to leave its parts training on, unseen, for as long as they had seeds.
    command = [sys.executable, "-m", "ntm_core", "sweep", "copy", "--seeds", "2", "--jobs", "2", "--steps", "100000",
               "--out", str(tmp_path / "runs"), *TOY_CLI]
    sweep = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = []
    try:
        deadline = time.monotonic() + 120
        while len(list((tmp_path / "runs").glob("seed_*/log.csv"))) < 2:  # both parts are training
            assert sweep.poll() is None and time.monotonic() < deadline, "the sweep did not start both parts"
            time.sleep(0.5)
        workers += [pid for pid in _children(sweep.pid) if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]
        assert len(workers) == 2
        sweep.terminate()
        assert sweep.wait(timeout=60) != 0
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "a worker outlived the sweep"
    finally:
        for pid in [sweep.pid, *workers]:  # a failed check leaves nothing training
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

def test_bench_reports_positive_throughput():
    from ntm_core.training.bench import format_bench, run_bench

    rows = run_bench(batch_sizes=[2], length=2, steps=1, jit="off")
    assert {r["model"] for r in rows} == {"ntm", "lstm"}
    assert all(r["sequences_per_s"] > 0 and r["step_ms"] > 0 for r in rows)
    assert "ntm_over_lstm" in rows[0]
    assert "seq/s" in format_bench(rows)


def test_top_level_api():
    for name in ("NTM", "NTMCell", "trace", "train", "evaluate", "build_ntm", "build_lstm", "load_pretrained"):
        assert hasattr(ntm_core, name), name
