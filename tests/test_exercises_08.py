"""The checked exercises of notebook 08 and the n-gram cost of the paper's set-up.

Expected values are worked out here by hand or by a direct scan, never by
the functions under test; the notebook itself is read to check that it asks
the questions the checks grade, unanswered.
"""

import math

import jupytext
import numpy as np
import pytest

from ntm_core.tasks import ngram_bayes_optimal
from ntm_core.tasks.base import Batch
from ntm_core.teaching import questions
from ntm_core.teaching.question_bank import QUESTIONS
from ntm_core.teaching import task_analysis as ta
from ntm_core.teaching.checking import FAILED, NOT_DONE, PASSED
from notebook_cells import NOTEBOOK_DIR

pytestmark = pytest.mark.once

NB08 = NOTEBOOK_DIR / "08_more_tasks.py"


@pytest.fixture(autouse=True)
def fresh_predictions():
    questions.forget_predictions()
    yield
    questions.forget_predictions()


# ------------------------------------------------------------------ Exercise 8.1
def test_paper_count_input_is_zero_mean_unit_variance_over_1_to_10():
    # Integers 1..10: mean 5.5, population variance (10**2 - 1) / 12 = 8.25.
    sd = math.sqrt(8.25)
    assert ta.paper_count_input(20) == pytest.approx(14.5 / sd)
    np.testing.assert_allclose(ta.paper_count_input([1, 10]), [-4.5 / sd, 4.5 / sd])
    values = ta.paper_count_input(np.arange(1, 11))
    assert values.mean() == pytest.approx(0.0, abs=1e-12) and values.var() == pytest.approx(1.0)


def _answer_8_1(prediction):
    questions.predict("Exercise 8.1", prediction, verbose=False)
    return ta.check_exercise_8_1(14.5 / math.sqrt(8.25), verbose=False)


def test_exercise_8_1_accepts_the_right_value_and_the_sample_sd_variant():
    assert _answer_8_1(5.05).status == PASSED
    assert _answer_8_1(14.5 / np.arange(1, 11).std(ddof=1)).status == PASSED  # 4.79: n-1 in the sd


@pytest.mark.parametrize("prediction, hint", [
    (2.0, "this package's encoding"),                       # R / 10
    (14.5 / (9 / math.sqrt(12)), "continuous uniform"),     # 5.58
    (14.5, "did not divide"),
    (1.0, "inside the range"),
])
def test_exercise_8_1_names_each_mistake(prediction, hint):
    result = _answer_8_1(prediction)
    assert result.status == FAILED and hint in result.message


def test_exercise_8_1_without_a_prediction_is_not_done():
    assert ta.check_exercise_8_1(5.05, verbose=False).status == NOT_DONE
    assert questions.predict("Exercise 8.1", ..., verbose=False).status == NOT_DONE


# ------------------------------------------------------------------ Exercise 8.3
def _count_by_string(stream, context):
    # Independent of context_counts: overlapping matches by str.find.
    s, c = "".join(map(str, stream)), "".join(map(str, context))
    ones = zeros = 0
    start = s.find(c)
    while start != -1:
        if start + len(c) < len(s):
            ones += s[start + len(c)] == "1"
            zeros += s[start + len(c)] == "0"
        start = s.find(c, start + 1)
    return ones, zeros


def test_context_stream_has_three_ones_and_one_zero_after_its_context():
    context = (1, 1, 0, 0, 0)
    stream = ta.context_stream(context)
    assert "".join(map(str, stream)) == "110001" "110001" "110000" "110001" "11000"
    assert _count_by_string(stream, context) == (3, 1)
    assert ta.context_counts(stream, context) == (3, 1)
    # (3 + 1/2) / (4 + 1), the paper's estimate for the context that ends the stream.
    assert ngram_bayes_optimal(stream, context=5)[-1] == pytest.approx(0.7)


def test_context_counts_counts_overlapping_occurrences():
    assert ta.context_counts([1, 1, 1, 1, 0], (1, 1)) == (2, 1)
    assert _count_by_string([1, 1, 1, 1, 0], (1, 1)) == (2, 1)


def _answer_8_3(prediction):
    questions.predict("Exercise 8.3", prediction, verbose=False)
    return ta.check_exercise_8_3(0.7, 3, 1, verbose=False)


def test_exercise_8_3_accepts_the_bayes_estimate():
    assert _answer_8_3(0.7).status == PASSED


@pytest.mark.parametrize("prediction, hint", [
    (0.75, "raw frequency"),
    (4 / 6, "Laplace"),
    (0.5, "counts of this context"),
    (3.5 / 4, "denominator"),
])
def test_exercise_8_3_names_each_mistake(prediction, hint):
    result = _answer_8_3(prediction)
    assert result.status == FAILED and hint in result.message


def test_exercise_8_3_gives_no_hint_for_an_undiagnosed_answer():
    result = _answer_8_3(0.3)
    assert result.status == FAILED and "Hint" not in result.message


# ------------------------------------------------------------------ Exercises 8.2 and 8.4
# The right letter, worked out from the paper (section 4.4: a table per sequence; section
# 4.5 and Figure 17: the write address follows the priority), and for each wrong choice
# words its hint must print: what that choice overlooks.
CHOICE_QUESTIONS = [
    ("Exercise 8.2", "b", {"a": "32 numbers easily", "c": "oracle's cost", "d": "shift register"}),
    ("Exercise 8.4", "b", {"a": "'the largest'", "c": "arrival order", "d": "nothing moves them"}),
]


@pytest.mark.parametrize("question, right, wrong", CHOICE_QUESTIONS)
def test_multiple_choice_exercises(question, right, wrong):
    def check(answer):
        return questions.check_question(question, answer, verbose=False)

    choices = QUESTIONS[question]["choices"]
    assert set(choices) == {"a", "b", "c", "d"}
    assert check(right).status == PASSED
    assert check(f" ({right.upper()}) ").status == PASSED
    assert check(...).status == NOT_DONE
    assert check("z").status == FAILED
    for letter, words in wrong.items():
        result = check(letter)
        assert result.status == FAILED and "Hint:" in result.message and words in result.message, (letter, result)
        # A hint explains the wrong choice; it never quotes the right one.
        assert choices[right] not in result.message


# ------------------------------------------------------------------ the paper's n-gram set-up
def test_paper_setup_cost_by_hand():
    # context = 1; stream: seed bit 0, then table bits 0, 0, 1 (the package scores all three).
    x = np.array([[[0], [0], [0]]], np.float32)
    y = np.array([[[0], [0], [1]]], np.float32)
    batch = Batch(x=x, y=y, mask=np.ones((1, 3), np.float32), lengths=np.array([3]))
    # The paper's sequence of 3 bits is the seed bit (a coin: 1 bit) and table bits 0, 0:
    # P(1 | ctx 0) = 1/2 with no counts (1 bit), then (0 + 1/2)/(1 + 1) = 1/4, so a 0 costs log2(4/3).
    paper = 1 + 1 + math.log2(4 / 3)
    np.testing.assert_allclose(ta.ngram_paper_setup_cost(batch, context=1), [paper])
    # The package also scores the last table bit, a 1 after two zeros: P = (1/2)/3, log2(6) bits.
    package = 1 + math.log2(4 / 3) + math.log2(6)
    probs = ngram_bayes_optimal(x[..., 0], context=1)
    cost = -(y[..., 0] * np.log2(probs) + (1 - y[..., 0]) * np.log2(1 - probs)).sum()
    assert cost == pytest.approx(package)


# ------------------------------------------------------------------ the notebook asks them, unanswered
def test_notebook_asks_every_exercise_unanswered():
    cells = jupytext.read(NB08).cells
    code = [c.source for c in cells if c.cell_type == "code"]
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    for k in (1, 3):
        cell = next(src for src in code if f'predict("Exercise 8.{k}"' in src)
        assert "my_prediction = ..." in cell
    for question in ("Exercise 8.2", "Exercise 8.4"):
        cell = next(src for src in code if f'check_question("{question}", my_answer)' in src)
        assert f'show_choices("{question}")' in cell and "my_answer = ..." in cell
        # One source of truth: the choices are printed from the bank, not typed again in the markdown.
        for choice in QUESTIONS[question]["choices"].values():
            assert choice not in text, (question, choice)
    # The prediction comes before the experiment that decides it.
    order = [i for i, src in enumerate(code) if 'predict("Exercise 8.1"' in src or "check_exercise_8_1(" in src]
    assert len(order) == 2 and order[0] < order[1]
