"""Predict-then-run and multiple-choice questions for the notebooks.

A prediction is recorded *before* the experiment runs and compared after it,
with the value the notebook's code computed::

    my_prediction = ...                      # the slot that will hold most weight
    predict("Exercise 3.2", my_prediction)   # records it (⏳ while it is ...)
    # ... the cell that runs the experiment ...
    check_prediction("Exercise 3.2", int(np.argmax(w_shifted)),
                     mistakes=[(lambda p: p == start - 1, "you shifted backwards: ...")])

A hint is printed only when its diagnosis matches the answer (a value,
compared within the tolerance, or a callable ``answer -> bool``), so a hint
never guesses at a mistake the student did not make and never names the
answer. Like every check, these never raise: a notebook with unanswered
questions still runs top to bottom.
"""

from __future__ import annotations

import math
import numbers

from ntm_core.teaching.checking import FAILED, NOT_DONE, PASSED, finish

__all__ = ["check_choice", "check_prediction", "check_question", "forget_predictions", "predict", "show_choices"]

# Predictions recorded in this kernel, by question.
_PREDICTIONS = {}


def _unanswered(answer):
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


def _as_number(answer):
    """``answer`` as a float, or None when it is not a finite number."""
    if isinstance(answer, bool):
        return None
    if not isinstance(answer, numbers.Real):
        try:
            answer = float(str(answer).strip())
        except (TypeError, ValueError):
            return None
    answer = float(answer)
    return answer if math.isfinite(answer) else None


def predict(question, prediction, verbose=True):
    """Record the student's prediction for ``question`` before the experiment runs.

    Args:
        question: the exercise's name, e.g. ``"Exercise 3.2"``.
        prediction: a number (``...`` or None: not made yet).

    Returns:
        a :class:`~ntm_core.teaching.checking.CheckResult`: not done until a
        number is given, then passed ("recorded"). Never raises.
    """
    if _unanswered(prediction):
        _PREDICTIONS.pop(question, None)
        return finish(question, NOT_DONE, "make your prediction: replace ... with a number, run this cell, "
                                          "then run the experiment below.", verbose)
    value = _as_number(prediction)
    if value is None:
        return finish(question, FAILED, f"a prediction is a finite number, got {prediction!r}.", verbose)
    _PREDICTIONS[question] = value
    return finish(question, PASSED, f"prediction recorded ({prediction}). Now run the experiment.", verbose)


def _diagnosis(answer, mistakes, tolerance):
    for diagnosis, hint in mistakes:
        try:
            matched = (diagnosis(answer) if callable(diagnosis)
                       else abs(answer - float(diagnosis)) <= tolerance + 1e-9)
        except Exception:  # noqa: BLE001 -- a diagnosis that cannot judge this answer does not apply
            matched = False
        if matched:
            return hint
    return None


def check_prediction(question, actual, tolerance=0.0, mistakes=(), explanation=None, verbose=True):
    """Compare the prediction recorded with :func:`predict` with what the experiment gave.

    Args:
        question: the name given to :func:`predict`.
        actual: the value the notebook computed (None: the run could not
            decide it; nothing is judged).
        tolerance: accepted absolute difference.
        mistakes: ``(diagnosis, hint)`` pairs; a diagnosis is a value (within
            ``tolerance``) or a callable ``prediction -> bool``. The first
            matching hint is printed with a wrong prediction.
        explanation: printed with a right prediction.

    Returns:
        a ``CheckResult`` (truthy when the prediction was right). Never raises.
    """
    try:
        if question not in _PREDICTIONS:
            return finish(question, NOT_DONE, "no prediction recorded yet: make it in the cell with "
                                              f"predict({question!r}, ...) before running the experiment.", verbose)
        if actual is None:
            return finish(question, NOT_DONE, "this run did not show the behaviour the question is about; "
                                              "nothing to compare.", verbose)
        guess = _PREDICTIONS[question]
        if abs(guess - float(actual)) <= float(tolerance) + 1e-9:
            message = f"your prediction {guess:g} was right (the run gave {float(actual):g})."
            return finish(question, PASSED, message + (f" {explanation}" if explanation else ""), verbose)
        message = f"you predicted {guess:g}; the run gave {float(actual):g} (tolerance {tolerance:g})."
        hint = _diagnosis(guess, mistakes, tolerance)
        if hint:
            message += f"\n  Hint: {hint}"
        return finish(question, FAILED, message, verbose)
    except Exception as err:  # noqa: BLE001 -- a check must never stop the notebook
        return finish(question, FAILED, f"could not check this prediction ({type(err).__name__}: {err}).", verbose)


def forget_predictions():
    """Drop every recorded prediction (a fresh start for a notebook run twice)."""
    _PREDICTIONS.clear()


def _choice_key(answer):
    return str(answer).strip().strip("()").strip().lower()


def check_choice(question, answer, correct, choices, hints=None, explanation=None, verbose=True):
    """Check a multiple-choice answer.

    Args:
        question: e.g. ``"Exercise 4.1"``.
        answer: the student's letter, e.g. ``"b"`` (``...``: not answered).
        correct: the right letter.
        choices: ``{letter: text}``, every choice offered.
        hints: ``{letter: hint}`` for wrong choices: why the choice is
            tempting and what it overlooks (never the right letter).
        explanation: printed with the right answer.

    Returns:
        a ``CheckResult``. Never raises.
    """
    try:
        if _unanswered(answer):
            return finish(question, NOT_DONE, "not answered yet: set your answer to one of "
                                              f"{', '.join(repr(k) for k in choices)} and run the cell.", verbose)
        key = _choice_key(answer)
        keys = {_choice_key(k): k for k in choices}
        if key not in keys:
            return finish(question, FAILED, f"{answer!r} is not one of the choices "
                                            f"{', '.join(repr(k) for k in choices)}.", verbose)
        if key == _choice_key(correct):
            return finish(question, PASSED, "right." + (f" {explanation}" if explanation else ""), verbose)
        message = f"({keys[key]}) is not it."
        hint = (hints or {}).get(keys[key])
        if hint:
            message += f"\n  Hint: {hint}"
        return finish(question, FAILED, message, verbose)
    except Exception as err:  # noqa: BLE001
        return finish(question, FAILED, f"could not check this answer ({type(err).__name__}: {err}).", verbose)


def _bank_entry(question):
    from ntm_core.teaching.question_bank import QUESTIONS

    if question not in QUESTIONS:
        raise KeyError(f"`question` must be one of {sorted(QUESTIONS)}, got {question!r}.")
    return QUESTIONS[question]


def show_choices(question):
    """Print the choices of a question of :mod:`~ntm_core.teaching.question_bank`, one per line."""
    for letter, text in _bank_entry(question)["choices"].items():
        print(f"({letter}) {text}")


def check_question(question, answer, verbose=True):
    """Check an answer to a question of :mod:`~ntm_core.teaching.question_bank` (see :func:`check_choice`)."""
    entry = _bank_entry(question)
    return check_choice(question, answer, entry["answer"], entry["choices"], entry["hints"],
                        entry["explanation"], verbose)
