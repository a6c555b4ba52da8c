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

This module is the machinery; :mod:`~ntm_core.teaching.cases` runs a
function on its cases, and the checks themselves live beside the notebook
they serve (:mod:`~ntm_core.teaching.memory_checks` for notebook 02,
:mod:`~ntm_core.teaching.addressing_checks` for 03,
:mod:`~ntm_core.teaching.layer_checks` for 04). Predictions and multiple-choice
questions are in :mod:`~ntm_core.teaching.questions`.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ATOL",
    "FAILED",
    "NOT_DONE",
    "PASSED",
    "RTOL",
    "CheckResult",
    "Failed",
    "NotDone",
    "as_array",
    "call_student",
    "finish",
    "fmt",
    "random_weighting",
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


def seeded(seed):
    return np.random.default_rng(seed)


def random_weighting(rng, batch, n):
    w = rng.random((batch, n)) ** 3
    return w / w.sum(axis=1, keepdims=True)
