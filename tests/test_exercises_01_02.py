"""The checked exercises of notebooks 01 and 02.

For every check: the right answer (notebooks/solutions/ for 02, worked out
here for 01) passes; typical wrong answers fail with the hint that diagnoses
them, and no hint where none is confirmed; an unanswered exercise is "not
done"; nothing raises. The notebooks' own question cells are run here with
chosen values, so the tests follow what a student runs.
"""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from ntm_core.teaching import memory_checks as checks
from ntm_core.teaching import questions
from ntm_core.teaching.checking import FAILED, NOT_DONE, PASSED, CheckResult

pytestmark = pytest.mark.once

REPO = Path(__file__).resolve().parent.parent
SOL_PATH = REPO / "notebooks" / "solutions" / "solutions_02_04.py"
_spec = importlib.util.spec_from_file_location("solutions_02_04_for_01_02", SOL_PATH)
SOL = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(SOL)


@pytest.fixture(autouse=True)
def fresh_predictions():
    questions.forget_predictions()
    yield
    questions.forget_predictions()


def run(check, *args):
    result = check(*args, verbose=False)
    assert isinstance(result, CheckResult)
    return result


def failed_with(result, *words):
    assert result.status == FAILED, result.report()
    for word in words:
        assert word.lower() in result.message.lower(), f"expected {word!r} in:\n{result.message}"
    return result


def code_cell(notebook, text):
    """The source of the one code cell of ``notebooks/<notebook>.ipynb`` that contains ``text``."""
    nb = json.loads((REPO / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    found = ["".join(c["source"]) for c in nb["cells"]
             if c["cell_type"] == "code" and text in "".join(c["source"])]
    assert len(found) == 1, f"{len(found)} code cells of {notebook} contain {text!r}"
    return found[0]


# ------------------------------------------------------------------ 2.1 read
def test_read_exact_zeros_case_catches_a_division_by_the_row_sum():
    # Dividing by each row's sum is right on rows that sum to 1 and wrong (0/0) on a zero row.
    def divided(m, w):
        return np.sum(w[:, :, None] * m / np.abs(m).sum(axis=2, keepdims=True).clip(0, 1), axis=1)

    failed_with(run(checks.check_read, divided), "exact-zeros", "nan")


def test_read_reports_the_largest_difference_and_the_tolerance():
    result = failed_with(run(checks.check_read, lambda m, w: SOL.my_read(m, w) + 1e-3),
                         "largest difference", "tolerance", "1e-06")
    assert "0.001" in result.message
    # A difference below the tolerance passes: the tolerance is what the message says.
    assert run(checks.check_read, lambda m, w: SOL.my_read(m, w) + 1e-8).status == PASSED


def test_read_runs_a_float32_case():
    seen = set()

    def recording(m, w):
        seen.add(m.dtype)
        return SOL.my_read(m, w)

    assert run(checks.check_read, recording).passed
    assert np.dtype("float32") in seen and np.dtype("float64") in seen


def test_read_that_raises_names_the_case_and_the_shapes():
    def broadcast_error(m, w):
        return np.sum(w[:, None, :] * m, axis=1)  # (B, 1, N) against (B, N, M)

    failed_with(run(checks.check_read, broadcast_error), "hand-worked", "memory (1, 3, 2)", "w (1, 3)",
                "ValueError")


def test_read_that_changes_memory_in_place_is_rejected():
    def in_place(m, w):
        m *= w[:, :, None]
        return m.sum(axis=1)

    failed_with(run(checks.check_read, in_place), "in place", "`memory`")


def test_read_with_a_plain_average_gets_its_hint():
    failed_with(run(checks.check_read, lambda m, w: m.mean(axis=1)), "weigh each row")


# ------------------------------------------------------------------ 2.2 write
def test_write_is_tried_on_exact_zeros_and_float32():
    seen = []

    def recording(m, w, e, a):
        seen.append((m.dtype, bool(np.any(np.all(m == 0, axis=2))), bool(np.any(w == 0)), bool(np.any(e == 0)),
                     bool(np.any(a == 0))))
        return SOL.my_write(m, w, e, a)

    assert run(checks.check_write, recording).passed
    assert any(all(flags[1:]) for flags in seen), "no case with a zero row, zero weights and zeros in e and a"
    assert any(flags[0] == np.float32 for flags in seen)


def test_write_that_changes_rows_with_no_weight_is_told_the_largest_difference():
    def touches_every_row(m, w, e, a):
        return SOL.my_write(m, w, e, a) + 1e-3 * a[:, None, :]

    failed_with(run(checks.check_write, touches_every_row), "hand-worked", "largest difference", "tolerance")


def test_write_in_place_is_rejected_and_names_the_argument():
    def in_place(m, w, e, a):
        m *= 1.0 - w[:, :, None] * e[:, None, :]
        m += w[:, :, None] * a[:, None, :]
        return m

    result = failed_with(run(checks.check_write, in_place), "in place", "`memory`", "new array")
    assert "correct" not in result.message


def test_write_add_before_erase_gets_its_hint_and_no_other():
    def add_then_erase(m, w, e, a):
        return (m + w[:, :, None] * a[:, None, :]) * (1 - w[:, :, None] * e[:, None, :])

    result = failed_with(run(checks.check_write, add_then_erase), "added before erasing")
    assert result.message.count("Hint:") == 1


def test_write_batch_mistake_is_diagnosed_as_the_batch():
    def first_for_all(m, w, e, a):
        return SOL.my_write(m, np.repeat(w[:1], len(w), 0), np.repeat(e[:1], len(e), 0), np.repeat(a[:1], len(a), 0))

    failed_with(run(checks.check_write, first_for_all), "batch of 3", "right for each sequence of the batch alone")


def test_write_wrong_but_undiagnosed_gets_no_hint():
    result = failed_with(run(checks.check_write, lambda m, w, e, a: SOL.my_write(m, w, e, a) * 1.1), "expected")
    assert "Hint" not in result.message


# ------------------------------------------------------------------ 2.3 overwrite
def test_overwrite_exact_zeros_in_v_need_an_erase_too():
    def erase_where_v_is_nonzero(v):
        return (v != 0).astype(float), np.array(v)

    failed_with(run(checks.check_overwrite, erase_where_v_is_nonzero), "exact-zeros", "where v is 0",
                "largest difference")


def test_overwrite_that_changes_v_in_place_is_rejected():
    def in_place(v):
        e = np.ones_like(v)
        v *= 1.0
        v += 0.5
        return e, v

    failed_with(run(checks.check_overwrite, in_place), "in place", "`v`")


def test_overwrite_solution_passes_and_stub_is_not_done():
    assert run(checks.check_overwrite, SOL.my_overwrite_vectors).passed
    assert run(checks.check_overwrite, lambda v: None).status == NOT_DONE


# ------------------------------------------------------------------ 2.4 predict a half-strength write
OLD = 0.7  # a number of the row before the write
ACTUAL = OLD * 0.5 + 0.5  # worked out by hand: keep half, add half of a = 1


@pytest.mark.parametrize("prediction,words", [
    ((OLD + 0.5) * 0.5, "added before erasing"),
    (0.5, "erase is weighted too"),
    (1.0, "half a write"),
    (OLD + 0.5, "e = 1 erases too"),
    (OLD * 0.5, "after the erase comes the add"),
    (OLD * 0.5 + 1.0, "add is weighted too"),
])
def test_blurry_write_wrong_predictions_get_their_diagnosis(prediction, words):
    questions.predict("Exercise 2.4", prediction, verbose=False)
    result = failed_with(run(checks.question_blurry_write, ACTUAL, OLD), words)
    assert result.message.count("Hint:") == 1


def test_blurry_write_right_prediction_and_unanswered():
    assert questions.predict("Exercise 2.4", ..., verbose=False).not_done
    assert run(checks.question_blurry_write, ACTUAL, OLD).status == NOT_DONE
    questions.predict("Exercise 2.4", SOL.prediction_2_4(OLD), verbose=False)
    assert run(checks.question_blurry_write, ACTUAL, OLD).passed
    questions.predict("Exercise 2.4", -3.0, verbose=False)
    assert "Hint" not in failed_with(run(checks.question_blurry_write, ACTUAL, OLD)).message


def test_notebook_02_half_strength_write_cell_passes_the_solution(capsys):
    from ntm_core import memory

    rng = np.random.default_rng(5)
    namespace = {"np": np, "memory": memory, "checks": checks, "N_SLOTS": 8, "WIDTH": 6,
                 "M_prev": np.round(rng.uniform(-1, 1, (8, 6)), 1).astype("float32")}
    questions.predict("Exercise 2.4", SOL.prediction_2_4(float(namespace["M_prev"][2, 0])), verbose=False)
    exec(code_cell("02_reading_and_writing", 'question_blurry_write('), namespace)
    assert "✅ Exercise 2.4" in capsys.readouterr().out


# ------------------------------------------------------------------ 2.5, 2.6 multiple choice
# The words each wrong choice's hint must print: what that choice overlooks.
CHOICE_QUESTIONS = [
    ("Exercise 2.5", SOL.ANSWER_2_5, {"b": "1/N", "c": "every slot", "d": "eq. 1"}),
    ("Exercise 2.6", SOL.ANSWER_2_6, {"a": "w = 1, e = 1", "b": "both orders", "d": "not the weighting"}),
]


@pytest.mark.parametrize("question,right,wrong", CHOICE_QUESTIONS)
def test_choice_questions(question, right, wrong):
    def check(answer, verbose=True):
        return questions.check_question(question, answer, verbose=verbose)

    assert run(check, right).passed
    assert run(check, f"({right.upper()})").passed
    assert run(check, ...).status == NOT_DONE
    for letter, words in wrong.items():
        result = failed_with(run(check, letter), words)
        assert f"({right})" not in result.message
    assert "not one of the choices" in failed_with(run(check, "e")).message


@pytest.mark.parametrize("question,right,wrong", CHOICE_QUESTIONS)
def test_notebook_02_choice_cells_show_the_choices_and_check_the_answer(question, right, wrong, capsys):
    cell = code_cell("02_reading_and_writing", f'check_question("{question}"')
    assert "my_answer = ...  # YOUR ANSWER" in cell
    namespace = {"show_choices": questions.show_choices, "check_question": questions.check_question}
    exec(cell, namespace)  # unanswered, as shipped: the choices, then "not done"
    shown = capsys.readouterr().out
    assert "(a) " in shown and "(d) " in shown and f"⏳ {question}" in shown
    exec(cell.replace("my_answer = ...", f"my_answer = {right!r}"), namespace)
    assert f"✅ {question}" in capsys.readouterr().out


def test_notebook_02_question_cells_are_unanswered():
    for question in ("Exercise 2.5", "Exercise 2.6"):
        assert "my_answer = ...  # YOUR ANSWER" in code_cell("02_reading_and_writing", f'check_question("{question}"')
    assert "my_prediction = ...  # YOUR ANSWER" in code_cell("02_reading_and_writing", 'predict("Exercise 2.4"')


# ------------------------------------------------------------------ notebook 01
def _run_exercise_1_1(capsys, prediction, wrong_bits, length=50, memory_size=128):
    questions.predict("Exercise 1.1", prediction, verbose=False)
    namespace = {"check_prediction": questions.check_prediction, "errors": float(wrong_bits),
                 "HOOK_LENGTH": length, "memory_size": memory_size}
    exec(code_cell("01_the_paper", 'check_prediction("Exercise 1.1"'), namespace)
    return capsys.readouterr().out


def test_exercise_1_1_outcome_classes(capsys):
    # 0 of 400 wrong bits: class 1; 100 of 400 (25 %): class 2; 200 of 400 (half): class 3.
    assert "✅" in _run_exercise_1_1(capsys, 1, 0)
    assert "✅" in _run_exercise_1_1(capsys, 2, 100)
    assert "✅" in _run_exercise_1_1(capsys, 3, 200)


def test_exercise_1_1_wrong_predictions_get_their_diagnosis(capsys):
    out = _run_exercise_1_1(capsys, 3, 0)
    assert "❌" in out and "memorised its training lengths" in out
    out = _run_exercise_1_1(capsys, 2, 0)
    assert "❌" in out and "grow slowly" in out
    # Longer than the memory: the hint is about room, not about memorising.
    out = _run_exercise_1_1(capsys, 1, 400, length=200)
    assert "❌" in out and "overwrites its own beginning" in out and "memorised" not in out


def test_exercise_1_1_unanswered_is_not_done(capsys):
    namespace = {"predict": questions.predict}
    exec(code_cell("01_the_paper", 'predict("Exercise 1.1"'), namespace)
    assert "⏳" in capsys.readouterr().out
    namespace = {"check_prediction": questions.check_prediction, "errors": 0.0, "HOOK_LENGTH": 50, "memory_size": 128}
    exec(code_cell("01_the_paper", 'check_prediction("Exercise 1.1"'), namespace)
    assert "⏳" in capsys.readouterr().out


def _run_exercise_1_2(capsys, answer):
    src = code_cell("01_the_paper", 'check_question("Exercise 1.2"')
    assert "my_answer = ..." in src
    namespace = {"show_choices": questions.show_choices, "check_question": questions.check_question}
    exec(src.replace("my_answer = ...", f"my_answer = {answer!r}", 1), namespace)
    return capsys.readouterr().out


def test_exercise_1_2(capsys):
    unanswered = _run_exercise_1_2(capsys, ...)
    assert "⏳" in unanswered
    # The cell prints the choices from the bank; the markdown no longer types them a second time.
    assert "(a) content addressing" in unanswered and "(d) sharpening" in unanswered
    assert "(c) convolutional shift" not in _markdown("01_the_paper")
    assert "✅" in _run_exercise_1_2(capsys, "c")
    assert "✅" in _run_exercise_1_2(capsys, " (C) ")
    for letter, words in {"a": "what could the key be", "b": "never moves the focus", "d": "keeps its peak"}.items():
        out = _run_exercise_1_2(capsys, letter)
        assert "❌" in out
        verdict = out.split("❌", 1)[1]  # what the check says, after the printed choices
        assert words in verdict and "(c)" not in verdict
    assert "not one of the choices" in _run_exercise_1_2(capsys, "e")


# ------------------------------------------------------------------ notebook 01's facts and slides
def _markdown(notebook):
    nb = json.loads((REPO / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_notebook_01_states_the_paper_facts_fixed_by_issue_15():
    text = _markdown("01_the_paper")
    assert "133 bits" in text and "never quite reaching" in text and "131" not in text
    assert "1 sequence in 100" not in text
    assert "LSTM fails beyond the training lengths (Figure 5)" in text


def test_notebook_01_has_slides():
    nb = json.loads((REPO / "notebooks" / "01_the_paper.ipynb").read_text(encoding="utf-8"))
    kinds = [c.get("metadata", {}).get("slideshow", {}).get("slide_type") for c in nb["cells"]]
    assert kinds[0] == "slide"
    assert kinds.count("slide") >= 6
    assert set(kinds) <= {"slide", "subslide", "fragment", "skip", "notes", "-", None}
    summary = [k for k, c in zip(kinds, nb["cells"]) if "## Summary" in "".join(c["source"])]
    assert summary == ["slide"]
