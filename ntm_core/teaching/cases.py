"""How the checks of notebooks 02 and 03 run their cases: strict about numerics, careful with hints.

Each :class:`Case` casts its arguments to a dtype, so the numerically hard
cases a notebook teaches run in float32, where a plain ``exp`` overflows and a
plain power underflows. :func:`check_cases` runs a student's function on the
cases in order and raises :class:`~ntm_core.teaching.checking.Failed` at the
first wrong one, with:

* the case, and the inputs' shapes when the student's code raised;
* the largest difference, where it is, and the tolerance, when values differ
  (so a difference below the printed precision is still visible);
* an input changed in place, by name, as a failure;
* at most one hint, and only one the output confirms: a case's own
  diagnoses, then "right for each sequence alone, not for the batch" (the
  batch items are re-run one by one), then a classic mistake whose output the
  student's matches on every case where both can be compared (two mistakes
  that coincide leave no hint rather than a guess).
"""

import warnings

import numpy as np

from ntm_core.teaching.checking import ATOL, RTOL, Failed, as_array, call_student, fmt

__all__ = ["Case", "check_cases", "difference", "matches", "nan_at", "right_in_float64"]


class Case:
    """A check case: arguments (cast to ``dtype``), the expected output and confirmable diagnoses.

    ``diagnoses`` are ``(confirm, hint)`` pairs; ``confirm(got, case, fn)``
    says whether the student's output ``got`` shows that mistake.
    """

    def __init__(self, label, args, expected, dtype="float64", diagnoses=()):
        self.label, self.dtype, self.diagnoses = label, dtype, list(diagnoses)
        self.args = [np.asarray(a, dtype=dtype) for a in args]
        self.expected = np.asarray(expected, dtype=np.float64)


def _shape_message(case, got):
    want = case.expected.shape
    msg = f"on {case.label}, the result has shape {got.shape}, but it should be {want}."
    if want and got.shape == want[1:]:
        msg += (" The batch axis is missing: the inputs carry a leading batch axis B,"
                " and the output must keep it.")
    elif got.ndim == len(want) + 1 and want and got.shape[0] == want[0] and got.shape[1] == want[0]:
        msg += (" It has an extra axis of size B: a matrix product such as w @ memory mixes"
                " every sequence of the batch with every other; keep each sequence to itself"
                " (broadcasting or np.einsum).")
    elif got.size == case.expected.size:
        msg += " It holds the right number of values in the wrong arrangement (a transpose or a reshape?)."
    elif want and got.ndim == len(want) and got.shape[0] == want[0]:
        msg += " Check which axis you sum or reduce over."
    return msg


def _quiet_call(fn, args):
    # The student's NaN and overflow are reported by the check; NumPy's warnings would only repeat them in red.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out, mutated = call_student(fn, args)
        return as_array(out), mutated


def matches(got, expected):
    return got.shape == expected.shape and np.all(np.isfinite(got)) and np.allclose(got, expected, rtol=RTOL, atol=ATOL)


def right_in_float64(got, case, fn):
    """Confirms a float32 failure: the same function is right on the same inputs in float64."""
    try:
        out, _ = _quiet_call(fn, [a.astype("float64") for a in case.args])
    except Exception:  # noqa: BLE001 -- any failure means the diagnosis is not confirmed
        return False
    return matches(out, case.expected)


def _right_per_sequence(fn, case):
    """True when ``fn`` is right on every sequence of a batch case run alone: the batch is the mistake."""
    batch = case.expected.shape[0] if case.expected.ndim else 1
    if batch < 2:
        return False
    try:
        for b in range(batch):
            out, _ = _quiet_call(fn, [a[b:b + 1] for a in case.args])
            if not matches(out, case.expected[b:b + 1]):
                return False
    except Exception:  # noqa: BLE001
        return False
    return True


def difference(got, expected):
    """The largest difference beyond the tolerance: its size, where it is, both values and the tolerance."""
    bound = ATOL + RTOL * np.abs(expected)
    excess = np.abs(got - expected) - bound
    where = np.unravel_index(int(np.argmax(excess)), got.shape)
    return (f"\n  largest difference {abs(got[where] - expected[where]):.2g} at index {list(map(int, where))}: "
            f"expected {expected[where]:.8g}, got {got[where]:.8g} (tolerance {ATOL:g} + {RTOL:g} × |expected|).")


def check_cases(fn, cases, names, mistakes=()):
    """Run every case; raise Failed at the first wrong one, with the confirmed hints."""
    for case in cases:
        try:
            got, mutated = _quiet_call(fn, case.args)
        except Failed as err:
            shapes = ", ".join(f"{name} {tuple(a.shape)}" for name, a in zip(names, case.args))
            raise Failed(f"on {case.label} (inputs {shapes}), {err}")
        if mutated:
            arg = names[mutated[0]]
            raise Failed(f"on {case.label}, your function changed its input `{arg}` in place. Return a new array"
                         " and leave the inputs as they are: the old values are still needed (by the gradients,"
                         " by the other heads).")
        if got.shape != case.expected.shape:
            raise Failed(_shape_message(case, got))
        if matches(got, case.expected):
            continue
        if not np.all(np.isfinite(got)):
            msg = f"on {case.label} ({case.dtype} inputs), the result contains NaN or inf: {fmt(got)}."
        else:
            msg = (f"on {case.label}, expected\n    {fmt(case.expected)}\n  but got\n    {fmt(got)}."
                   + difference(got, case.expected))
        hints = [hint for confirm, hint in case.diagnoses if _confirmed(confirm, got, case, fn)]
        if not hints:
            hints = [hint for mistake, hint in mistakes if _shows_mistake(fn, mistake, case, cases)]
        if not hints and _right_per_sequence(fn, case):
            own = ", ".join(f"{name}[b]" for name in names)
            hints.append("your function is right for each sequence of the batch alone, but not for the batch:"
                         f" item b must use only its own inputs ({own}).")
        # Two mistakes that give the same output here cannot be told apart: then no hint is confirmed.
        raise Failed(msg + (f"\n  Hint: {hints[0]}" if len(hints) == 1 else ""))
    return []


def _shows_mistake(fn, mistake, failing, cases):
    """True when ``fn`` gives the mistake's output on the failing case and on every other case it can be
    compared on (both finite), so a mistake that only coincides on one case is not blamed."""
    for case in cases:
        try:
            with np.errstate(all="ignore"):
                wrong = np.asarray(mistake(*case.args), dtype=np.float64)
            got, _ = _quiet_call(fn, case.args)
        except Exception:  # noqa: BLE001 -- a case the mistake or the answer cannot run says nothing
            if case is failing:
                return False
            continue
        comparable = got.shape == wrong.shape and np.all(np.isfinite(got)) and np.all(np.isfinite(wrong))
        if case is failing and not comparable:
            return False
        if comparable and not np.allclose(got, wrong, rtol=RTOL, atol=ATOL):
            return False
    return True


def _confirmed(confirm, got, case, fn):
    try:
        with np.errstate(all="ignore"):
            return bool(confirm(got, case, fn))
    except Exception:  # noqa: BLE001 -- a diagnosis that cannot judge this output does not apply
        return False


def nan_at(index):
    """Confirms that the output is NaN or inf at ``index`` (e.g. the zero row)."""
    return lambda got, case, fn: not np.all(np.isfinite(got[index]))
