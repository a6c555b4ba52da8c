"""The paper's scores of a trained model at each test length.

Graves et al. (2014), section 4, report the cost in bits per sequence and
test generalisation on sequences longer than any seen in training (copy:
trained on lengths 1-20, tested on 10-120). :func:`evaluate` gives both
scores, and the share of perfectly copied sequences, at each test length on
fresh sequences; :func:`format_table` prints them. Training, the command
line, seed sweeps and the notebooks all use these two.
"""

import numpy as np

from ntm_core.metrics import bit_errors_per_sequence, bits_per_sequence
from ntm_core.tasks import as_task
from ntm_core.validation import check_int


def _eval_settings(task, lengths):
    """(label, sample kwargs) pairs for the task's test sweep."""
    if lengths is None:
        settings = getattr(task, "eval_settings", None)
        if settings:
            return [(_label(s), dict(s)) for s in settings]
        lengths = task.eval_lengths
    out = []
    for length in lengths:
        # A float or a bool is a mistake in a list of lengths, not a length.
        if isinstance(length, (bool, np.bool_)) or not isinstance(length, (int, np.integer)) or length <= 0:
            raise ValueError(f"`lengths` must be positive integers, got {length!r}.")
        out.append((int(length), {"length": int(length)}))
    return out


def _label(setting):
    return "x".join(f"{k}={v}" for k, v in setting.items()) if len(setting) > 1 else setting["length"]


def check_model_fits_task(model, task):
    """Raise ValueError when the model's input/output widths do not fit the task."""
    in_width = model.inputs[0].shape[-1] if getattr(model, "inputs", None) else None
    out_width = model.outputs[0].shape[-1] if getattr(model, "outputs", None) else None
    if in_width is not None and in_width != task.input_size:
        raise ValueError(
            f"The model expects inputs of width {in_width} but task {task.name!r} gives {task.input_size}: "
            "the checkpoint does not match this task."
        )
    if out_width is not None and out_width != task.output_size:
        raise ValueError(
            f"The model gives outputs of width {out_width} but task {task.name!r} needs {task.output_size}: "
            "the checkpoint does not match this task."
        )


def _score(model, task, setting, num_sequences, batch_size, seed, keep=False):
    """Per-sequence bits and wrong bits on the fresh sequences of one test setting.

    The sequences of length L come from ``default_rng([seed, L])``, drawn
    ``batch_size`` at a time, so :func:`evaluate` and :func:`failures` score
    the same sequences. With ``keep``, also returns the batches and predictions.
    """
    setting = dict(setting)
    length = setting.pop("length")
    if "repeats" in setting:  # repeat copy's test settings fix the repeat count too
        repeats = setting.pop("repeats")
        setting.update(min_repeats=repeats, max_repeats=repeats)
    rng = np.random.default_rng([seed, length])
    bits, errors, kept = [], [], []
    remaining = num_sequences
    while remaining > 0:
        n = min(batch_size, remaining)
        batch = task.sample(n, rng, min_length=length, max_length=length, **setting)
        pred = np.asarray(model.predict_on_batch(batch.x))
        bits.append(bits_per_sequence(batch.y, pred, batch.mask, reduce=False))
        errors.append(bit_errors_per_sequence(batch.y, pred, batch.mask, reduce=False))
        if keep:
            kept.append((batch, pred))
        remaining -= n
    return np.concatenate(bits), np.concatenate(errors), kept


def evaluate(model, task="copy", lengths=None, num_sequences=200, batch_size=50, seed=12345, task_kwargs=None):
    """The paper's metrics at each test length, on fresh sequences.

    Args:
        model: a Keras model mapping (B, T, input) to (B, T, output) probabilities.
        task: a task name (built with ``task_kwargs``) or a :class:`Task`;
            the model is tested on ``task.test_task()``, the task without
            training-only settings such as copy's ``blank_share``.
        lengths: the lengths to test (default: ``task.eval_lengths``, or the
            task's ``eval_settings`` such as repeat copy's (length, repeats)).
        num_sequences: sequences per length, drawn ``batch_size`` at a time.
        seed: the sequences of length L come from ``default_rng([seed, L])``,
            so every model is scored on the same ones.

    Returns:
        a list of rows ``{"length", "bits_per_seq", "bit_errors", "perfect"}``:
        the means over sequences of the cost in bits and of the wrong bits
        (outputs thresholded at 0.5), and the share of sequences without a
        single wrong bit.
    """
    task = as_task(task, task_kwargs).test_task()
    check_model_fits_task(model, task)
    num_sequences = check_int("num_sequences", num_sequences, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    rows = []
    for label, setting in _eval_settings(task, lengths):
        bits, errors, _ = _score(model, task, setting, num_sequences, batch_size, seed)
        rows.append(
            {
                "length": label,
                "bits_per_seq": float(bits.mean()),
                "bit_errors": float(errors.mean()),
                "perfect": float((errors == 0).mean()),
            }
        )
    return rows


def failures(model, task="copy", length=20, num_sequences=1000, batch_size=50, seed=12345, task_kwargs=None):
    """The sequences :func:`evaluate` scores at ``length`` that the model gets wrong.

    Draws the same fresh sequences as ``evaluate(..., lengths=[length])`` with
    the same ``seed``, ``num_sequences`` and ``batch_size``, so a rare failure
    a sweep's fresh check counted can be found and looked at.

    Returns:
        one dict per sequence with a wrong bit, worst first: ``index`` (its
        place among the drawn sequences), ``bit_errors``, ``first_wrong`` (the
        first recall step, counted from 0, with a wrong bit) and, for copy,
        ``blank_vectors``: the input steps whose vector is all zeros, the rare
        input that looks like the end of the sequence (notebook 06, section 7).
    """
    task = as_task(task, task_kwargs).test_task()
    check_model_fits_task(model, task)
    length = check_int("length", length, minimum=1)
    num_sequences = check_int("num_sequences", num_sequences, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    _, errors, kept = _score(model, task, {"length": length}, num_sequences, batch_size, seed, keep=True)
    x = np.concatenate([b.x for b, _ in kept])
    y = np.concatenate([b.y for b, _ in kept])
    mask = np.concatenate([b.mask for b, _ in kept]).astype(bool)
    wrong = (np.concatenate([p for _, p in kept]) > 0.5) != (y > 0.5)
    out = []
    for i in np.argsort(-errors, kind="stable"):
        if errors[i] == 0:
            break
        steps = np.flatnonzero(mask[i])  # the recall steps, in order
        row = {"index": int(i), "bit_errors": int(errors[i]),
               "first_wrong": int(np.argmax(wrong[i][steps].any(-1)))}
        if task.name == "copy":  # copy's vectors sit on steps 0..L-1, channels 0..bits-1
            row["blank_vectors"] = np.flatnonzero(~x[i, :length, : task.bits].any(-1)).tolist()
        out.append(row)
    return out


def format_table(rows):
    """Rows of :func:`evaluate` as a fixed-width text table."""
    width = max([16] + [len(str(r["length"])) for r in rows])
    lines = [f"{'length':>{width}} {'bits/seq':>10} {'bit errors':>11} {'perfect':>8}"]
    for r in rows:
        lines.append(f"{str(r['length']):>{width}} {r['bits_per_seq']:>10.3f} {r['bit_errors']:>11.3f} {r['perfect']:>8.1%}")
    return "\n".join(lines)
