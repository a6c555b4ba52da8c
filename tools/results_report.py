"""Write the generated tables of docs/results.md from the data files.

    python tools/results_report.py          # rewrite the generated blocks in place
    python tools/results_report.py --check  # exit 1 if a block differs from its data

docs/results.md is prose around blocks marked

    <!-- BEGIN GENERATED: NAME -->  ...  <!-- END GENERATED: NAME -->

Each block is a table made here from ``data/pretrained/*.json`` (the
checkpoints' own records) or ``data/results/*.json`` (sweeps, benches,
measurements), so a figure in a table cannot drift from its file:
tests/test_results_report.py runs ``--check``. Prose outside the blocks
interprets the tables and quotes no figure that a file holds.
"""

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
RESULTS_MD = REPO / "docs" / "results.md"
BLOCK = re.compile(r"(<!-- BEGIN GENERATED: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- END GENERATED: (?P=name) -->)", re.S)
GOAL_S = 180  # the 3-minute goal a copy run should converge within, on the 2-core CPU


def _load(path):
    return json.loads(Path(path).read_text())


def _num(x, digits=2):
    if x is None:
        return "–"
    if isinstance(x, int) or (float(x).is_integer() and abs(x) >= 100):
        return f"{int(x):,}"
    return f"{x:,.{digits}f}"


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def checkpoints():
    """One row per shipped checkpoint: how it was trained and its evaluation."""
    rows = []
    for path in sorted((DATA / "pretrained").glob("*.json")):
        info = _load(path)
        config = info.get("config", {})
        if config.get("model") == "lstm":
            model = f"LSTM {config.get('lstm_layers')} × {config.get('lstm_units')}"
        else:
            model = f"NTM, {config.get('controller', 'lstm').upper()} controller, {config.get('preset')} preset"
        evaluation = info.get("evaluation", {})
        if config.get("task") == "ngrams":  # a prediction task: its cost is the figure, not wrong bits
            errors = ", ".join(f"{r['bits_per_seq']:.1f} bits per sequence @ {r['length']}" for r in evaluation.get("rows", []))
        else:
            errors = ", ".join(f"{_num(r['bit_errors'])} @ {r['length']}" for r in evaluation.get("rows", []))
        rows.append(
            [
                f"`{path.stem}`",
                model,
                _num(info.get("parameters", {}).get("total")),
                _num(info.get("sequences_seen")),
                _num(info.get("converged_at_sequences")),
                f"{info['wall_time_s'] / 60:.1f}" if info.get("wall_time_s") else "–",
                len(info.get("stages", [])) or 1,
                info.get("machine", {}).get("backend", "–"),
                f"{errors} ({evaluation.get('num_sequences', '?')} sequences each)",
            ]
        )
    header = ["checkpoint", "model", "parameters", "sequences seen", "converged after", "minutes", "commands", "backend", "bit errors per sequence @ length (n-grams: cost)"]
    return _table(header, rows)


def _sweep_row(name, sweep):
    runs = sweep.get("runs", [])
    converged = [r for r in runs if r.get("converged_at") is not None]
    times = sorted(r["first_converged_time_s"] for r in converged if r.get("first_converged_time_s") is not None)
    within = sum(t <= GOAL_S for t in times) if times else None
    sequences = [r["converged_at"] for r in converged]
    seeds = [r["seed"] for r in runs]
    rollbacks = [r.get("rollbacks") for r in runs if r.get("rollbacks") is not None]
    device = sweep.get("device", "2-core CPU")
    return [
        f"`{name}`",
        device.split(" (")[0].split(",")[0],
        _seed_ranges(seeds),
        f"{len(converged)} of {len(runs)}",
        f"{within} of {len(runs)}" if within is not None and "CPU" in device else "–",
        f"{times[0]:.0f}–{times[-1]:.0f}" if times else "–",
        _num(statistics.median(sequences)) if sequences else "–",
        sum(rollbacks) if rollbacks else "–",
    ]


def sweeps():
    """One row per copy seed sweep: seeds converged, within the 3-minute goal, sequences needed."""
    rows = []
    for path in sorted((DATA / "results").glob("copy_sweep*.json")):
        sweep = _load(path)
        if "summary" in sweep:
            rows.append(_sweep_row(path.stem, sweep))
    header = ["sweep", "device", "seeds", "converged", f"within {GOAL_S} s", "seconds to first convergence", "median sequences to converge", "rollbacks"]
    return _table(header, rows)


def _quiet_rate():
    """Median sequences per second of the seeds of the quiet 2-core CPU sweeps of today's recipe
    (``copy_sweep*`` without a suffix but the seeds), first validation to last: compilation excluded."""
    rates = []
    for name in ("copy_sweep", "copy_sweep_seeds11-20"):
        for run in _load(DATA / "results" / f"{name}.json")["runs"]:
            first, last = run["history"][0], run["history"][-1]
            if last["time"] > first["time"]:
                rates.append((last["sequences"] - first["sequences"]) / (last["time"] - first["time"]))
    return statistics.median(rates)


def _seed_ranges(seeds):
    """``[1, 2, 3, 4, 11, 12]`` -> ``"1–4, 11–12"``: a sweep stopped part-way has gaps."""
    if not seeds:
        return "–"
    seeds, ranges = sorted(seeds), []
    start = prev = seeds[0]
    for seed in seeds[1:] + [None]:
        if seed is None or seed != prev + 1:
            ranges.append(f"{start}–{prev}" if prev > start else f"{start}")
            start = seed
        prev = seed
    return ", ".join(ranges)


def _training_data(kwargs):
    """A fresh sweep's training data in words: its blank vectors and curriculum."""
    task_kwargs = kwargs.get("task_kwargs", {})
    parts = []
    if task_kwargs.get("blank_share"):
        parts.append(f"{task_kwargs['blank_share']:.0%} with a blank vector")
    if task_kwargs.get("blank_rate"):
        parts.append(f"each vector blank with probability {task_kwargs['blank_rate']:g}")
    if kwargs.get("curriculum"):
        parts.append(f"lengths from 1–{kwargs.get('curriculum_start') or 'default'} up (curriculum)")
    return ", ".join(parts) or "the paper's"


def _fresh_row(name, sweep):
    runs = sweep.get("runs", [])
    kwargs = sweep.get("train_kwargs", {})
    batch = kwargs.get("batch_size", 32)
    budget = kwargs.get("steps", 0) * batch
    on_validation = [r["converged_at"] for r in runs if r.get("converged_at") is not None]
    passed = sum(1 for r in runs if r.get("converged_fresh"))
    fresh = next((r["fresh"]["sequences"] for r in runs if r.get("fresh")), None)
    left = ", ".join(f"{r['seed']}: {_num(r['fresh']['bit_errors'])}" for r in runs
                     if r.get("fresh") and not r.get("converged_fresh"))
    seeds = [r["seed"] for r in runs]
    patience = kwargs["patience"]  # every sweep records its train() arguments
    seconds = kwargs.get("max_seconds")
    return [
        f"`{name}`",
        ("logits" if kwargs.get("from_logits") else "probabilities")
        + (f", rate warmed up over {kwargs['warmup']} batches" if kwargs.get("warmup") else ""),
        _training_data(kwargs),
        f"after {patience} converged validations" if patience else "never: the whole budget",
        _seed_ranges(seeds),
        _num(budget) + (f" in batches of {batch}" if batch != 32 else "")
        + (f" or {seconds:g} s of training" if seconds else ""),
        f"{len(on_validation)} of {len(runs)}",
        f"**{passed} of {len(runs)}** ({_num(fresh)} sequences)",
        _num(statistics.median(on_validation)) if on_validation else "–",
        left or "none",
        sum(r.get("rollbacks", 0) for r in runs),
    ]


def fresh_sweeps():
    """The copy sweeps judged after training on fresh sequences (``copy_fresh_*.json``)."""
    rows = [_fresh_row(path.stem, _load(path)) for path in sorted((DATA / "results").glob("copy_fresh_*.json"))]
    header = ["sweep", "loss (learning-rate warm-up)", "training data", "stops", "seeds", "sequences each (budget)", "converged on validation",
              "under 0.1 bit errors on fresh data", "median sequences to first convergence",
              "seeds left: fresh bit errors per sequence", "rollbacks"]
    rate = _quiet_rate()
    note = (f"\nOn the quiet 2-core CPU, today's recipe trained at {rate:.0f} sequences per second "
            f"(median over the seeds of `copy_sweep` and `copy_sweep_seeds11-20`, compilation excluded): "
            f"3 minutes are about {rate * (GOAL_S - 15):,.0f} sequences after 15 s of compilation.\n")
    return _table(header, rows) + note


def sweep_commands():
    """The command of every sweep, so each one can be rerun."""
    lines = []
    for path in sorted((DATA / "results").glob("copy_sweep*.json")) + sorted((DATA / "results").glob("copy_fresh_*.json")):
        sweep = _load(path)
        command = sweep.get("command")
        if command:
            lines.append(f"- `{path.stem}`: `{command}`")
    return "\n".join(lines) + "\n"


def bench():
    """The training-step bench of every backend and device, NTM against the LSTM baseline."""
    rows = []
    for path in sorted((DATA / "results").glob("bench_*.json")):
        entries = _load(path)
        lstm = {(e["batch_size"], e["jit_compile"]): e for e in entries if e["model"] != "ntm"}
        for e in entries:
            if e["model"] != "ntm":
                continue
            other = lstm.get((e["batch_size"], e["jit_compile"]))
            rows.append(
                [
                    f"`{path.stem}`",
                    e["backend"],
                    e.get("device", "2-core CPU").split(" (")[0],
                    e["batch_size"],
                    "on" if e["jit_compile"] else "off",
                    f"{e['step_ms']:.1f}",
                    _num(e["sequences_per_s"], 0),
                    f"{other['step_ms']:.1f}" if other else "–",
                    f"{e['ntm_over_lstm']:.1f}×" if e.get("ntm_over_lstm") else "–",
                ]
            )
    header = ["file", "backend", "device", "batch", "XLA", "NTM step (ms)", "NTM sequences/s", "LSTM step (ms)", "NTM / LSTM"]
    return _table(header, rows)


def _errors(x):
    return f"{x:.3f}" if x < 1 else f"{x:,.1f}"


def copy_contrast():
    """The paper's copy contrast from the checkpoints' own evaluations: NTM and LSTM side by side.

    Bit errors per sequence (share of perfect copies) at each test length;
    the header says how many fresh sequences each evaluation used.
    """
    names = ("copy_ntm", "copy_lstm")
    evaluations = {name: _load(DATA / "pretrained" / f"{name}.json")["evaluation"] for name in names}
    by_length = {name: {r["length"]: r for r in ev["rows"]} for name, ev in evaluations.items()}
    lengths = sorted({length for rows in by_length.values() for length in rows})
    table = []
    for length in lengths:
        cells = []
        for name in names:
            r = by_length[name].get(length)
            cells.append(f"{_errors(r['bit_errors'])} ({r['perfect']:.1%})" if r else "–")
        table.append([length] + cells)
    header = ["length"] + [f"`{name}` ({evaluations[name]['num_sequences']:,} sequences, seed {evaluations[name]['seed']})"
                           for name in names]
    return _table(header, table)


def resized():
    """copy_ntm with its memory enlarged: bit errors per sequence (perfect share) by length and N."""
    record = _load(DATA / "results" / "copy_ntm_resized.json")
    rows = {(r["length"], r["memory_size"]): r for r in record["rows"]}
    sizes = sorted({n for _, n in rows})
    table = []
    for length in sorted({l for l, _ in rows}):
        counts = {rows[(length, n)]["num_sequences"] for n in sizes if (length, n) in rows}
        cells = []
        for n in sizes:
            r = rows.get((length, n))
            cells.append(f"{_num(r['bit_errors'])} ({r['perfect']:.1%})" if r else "–")
        table.append([f"{length:,} ({'/'.join(map(str, sorted(counts)))} sequences)"] + cells)
    return _table(["length"] + [f"N = {n:,}" for n in sizes], table) + f"\nCommand: `{record['command']}`\n"


def lab_path():
    """The 90-minute lab path's compute time (tools/lab_path.py time)."""
    record = _load(DATA / "results" / "lab_path.json")
    rows = [(b["notebook"], ", ".join(f"§{n}" for n in b["sections"]), _num(b["wall_s"], 1), _num(b["cpu_s"], 1))
            for b in record["blocks"]]
    rows.append(("**all**", "", f"**{_num(record['wall_s'], 1)}**", f"**{_num(record['cpu_s'], 1)}**"))
    return (_table(["notebook", "sections", "wall time (s)", "kernel CPU time (s)"], rows)
            + f"\nLeaves {_num(record['minutes_left'], 1)} of 90 minutes for reading and exercises. "
            f"Measured on {record['cpu_count']} CPU cores, load average {_num(record['load_average'], 1)} "
            "at the start.\n")


GENERATORS = {"lab-path": lab_path, "resized": resized, "checkpoints": checkpoints, "copy-contrast": copy_contrast, "sweeps": sweeps, "fresh-sweeps": fresh_sweeps, "sweep-commands": sweep_commands, "bench": bench}


def render(text):
    """``text`` with every generated block rewritten; KeyError names an unknown block."""

    def fill(match):
        name = match["name"]
        if name not in GENERATORS:
            raise KeyError(f"docs/results.md has a block {name!r}; known: {sorted(GENERATORS)}")
        return match.group(1) + GENERATORS[name]() + match.group(4)

    return BLOCK.sub(fill, text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/results.md differs from its data")
    args = parser.parse_args(argv)
    text = RESULTS_MD.read_text()
    new = render(text)
    if args.check:
        if new != text:
            print("docs/results.md is out of date with data/: run `python tools/results_report.py`", file=sys.stderr)
            return 1
        return 0
    RESULTS_MD.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
