"""Predict-then-run and multiple-choice checks: verdicts, hints only when diagnosed, never raising."""

import json
import re
from pathlib import Path

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


# ------------------------------------------------------------------ the question bank
from ntm_core.teaching.question_bank import QUESTIONS  # noqa: E402

NOTEBOOK_SOURCES = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.py"))


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_bank_question_hints_every_wrong_choice_and_never_the_answer(question, capsys):
    entry = QUESTIONS[question]
    right = entry["answer"]
    assert right in entry["choices"] and entry["explanation"]
    assert set(entry["hints"]) == set(entry["choices"]) - {right}, "a hint for every wrong choice, none for the right"
    assert q.check_question(question, right, verbose=False)
    for letter, hint in entry["hints"].items():
        result = q.check_question(question, letter, verbose=False)
        assert not result and hint in result.message
        assert entry["choices"][right] not in hint and f"({right})" not in hint
    q.show_choices(question)
    shown = capsys.readouterr().out
    assert all(f"({k}) {v}" in shown for k, v in entry["choices"].items())


def test_bank_answers_are_not_all_the_same_letter():
    # A class learns "it is always (b)" faster than it learns the NTM.
    answers = [entry["answer"] for entry in QUESTIONS.values()]
    assert max(answers.count(a) for a in set(answers)) <= len(answers) // 2


def _markdown(notebook_source):
    """The markdown cells of a notebook, from its paired .ipynb (tests/test_notebook_sources.py keeps the pair in sync)."""
    cells = json.loads(notebook_source.with_suffix(".ipynb").read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def typed_choices(markdown, choices):
    """The letters of ``choices`` that ``markdown`` types out again.

    A choice is typed out when its text follows its letter, as in "(b) none",
    "- **b** none" or "b) none" (LaTeX dollars and line breaks aside), or when
    a choice of four words or more appears anywhere. Shorter choices alone are
    allowed: "interpolation" is also the name of a stage the prose explains.
    """
    flat = " ".join(markdown.replace("$", "").replace("\\times", "×").split()).lower()
    typed = []
    for letter, text in choices.items():
        text = " ".join(text.split()).lower()
        label = rf"(?:\({letter}\)|\*\*{letter}\*\*|\b{letter}\))\s*[:.]?\s*"
        if re.search(label + re.escape(text), flat) or (len(text.split()) >= 4 and text in flat):
            typed.append(letter)
    return typed


def test_typed_choices_finds_the_ways_a_notebook_retyped_its_choices():
    # The forms notebooks 01, 04 and 08 used before their questions moved to the bank.
    choices = {"a": "content addressing", "b": "none", "c": "N × M more: one per new memory number",
               "d": "The table is drawn anew for every sequence"}
    assert typed_choices("(a) content addressing; (b)\nnone;", choices) == ["a", "b"]
    assert typed_choices("- (c) $N \\times M$ more: one per new memory number", choices) == ["c"]
    assert typed_choices("- **d** The table is drawn anew\nfor every sequence, so ...", choices) == ["d"]
    assert typed_choices("Answer: the table is drawn anew for every sequence.", choices) == ["d"]
    # The stem may name a stage or say "none" in passing without retyping the choices.
    assert typed_choices("Content addressing finds a slot by key; none of it moves the head.", choices) == []


def test_each_bank_question_is_shown_asked_and_checked_by_its_notebook():
    for question, entry in QUESTIONS.items():
        number = question.split()[1].split(".")[0].zfill(2)
        path = next(p for p in NOTEBOOK_SOURCES if p.name.startswith(number))
        source = path.read_text()
        shown, checked = source.find(f'show_choices("{question}")'), source.find(f'check_question("{question}"')
        assert 0 <= shown < checked, f"{path.name} must show the choices of {question} before checking it"
        # One source of truth: the choices are printed from the bank, not typed again in the markdown.
        assert not typed_choices(_markdown(path), entry["choices"]), (question, path.name)


def test_no_notebook_shows_a_multiple_choice_answer_as_a_literal():
    for path in NOTEBOOK_SOURCES:
        assert not re.search(r"correct=[\"'][a-e][\"']", path.read_text()), f"{path.name} shows an answer"


def test_unknown_bank_question_names_the_known_ones():
    with pytest.raises(KeyError, match="Exercise 1.2"):
        q.check_question("Exercise 0.0", "a")
