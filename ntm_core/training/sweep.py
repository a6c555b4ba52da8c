"""Seed sweeps: how reliably does a configuration converge?

``python -m ntm_core sweep copy --seeds 10`` trains one model per seed with
:func:`ntm_core.training.train` and reports how many converged and after how
many sequences (median and spread).

A run's own validation set (128 sequences) can miss a rare total failure, so
after training every seed is also judged on ``fresh_sequences`` sequences of
its full training length that no run of the sweep ever sees (their seed is
``FRESH_SEED``, which training, validation and :func:`evaluate`'s default do
not use): a seed has *converged on fresh data* when its mean bit errors there
are under the run's ``converge_bit_errors``.
"""

import contextlib
import json
import multiprocessing
import os
import signal
import threading
from pathlib import Path

import numpy as np

from ntm_core.evaluation import evaluate
from ntm_core.training.machine import accelerator
from ntm_core.training.trainer import train
from ntm_core.validation import check_int

# The fresh sequences of length L come from default_rng([FRESH_SEED, L]): the
# same for every seed and every sweep, so sweeps compare on one test set.
FRESH_SEED = 271_828_183


def run_sweep(
    task="copy",
    seeds=10,
    first_seed=0,
    out=None,
    json_path=None,
    command=None,
    generalisation_lengths=(20, 30, 50),
    fresh_sequences=1000,
    jobs=1,
    **train_kwargs,
):
    """Train ``seeds`` runs (seeds first_seed, first_seed+1, ...).

    ``train_kwargs`` are :func:`train`'s settings (``TrainConfig`` fields and
    the NTM's sizes); the sweep's json records them as ``"train_kwargs"``.
    Returns a dict with one row per seed (``seed``, ``converged_at``,
    ``first_converged_time_s``: the wall time, compilation included, of the
    first converged validation; ``stopped``, ``wall_time_s``,
    ``final_val_bit_errors``) and a summary.
    Each converged run is also evaluated at ``generalisation_lengths`` (50
    fresh sequences each, on the task it trained on), so the sweep shows how many seeds learned an
    algorithm that carries over to longer sequences.
    Every run, converged or not, is then scored on ``fresh_sequences``
    sequences of its full training length (``"fresh"``: bit errors, perfect
    share, bits; 0 skips it) and ``"converged_fresh"`` says whether it passed.
    With ``json_path`` the result so far is written after every seed, so a
    long sweep that is stopped still leaves its finished seeds behind.

    ``jobs`` > 1 trains that many runs at a time, each in its own process
    (consecutive seeds split into ``jobs`` parts, each part's json written
    beside ``json_path`` until they are merged): on a GPU, or a CPU with
    cores to spare. Each seed's data and weights depend on its seed only, so
    the runs are the same as one after another; their wall times are not.
    """
    seeds = check_int("seeds", seeds, minimum=1)
    jobs = check_int("jobs", jobs, minimum=1)
    if jobs > 1 and seeds > 1:
        settings = dict(task=task, out=out, command=command, generalisation_lengths=generalisation_lengths,
                        fresh_sequences=fresh_sequences, **train_kwargs)
        return _run_in_parts(settings, seeds, first_seed, min(jobs, seeds), json_path)
    runs = []
    for seed in range(first_seed, first_seed + seeds):
        run_out = None if out is None else f"{out}/seed_{seed}"
        result = train(task, seed=seed, out=run_out, verbose=0, **train_kwargs)
        last = result.history[-1] if result.history else {}
        # Converging at the training lengths is half the story: the paper's claim
        # is that the learned algorithm carries over to longer sequences.
        generalisation = (
            evaluate(result.model, result.task, lengths=generalisation_lengths, num_sequences=50)
            if result.converged_at is not None and generalisation_lengths
            else None
        )
        fresh = None
        if fresh_sequences:
            fresh = evaluate(result.model, result.task, lengths=[result.config["max_length"]],
                             num_sequences=fresh_sequences, seed=FRESH_SEED)[0]
            fresh["sequences"] = fresh_sequences
        runs.append(
            {
                "seed": seed,
                "converged_at": result.converged_at,
                "first_converged_time_s": next((r["time"] for r in result.history if r.get("converged")), None),
                "stopped": result.stopped,
                "wall_time_s": round(result.wall_time, 1),
                "final_val_bit_errors": last.get("val_bit_errors"),
                "best_val_bit_errors": min((r["val_bit_errors"] for r in result.history), default=None),
                "rollbacks": sum(1 for r in result.history if r.get("rolled_back")),
                "generalisation": generalisation,
                "sequences_seen": last.get("sequences"),
                "fresh": fresh,
                "converged_fresh": None if fresh is None else fresh["bit_errors"] < result.config["converge_bit_errors"],
                "history": [
                    {k: r[k] for k in ("sequences", "time", "val_bit_errors", "val_bits_per_seq", "max_length")}
                    for r in result.history
                ],
            }
        )
        if json_path is not None:
            partial = _summarise(task, runs, seeds, train_kwargs, command)
            Path(json_path).write_text(json.dumps(partial, indent=1))
        print(
            f"seed {seed}: converged at {result.converged_at} sequences, stopped: {result.stopped}, "
            f"{result.wall_time:.0f}s" + ("" if fresh is None else f", {fresh['bit_errors']:.3f} bit errors on fresh data"),
            flush=True,
        )
    return _summarise(task, runs, seeds, train_kwargs, command)


def device_name():
    """Where a sweep ran, as docs/results.md names it: ``"2-core CPU"`` or the GPU's name."""
    where = accelerator()
    return f"{os.cpu_count()}-core CPU" if where == "cpu" else where.split(": ", 1)[-1]


@contextlib.contextmanager
def _sigterm_exits():
    """Within the block, SIGTERM raises SystemExit, so ``with`` blocks unwind."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a signal handler
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_in_parts(settings, seeds, first_seed, jobs, json_path):
    """:func:`run_sweep` over ``jobs`` processes, one part of the seeds each, merged."""
    parts = np.array_split(np.arange(first_seed, first_seed + seeds), jobs)
    part_paths = [None if json_path is None else f"{json_path}.seeds{p[0]}-{p[-1]}.json" for p in parts]
    # Several JAX processes on one GPU: each takes memory as it needs it, instead
    # of three quarters of the GPU at start-up. Other backends ignore it.
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    # spawn: a fresh interpreter per part (a forked TensorFlow or JAX runtime can hang).
    context = multiprocessing.get_context("spawn")
    # Leaving the Pool's block terminates its workers, also when the sweep is
    # stopped: without that, a `kill` of the sweep leaves its parts training.
    with _sigterm_exits(), context.Pool(jobs) as pool:
        parts_done = [pool.apply_async(run_sweep, kwds=dict(seeds=len(p), first_seed=int(p[0]), json_path=path,
                                                             **settings))
                      for p, path in zip(parts, part_paths)]
        result = merge_sweeps([part.get() for part in parts_done])
    if json_path is not None:
        Path(json_path).write_text(json.dumps(result, indent=1))
        for path in part_paths:
            Path(path).unlink(missing_ok=True)
    return result


def merge_sweeps(results):
    """One sweep from parts of one recipe (say seeds 1-10 and 11-20), runs in seed order.

    Raises ValueError when the parts differ in task or training settings, or
    share a seed. The merged ``"command"`` is the parts' command, or the list
    of their different commands in seed order.
    """
    if not results:
        raise ValueError("`results` must hold at least one sweep, got none.")
    # Parts in seed order, so the merged commands are too, whatever order they came in.
    results = sorted(results, key=lambda r: min((run["seed"] for run in r["runs"]), default=0))
    first = results[0]
    task = first["summary"]["task"]
    for other in results[1:]:
        if other["summary"]["task"] != task or other["train_kwargs"] != first["train_kwargs"]:
            raise ValueError(
                "`results` must be sweeps of one recipe: "
                f"{other['summary']['task']!r} with {other['train_kwargs']} differs from {task!r} with {first['train_kwargs']}."
            )
    runs = sorted((run for r in results for run in r["runs"]), key=lambda run: run["seed"])
    seen = [run["seed"] for run in runs]
    if len(set(seen)) != len(seen):
        raise ValueError(f"`results` must not share a seed, got seeds {seen}.")
    commands = []
    for r in results:
        for c in r["command"] if isinstance(r["command"], list) else [r["command"]]:
            if c not in commands:
                commands.append(c)
    command = commands[0] if len(commands) == 1 else commands
    # Planned: the seeds the parts set out to train (first seed onwards), counted once; a
    # part stopped early and restarted at a later seed plans some of the same ones.
    planned = set().union(*(range(r["runs"][0]["seed"], r["runs"][0]["seed"] + r["summary"]["seeds"])
                            for r in results if r["runs"]), seen)
    # Where the parts ran, not where they are merged.
    merged = _summarise(task, runs, len(planned), first["train_kwargs"], command, device=None)
    devices = sorted({r["device"] for r in results if "device" in r})
    if devices:
        merged["device"] = " and ".join(devices)
    return merged


def _summarise(task, runs, seeds, train_kwargs, command, device=True):
    """The sweep's json; ``device``: True records this machine, None records none."""
    done = [r["converged_at"] for r in runs if r["converged_at"] is not None]
    summary = {
        "task": task,
        "seeds": seeds,
        "finished": len(runs),
        "converged": len(done),
        "median_sequences": float(np.median(done)) if done else None,
        "min_sequences": min(done) if done else None,
        "max_sequences": max(done) if done else None,
        "median_wall_time_s": float(np.median([r["wall_time_s"] for r in runs])) if runs else None,
        "first_converged_times_s": sorted(r["first_converged_time_s"] for r in runs if r.get("first_converged_time_s") is not None),
        "converged_fresh": sum(1 for r in runs if r.get("converged_fresh")),
    }
    result = {"summary": summary, "runs": runs, "train_kwargs": dict(train_kwargs), "command": command}
    if device:
        result["device"] = device_name()
    return result


def format_sweep(result):
    s = result["summary"]
    lines = [f"{'seed':>5} {'converged at (seqs)':>20} {'first at s':>11} {'stopped':>10} {'wall s':>8} {'rollbacks':>10}"
             f" {'fresh errors':>13}"]
    for r in result["runs"]:
        rollbacks = r.get("rollbacks", "-")  # sweeps made before the rollback existed have none
        first = r.get("first_converged_time_s")
        first = "-" if first is None else f"{first:.0f}"
        fresh = "-" if not r.get("fresh") else f"{r['fresh']['bit_errors']:.3f}"
        lines.append(
            f"{r['seed']:>5} {str(r['converged_at']):>20} {first:>11} {r['stopped']:>10} {r['wall_time_s']:>8.0f} {rollbacks:>10}"
            f" {fresh:>13}"
        )
    lines.append(
        f"{s['converged']}/{s['finished']} finished seeds converged ({s['seeds']} planned); sequences to converge: median {s['median_sequences']}, "
        f"range {s['min_sequences']}-{s['max_sequences']}"
    )
    if any(r.get("fresh") for r in result["runs"]):
        n = next(r["fresh"]["sequences"] for r in result["runs"] if r.get("fresh"))
        lines.append(f"{s['converged_fresh']}/{s['finished']} under the threshold on {n} fresh sequences after training")
    return "\n".join(lines)
