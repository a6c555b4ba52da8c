"""Command line: ``python -m ntm_core {train,evaluate,bench,sweep,merge-sweeps} ...``.

Examples::

    python -m ntm_core train copy --controller lstm --steps 20000 --batch-size 32 --seed 0 --out runs/copy
    python -m ntm_core evaluate runs/copy/model.keras --lengths 10 20 30 50 80 120 --json eval.json
    python -m ntm_core bench --json bench.json
    python -m ntm_core evaluate runs/copy/model.keras --lengths 20 --sequences 1000 --failures
    python -m ntm_core sweep copy --seeds 10 --jobs 2 --steps 20000 --out runs/sweep --json runs/sweep.json
    python -m ntm_core merge-sweeps runs/sweep.json runs/sweep_11-20.json --json runs/sweep_1-20.json
"""

import argparse
import json
import sys
from pathlib import Path


def _add_train_args(p):
    """An option per training setting, its default and help taken from ``TrainConfig``."""
    from ntm_core.training.config import add_arguments

    add_arguments(p)


def _train_config(args):
    from ntm_core.training.config import from_args

    return from_args(args, args.task)


def _stage(summary):
    """One command's part of a run, from its train.json (totals are the run's so far)."""
    return {
        "command": summary.get("command"),
        "task_kwargs": summary.get("config", {}).get("task_kwargs", {}),
        "sequences_seen": summary.get("sequences_seen"),
        "wall_time_s": summary.get("wall_time_s"),
        "converged_at_sequences": summary.get("converged_at_sequences"),
        "stopped": summary.get("stopped"),
    }


def cmd_train(args, argv):
    from ntm_core.evaluation import evaluate, format_table
    from ntm_core.models import count_params
    from ntm_core.training import save_for_inference, train

    if args.save_as and args.out is None:
        raise ValueError("`--save-as` needs `--out` (the run folder with its history and logs).")
    earlier_commands, earlier_stages = [], []
    if args.resume and args.out is not None and (Path(args.out) / "train.json").exists():
        earlier = json.loads((Path(args.out) / "train.json").read_text())
        earlier_commands = earlier.get("commands", [earlier["command"]] if "command" in earlier else [])
        earlier_stages = earlier.get("stages", [_stage(earlier)] if "command" in earlier else [])
    result = train(config=_train_config(args), out=args.out, resume=args.resume)
    if args.out is not None:
        rows = evaluate(result.model, result.task, num_sequences=args.eval_sequences)
        print(format_table(rows))
        summary_path = Path(args.out) / "train.json"
        summary = json.loads(summary_path.read_text())
        summary["command"] = "python -m ntm_core " + " ".join(argv)
        # A resumed run keeps the commands that made it, in order.
        summary["commands"] = earlier_commands + [summary["command"]]
        # ... and where each of them left it: a fine-tuning stage on other data
        # shows where it began in the history.
        summary["stages"] = earlier_stages + [_stage(summary)]
        summary["evaluation"] = {"num_sequences": args.eval_sequences, "seed": 12345, "rows": rows}
        summary["parameters"] = count_params(result.model)
        summary_path.write_text(json.dumps(summary, indent=1))
        if args.save_as:
            # A shipped checkpoint: the best weights, its json (command, seed, backend,
            # machine, evaluation) beside it, and the run's learning curve.
            target = Path(args.save_as)
            target.parent.mkdir(parents=True, exist_ok=True)
            save_for_inference(result.model, target)
            summary["history"] = [
                {k: r[k] for k in ("step", "sequences", "time", "loss", "val_bits_per_seq", "val_bit_errors", "max_length")}
                for r in result.history
            ]
            target.with_suffix(".json").write_text(json.dumps(summary, indent=1))
            print(f"saved {target} and {target.with_suffix('.json')}")
    return 0 if result.stopped != "nan" else 1


def _evaluate_memory_sizes(args, argv, model, task, task_kwargs):
    """``evaluate --memory-size``: the checkpoint resized to each N (ntm_core.resize), same sequences for every N."""
    from ntm_core.resize import evaluate_memory_sizes

    if not args.lengths:
        raise ValueError("`--memory-size` needs `--lengths`.")
    counts = args.sequences[0] if len(args.sequences) == 1 else args.sequences
    rows = evaluate_memory_sizes(model, args.memory_size, args.lengths, counts, task=task, seed=args.seed, task_kwargs=task_kwargs)
    print(f"{task}: {args.checkpoint}")
    print(f"{'N':>6} {'length':>7} {'sequences':>9} {'bit errors':>11} {'perfect':>8}")
    for r in rows:
        print(f"{r['memory_size']:>6} {r['length']:>7} {r['num_sequences']:>9} {r['bit_errors']:>11.3f} {r['perfect']:>8.1%}")
    if args.json:
        result = {"command": "python -m ntm_core " + " ".join(argv), "checkpoint": str(args.checkpoint), "task": task}
        result.update(seed=args.seed, memory_sizes=args.memory_size, lengths=args.lengths, rows=rows)
        Path(args.json).write_text(json.dumps(result, indent=1))
    return 0


def _list_failures(args, model, task, task_kwargs):
    """``evaluate --failures``: the wrongly copied sequences among those ``evaluate`` scores."""
    from ntm_core.evaluation import failures

    found = {}
    for length in args.lengths or [20]:
        rows = failures(model, task, length=length, num_sequences=args.sequences, seed=args.seed, task_kwargs=task_kwargs)
        found[length] = rows
        print(f"length {length}: {len(rows)} of {args.sequences} sequences with a wrong bit")
        if rows and "blank_vectors" in rows[0]:
            print(f"  {sum(bool(r['blank_vectors']) for r in rows)} of them hold an all-zero input vector")
        for r in rows:
            extra = f", blank vectors at {r['blank_vectors']}" if r.get("blank_vectors") else ""
            print(f"  sequence {r['index']}: {r['bit_errors']} wrong bits from recall step {r['first_wrong']}{extra}")
    if args.json:
        Path(args.json).write_text(json.dumps({"checkpoint": str(args.checkpoint), "task": task, "seed": args.seed,
                                               "failures": found}, indent=1))
    return 0


def cmd_evaluate(args, argv):
    from ntm_core.evaluation import evaluate, format_table
    from ntm_core.training import load_checkpoint

    model, info = load_checkpoint(args.checkpoint)
    config = info.get("config", {})
    task = args.task or config.get("task")
    if task is None:
        raise SystemExit("error: the checkpoint has no json naming its task; pass --task")
    # The task as the checkpoint was trained on it (e.g. repeat copy's training counts).
    task_kwargs = config.get("task_kwargs") if task == config.get("task") else None
    if args.memory_size:
        return _evaluate_memory_sizes(args, argv, model, task, task_kwargs)
    if len(args.sequences) > 1:
        raise ValueError("several `--sequences` counts (one per length) need `--memory-size`.")
    args.sequences = args.sequences[0]
    if args.failures:
        return _list_failures(args, model, task, task_kwargs)
    rows = evaluate(model, task, lengths=args.lengths, num_sequences=args.sequences, seed=args.seed, task_kwargs=task_kwargs)
    print(f"{task}: {args.checkpoint}")
    print(format_table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps({"checkpoint": str(args.checkpoint), "task": task, "rows": rows}, indent=1))
    return 0


def cmd_bench(args, argv):
    from ntm_core.training import accelerator
    from ntm_core.training.bench import format_bench, run_bench

    device = accelerator()
    print(f"Timing training steps on {device}.")
    rows = run_bench(batch_sizes=args.batch_sizes, length=args.length, steps=args.steps, jit=args.jit)
    for row in rows:
        row["device"] = device
    print(format_bench(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


def cmd_sweep(args, argv):
    from ntm_core.training.sweep import format_sweep, run_sweep

    command = "python -m ntm_core " + " ".join(argv)
    result = run_sweep(
        args.task, seeds=args.seeds, first_seed=args.seed, out=args.out, json_path=args.json, command=command,
        fresh_sequences=args.fresh_sequences, jobs=args.jobs, **_train_config(args).train_kwargs()
    )
    print(format_sweep(result))
    return 0


def cmd_merge_sweeps(args, argv):
    from ntm_core.training.sweep import format_sweep, merge_sweeps

    result = merge_sweeps([json.loads(Path(path).read_text()) for path in args.parts])
    Path(args.json).write_text(json.dumps(result, indent=1))
    print(format_sweep(result))
    return 0


def main(argv=None):
    from ntm_core.training.config import TrainConfig

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m ntm_core", description="Neural Turing Machine experiments.")
    sub = parser.add_subparsers(dest="command", required=True)

    # Each option's help shows its default: TrainConfig's, the one place it is written.
    p = sub.add_parser("train", help="train a model on a task", formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("task")
    p.add_argument("--seed", type=int, default=TrainConfig.seed)
    p.add_argument("--out", default=None, help="folder for checkpoints, history.json and TensorBoard logs")
    p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.keras")
    p.add_argument("--save-as", default=None, help="also save the best model here with a json of how it was made")
    p.add_argument("--eval-sequences", type=int, default=200, help="sequences per length in the final evaluation")
    _add_train_args(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="bits/seq and bit errors per test length")
    p.add_argument("checkpoint")
    p.add_argument("--task", default=None, help="defaults to the task in the checkpoint's json")
    p.add_argument("--lengths", type=int, nargs="+", default=None)
    p.add_argument("--sequences", type=int, nargs="+", default=[200], help="per length: one count, or one per length")
    p.add_argument("--seed", type=int, default=12345)
    p.add_argument("--json", default=None)
    p.add_argument(
        "--memory-size", type=int, nargs="+", default=None, metavar="N", help="resize the NTM's memory to each N first"
    )
    p.add_argument("--failures", action="store_true",
                   help="list the sequences with a wrong bit instead (worst first; copy: with their blank vectors)")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("bench", help="training throughput of the NTM against an LSTM")
    p.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 8, 32], help="batch sizes to time (training uses 32)")
    p.add_argument("--length", type=int, default=20, help="copy length (2L+1 steps)")
    p.add_argument("--steps", type=int, default=10, help="timed steps per configuration")
    p.add_argument("--jit", choices=["both", "on", "off"], default="both")
    p.add_argument("--json", default=None)
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("sweep", help="train several seeds, report how many converge",
                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("task")
    p.add_argument("--seeds", type=int, default=10, help="number of seeds")
    p.add_argument("--fresh-sequences", type=int, default=1000,
                   help="after training, score each seed on this many fresh sequences (0: skip)")
    p.add_argument("--seed", type=int, default=TrainConfig.seed, help="first seed")
    p.add_argument("--jobs", type=int, default=1, help="seeds trained at a time, each in its own process")
    p.add_argument("--out", default=None)
    p.add_argument("--json", default=None)
    _add_train_args(p)
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("merge-sweeps", help="merge sweep jsons of one recipe (say seeds 1-10 and 11-20) into one")
    p.add_argument("parts", nargs="+", help="the sweeps' json files")
    p.add_argument("--json", required=True, help="where to write the merged sweep")
    p.set_defaults(func=cmd_merge_sweeps)

    args = parser.parse_args(argv)
    try:
        return args.func(args, argv)
    except (ValueError, TypeError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
