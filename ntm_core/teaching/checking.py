"""How the notebooks check a student's answer, and how they report it.

Every check takes the student's function (or answer), runs it on a few cases
and prints a short report:

* ✅ when every case agrees with the expected values,
* ❌ with what went wrong (shape, values on a hand-worked case, the batch
  axis, a NaN, ...) and, when the answer matches a classic mistake, a hint,
* ⏳ "not done yet" while the starter code still raises ``NotImplementedError``
  or returns ``None``.

It also returns a :class:`CheckResult` (truthy when passed), and it never
raises: a notebook with unfilled exercises still runs top to bottom.

This module is the machinery; the checks themselves live beside the
notebook they serve (:mod:`~ntm_core.teaching.memory_checks` for notebook 02,
:mod:`~ntm_core.teaching.addressing_checks` for 03,
:mod:`~ntm_core.teaching.layer_checks` for 04). :func:`check_answer` checks
a number typed in answer to a question (notebooks 06-07).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "ATOL",
    "FAILED",
    "NOT_DONE",
    "PASSED",
    "RTOL",
    "Case",
    "CheckResult",
    "Failed",
    "NotDone",
    "as_array",
    "call_student",
    "check_answer",
    "finish",
    "fmt",
    "random_weighting",
    "run_check",
    "seeded",
]

PASSED, FAILED, NOT_DONE = "passed", "failed", "not done"
_ICONS = {PASSED: "✅", FAILED: "❌", NOT_DONE: "⏳"}
# Students may compute in float32; the references are float64.
RTOL, ATOL = 1e-4, 1e-6


class CheckResult:
    """The outcome of one check.

    Attributes:
        exercise: what was checked, e.g. ``"Exercise 2.1 (my_read)"``.
        status: ``PASSED``, ``FAILED`` or ``NOT_DONE``.
        message: the report (the text the check printed).

    ``bool(result)`` is True only when the check passed. The check prints its
    report itself; shown as a cell's value right after, the result stays
    quiet (so the report does not appear twice), and shows the report again
    when displayed later.
    """

    def __init__(self, exercise, status, message):
        self.exercise = exercise
        self.status = status
        self.message = message
        self._just_printed = False

    @property
    def passed(self):
        return self.status == PASSED

    @property
    def not_done(self):
        return self.status == NOT_DONE

    def __bool__(self):
        return self.passed

    def report(self):
        return f"{_ICONS[self.status]} {self.exercise}: {self.message}"

    def __str__(self):
        return self.report()

    def __repr__(self):
        return f"<CheckResult {self.exercise}: {self.status}>"

    def _ipython_display_(self):
        if self._just_printed:
            self._just_printed = False
            return
        print(self.report())


def finish(exercise, status, message, verbose=True):
    result = CheckResult(exercise, status, message)
    if verbose:
        print(result.report())
        result._just_printed = True
    return result


class NotDone(Exception):
    pass


class Failed(Exception):
    pass


def as_array(value, what="your function"):
    """The student's result as a float64 NumPy array (backend tensors too)."""
    if value is None or value is Ellipsis:
        raise NotDone()
    try:
        array = np.asarray(value, dtype=np.float64)
    except Exception:  # noqa: BLE001 -- e.g. a tensor on a device, or a list of tensors
        try:
            from keras import ops

            array = np.asarray(ops.convert_to_numpy(value), dtype=np.float64)
        except Exception as err:  # noqa: BLE001
            raise Failed(f"{what} returned a {type(value).__name__}, which is not an array of numbers ({err}).")
    return array


def call_student(fn, args):
    """Call the student's function on copies of ``args``.

    Returns (output, mutated) where ``mutated`` names inputs changed in place.
    Raises NotDone for a stub and Failed for any other exception.
    """
    if fn is None or fn is Ellipsis:
        raise NotDone()
    if not callable(fn):
        raise Failed(f"expected a function, got a {type(fn).__name__}.")
    copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    try:
        out = fn(*copies)
    except NotImplementedError:
        raise NotDone()
    except Exception as err:  # noqa: BLE001 -- the student's code may raise anything
        raise Failed(f"your function raised {type(err).__name__}: {err}")
    mutated = [i for i, (a, c) in enumerate(zip(args, copies))
               if isinstance(a, np.ndarray) and (c.shape != a.shape or not np.array_equal(a, c, equal_nan=True))]
    return out, mutated


def fmt(a, decimals=3):
    a = np.asarray(a, dtype=np.float64)
    with np.printoptions(precision=decimals, suppress=True, linewidth=100):
        return np.array2string(np.round(a, decimals), separator=", ")


class Case:
    """One test case: arguments, expected output and a description."""

    def __init__(self, label, args, expected, hint=None):
        self.label = label
        self.args = [np.asarray(a, dtype=np.float64) if not np.isscalar(a) else a for a in args]
        self.expected = np.asarray(expected, dtype=np.float64)
        self.hint = hint


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


def _run_cases(fn, cases, mistakes=(), batch_note=True):
    """Run every case; raise Failed with a helpful message at the first bad one.

    ``mistakes``: (function, hint) pairs; when the student's output matches a
    classic mistake's output, its hint is added. Returns a list of notes
    (e.g. an input changed in place) for a passing answer.
    """
    notes = []
    passed_single = False
    for case in cases:
        out, mutated = call_student(fn, case.args)
        got = as_array(out)
        if got.shape != case.expected.shape:
            raise Failed(_shape_message(case, got))
        if not np.all(np.isfinite(got)):
            msg = f"on {case.label}, the result contains NaN or inf: {fmt(got)}."
            raise Failed(msg + (f" {case.hint}" if case.hint else ""))
        if not np.allclose(got, case.expected, rtol=RTOL, atol=ATOL):
            msg = f"on {case.label}, expected\n    {fmt(case.expected)}\n  but got\n    {fmt(got)}."
            for mistake, hint in mistakes:
                try:
                    wrong = np.asarray(mistake(*case.args), dtype=np.float64)
                except Exception:  # noqa: BLE001
                    continue
                if wrong.shape == got.shape and np.allclose(got, wrong, rtol=RTOL, atol=ATOL):
                    msg += f"\n  Hint: {hint}"
                    break
            else:
                if case.hint:
                    msg += f"\n  Hint: {case.hint}"
                elif batch_note and passed_single and case.expected.ndim and case.expected.shape[0] > 1:
                    msg += ("\n  Hint: your function is right for one sequence but not for a batch:"
                            " item b of the batch must use only its own inputs (memory[b], w[b], ...).")
            raise Failed(msg)
        if case.expected.ndim and case.expected.shape[0] == 1:
            passed_single = True
        for i in mutated:
            note = (f"note: your function changed its input argument {i + 1} in place. It is better to"
                    " return a new array: the old value is still needed (by gradients, by other heads).")
            if note not in notes:
                notes.append(note)
    return notes


def verdict(exercise, body, success, verbose=True):
    """Run a check's ``body()`` and report its verdict; a check never raises.

    ``body`` raises :class:`NotDone` (the student's function is still a stub)
    or :class:`Failed` (its message names the failing case), or returns a
    list of notes to add to ``success``.
    """
    try:
        notes = body() or []
    except NotDone:
        return finish(exercise, NOT_DONE,
                       "not done yet: fill in the function above (it still raises NotImplementedError"
                       " or returns None), run its cell, then run this check again.", verbose)
    except Failed as err:
        return finish(exercise, FAILED, str(err), verbose)
    except Exception as err:  # noqa: BLE001 -- a check must never raise
        return finish(exercise, FAILED, f"could not check your answer ({type(err).__name__}: {err}).", verbose)
    message = success + "".join(f"\n  {n}" for n in notes)
    return finish(exercise, PASSED, message, verbose)


def run_check(exercise, fn, cases, success, mistakes=(), verbose=True):
    return verdict(exercise, lambda: _run_cases(fn, cases, mistakes), success, verbose)


def seeded(seed):
    return np.random.default_rng(seed)


def random_weighting(rng, batch, n):
    w = rng.random((batch, n)) ** 3
    return w / w.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------
# short answers (notebooks 06-07)
# --------------------------------------------------------------------------

def _is_unanswered(answer):
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


def check_answer(question, answer, expected, tolerance=0.0, hint=None, explanation=None):
    """Compare a number the student typed with the value the notebook computed.

    Args:
        question: a short name, e.g. ``"Question 6.1"``.
        answer: the student's answer; None (or ``...``) means not answered yet.
        expected: the correct number (computed from the trace, not hard-coded);
            None when the notebook could not compute it (then nothing is judged).
        tolerance: accepted absolute difference.
        hint: shown with a wrong answer.
        explanation: shown with a right answer.

    Returns:
        a :class:`CheckResult` (truthy when right). Shown as
        the value of a cell it prints its report. Never raises.
    """
    try:
        if _is_unanswered(answer):
            return CheckResult(question, NOT_DONE, "not done yet: type your answer above and run the cell again.")
        if expected is None:
            return CheckResult(question, NOT_DONE,
                               "cannot be checked here: the model did not show this behaviour on this sequence.")
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            try:
                answer = float(str(answer).strip())
            except ValueError:
                return CheckResult(question, FAILED, f"expected a number, got {answer!r}.")
        if not math.isfinite(float(answer)):
            return CheckResult(question, FAILED, f"expected a finite number, got {answer!r}.")
        if abs(float(answer) - float(expected)) <= float(tolerance) + 1e-9:
            message = f"right, {answer}."
            if explanation:
                message += " " + explanation
            return CheckResult(question, PASSED, message)
        message = f"{answer} is not it."
        if hint:
            message += " Hint: " + hint
        return CheckResult(question, FAILED, message)
    except Exception as err:  # noqa: BLE001 -- a check must never stop the notebook
        return CheckResult(question, FAILED, f"could not check this answer ({type(err).__name__}: {err}).")
