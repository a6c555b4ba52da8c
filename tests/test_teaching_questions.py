"""Predict-then-run and multiple-choice checks: verdicts, hints only when diagnosed, never raising."""

import pytest

from ntm_core.teaching import questions as q


@pytest.fixture(autouse=True)
def fresh():
    q.forget_predictions()
    yield
    q.forget_predictions()


def test_prediction_must_come_first():
    result = q.check_prediction("E1", 3, verbose=False)
    assert result.not_done and "predict('E1'" in result.message


def test_unanswered_prediction_is_not_done_and_not_recorded():
    assert q.predict("E1", ..., verbose=False).not_done
    assert q.check_prediction("E1", 3, verbose=False).not_done


def test_right_prediction_within_tolerance():
    assert q.predict("E1", 0.48, verbose=False)
    result = q.check_prediction("E1", 0.5, tolerance=0.05, explanation="because", verbose=False)
    assert result.passed and "because" in result.message


def test_wrong_prediction_hint_only_when_diagnosed():
    mistakes = [(4, "shifted backwards"), (lambda p: p > 100, "too big")]
    q.predict("E1", 4, verbose=False)
    wrong = q.check_prediction("E1", 6, mistakes=mistakes, verbose=False)
    assert not wrong and "shifted backwards" in wrong.message and "too big" not in wrong.message
    q.predict("E1", 7, verbose=False)
    undiagnosed = q.check_prediction("E1", 6, mistakes=mistakes, verbose=False)
    assert not undiagnosed and "Hint" not in undiagnosed.message
    q.predict("E1", 500, verbose=False)
    assert "too big" in q.check_prediction("E1", 6, mistakes=mistakes, verbose=False).message


def test_a_bad_diagnosis_does_not_raise():
    q.predict("E1", 1, verbose=False)
    result = q.check_prediction("E1", 2, mistakes=[(lambda p: 1 / 0, "never")], verbose=False)
    assert not result and "Hint" not in result.message


def test_prediction_must_be_a_number():
    result = q.predict("E1", "slot three", verbose=False)
    assert not result and not result.not_done and "'slot three'" in result.message
    assert q.predict("E1", "3", verbose=False)


CHOICES = {"a": "twice as many", "b": "none", "c": "N more"}


def test_choice_right_wrong_and_hint():
    assert q.check_choice("E2", " (B) ", "b", CHOICES, verbose=False)
    wrong = q.check_choice("E2", "a", "b", CHOICES, hints={"a": "the controller never sees N"}, verbose=False)
    assert not wrong and "controller never sees N" in wrong.message and "(b)" not in wrong.message
    plain = q.check_choice("E2", "c", "b", CHOICES, hints={"a": "x"}, verbose=False)
    assert not plain and "Hint" not in plain.message


def test_choice_unanswered_and_unknown():
    assert q.check_choice("E2", ..., "b", CHOICES, verbose=False).not_done
    unknown = q.check_choice("E2", "d", "b", CHOICES, verbose=False)
    assert not unknown and not unknown.not_done and "'d'" in unknown.message
