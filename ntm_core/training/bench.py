"""Training-speed benchmark: the copy NTM against a Keras LSTM of the same width.

``python -m ntm_core bench`` prints sequences per second and the one-off
compile time for each configuration, on the current Keras backend. It
prints figures; no test asserts on them (timings depend on the machine).
"""

import time

import keras
import numpy as np

from ntm_core.models import build_lstm, build_ntm
from ntm_core.tasks import copy_batch
from ntm_core.training.optimizers import compile_model


def _time_training(model, x, y, w, steps):
    start = time.perf_counter()
    model.train_on_batch(x, y, sample_weight=w)  # first call traces and compiles
    compile_s = time.perf_counter() - start
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        model.train_on_batch(x, y, sample_weight=w)
        times.append(time.perf_counter() - start)
    return compile_s, float(np.median(times))


def run_bench(batch_sizes=(1, 8, 32), length=20, steps=10, jit="both", seed=0):
    """Time training steps of the copy NTM and an LSTM(100) on copy batches.

    Returns rows ``{"model", "batch_size", "jit_compile", "step_ms",
    "sequences_per_s", "first_step_s", "ntm_over_lstm"}``.
    """
    backend = keras.backend.backend()
    jit_options = {"both": [False, True], "on": [True], "off": [False]}[jit]
    if backend == "torch":
        # XLA is not available to PyTorch; torch.compile of a Python-level
        # recurrent loop costs minutes here, so the bench runs it eagerly.
        jit_options = [False]
    rows = []
    for batch_size in batch_sizes:
        batch = copy_batch(batch_size, length, rng=seed)
        for jit_compile in jit_options:
            timings = {}
            for name, build in (("ntm", lambda: build_ntm("copy")), ("lstm", lambda: build_lstm("copy", units=100, layers=1))):
                keras.utils.set_random_seed(seed)
                model = compile_model(build(), jit_compile=jit_compile)
                first, step = _time_training(model, batch.x, batch.y, batch.mask, steps)
                timings[name] = step
                rows.append(
                    {
                        "backend": backend,
                        "model": name,
                        "batch_size": batch_size,
                        "length": length,
                        "jit_compile": jit_compile,
                        "step_ms": round(step * 1000, 2),
                        "sequences_per_s": round(batch_size / step, 1),
                        "first_step_s": round(first, 2),
                    }
                )
            rows[-2]["ntm_over_lstm"] = round(timings["ntm"] / timings["lstm"], 2)
    return rows


def format_bench(rows):
    lines = [f"{'backend':>10} {'model':>5} {'batch':>5} {'jit':>5} {'step ms':>9} {'seq/s':>8} {'first step s':>12} {'NTM/LSTM':>8}"]
    for r in rows:
        ratio = f"{r['ntm_over_lstm']:.1f}x" if "ntm_over_lstm" in r else ""
        lines.append(
            f"{r['backend']:>10} {r['model']:>5} {r['batch_size']:>5} {str(r['jit_compile']):>5} "
            f"{r['step_ms']:>9.1f} {r['sequences_per_s']:>8.1f} {r['first_step_s']:>12.2f} {ratio:>8}"
        )
    return "\n".join(lines)
