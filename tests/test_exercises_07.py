"""Notebook 07's exercises: unanswered they never raise, answers are judged right, hints fit the mistake.

The notebook keeps what its exercises need in cells tagged "helpers" (the
error levels of Exercise 7.1, the choices and hints of 7.2 and 7.3, the
per-position error rate of section 7); the student's cells are tagged
"exercise" and the checks "check". The expected answers are re-measured on
the shipped checkpoints, so the exercise can never expect what the models do
not do.
"""

import io
from pathlib import Path
from contextlib import redirect_stdout

import numpy as np
import pytest

from notebook_cells import notebook_helpers, tagged_cells
from ntm_core.teaching.checking import FAILED, NOT_DONE, PASSED
from ntm_core.teaching.questions import (check_choice, check_prediction, check_question, forget_predictions,
                                         predict, show_choices)

pytestmark = pytest.mark.once  # notebook logic and checkpoints, not backend numerics

NAME = "07_ntm_vs_lstm"


@pytest.fixture()
def helpers():
    namespace = notebook_helpers(NAME)
    forget_predictions()
    yield namespace
    forget_predictions()


def _run(cells, namespace):
    out = io.StringIO()
    with redirect_stdout(out):
        for src in cells:
            exec(compile(src, f"<{NAME}>", "exec"), namespace)
    return out.getvalue()


def test_unanswered_exercises_run_and_every_check_waits(helpers):
    exercises, checks = tagged_cells(NAME, "exercise"), tagged_cells(NAME, "check")
    assert len(exercises) == len(checks) == 3
    for src in exercises:
        assert "YOUR ANSWER" in src and "= ..." in src
    namespace = dict(helpers, predict=predict, check_prediction=check_prediction, check_choice=check_choice, check_question=check_question, show_choices=show_choices,
                     TRAIN_MAX_LENGTH=20, rows_by_model={"LSTM": [{"length": 30, "bit_errors": 63.5}]})
    printed = _run(exercises + checks, namespace)
    assert printed.count("⏳") == 4  # the prediction of 7.1, then the three checks
    assert "✅" not in printed and "❌" not in printed


def test_error_levels_by_hand(helpers):
    level = helpers["error_level"]
    cases = {0.0: 0, 0.024: 0, 0.99: 0, 1.0: 1, 6.0: 1, 10.0: 1, 10.5: 2, 63.5: 2, 436.0: 2}
    assert {errors: level(errors) for errors in cases} == cases
    assert set(helpers["LEVELS"]) == {0, 1, 2}


def test_exercise_7_1_judges_predictions(helpers):
    mistakes = helpers["level_mistakes"](20, 30)
    actual = helpers["error_level"](63.5)  # the LSTM's mean at length 30 on 1,000 sequences
    verdicts = {}
    for guess in (0, 1, 2):
        with redirect_stdout(io.StringIO()) as out:
            predict("Exercise 7.1", guess)
            result = check_prediction("Exercise 7.1", actual, mistakes=mistakes)
        verdicts[guess] = (result.status, out.getvalue())
    assert verdicts[2][0] == PASSED
    assert verdicts[0][0] == FAILED and "Hint" in verdicts[0][1] and "10 more vectors" in verdicts[0][1]
    # 10 vectors guessed, 8 bits each, half of them wrong: 40 bits.
    assert verdicts[1][0] == FAILED and "40 bits wrong" in verdicts[1][1]


@pytest.mark.parametrize("question", ["Exercise 7.2", "Exercise 7.3"])
def test_choice_questions_come_from_the_bank(question):
    # The notebook shows the bank's choices and checks against it; the bank's
    # own rules (a hint for every wrong choice, none naming the answer) are
    # tests/test_teaching_questions.py's.
    source = (Path(__file__).resolve().parent.parent / "notebooks" / f"{NAME}.py").read_text()
    assert f'show_choices("{question}")' in source and f'check_question("{question}"' in source
    assert "correct=" not in source


class _Copier:
    """A stand-in model that copies perfectly, except for the bits of the positions it is told to flip."""

    def __init__(self, flip=()):
        self.flip = list(flip)

    def predict_on_batch(self, x):
        steps, bits = x.shape[1], x.shape[2] - 1
        length = (steps - 1) // 2
        out = np.zeros((x.shape[0], steps, bits), np.float32)
        out[:, length + 1:] = x[:, :length, :bits]
        for position in self.flip:
            out[:, length + 1 + position] = 1.0 - out[:, length + 1 + position]
        return out


class _Zeros:
    """A stand-in model that outputs 0 everywhere and keeps the inputs it was given."""

    def predict_on_batch(self, x):
        self.x = np.asarray(x)
        return np.zeros((x.shape[0], x.shape[1], x.shape[2] - 1), np.float32)


def test_error_rate_by_position_by_hand(helpers):
    rate = helpers["error_rate_by_position"]
    np.testing.assert_array_equal(rate(_Copier(), 6, 5, seed=3), np.zeros(6))
    expected = np.zeros(6)
    expected[2] = 1.0
    np.testing.assert_array_equal(rate(_Copier(flip=[2]), 6, 5, seed=3), expected)
    # All-zero outputs get exactly the 1 bits wrong: at each position, the share of ones
    # among the vectors the model was shown (the first 6 input steps, 8 data channels).
    zeros = _Zeros()
    shares = rate(zeros, 6, 40, seed=3)
    np.testing.assert_allclose(shares, zeros.x[:, :6, :8].mean(axis=(0, 2)))
    assert 0.3 < shares.mean() < 0.7  # random bits: about half are ones


def test_the_expected_answers_are_what_the_shipped_models_do(helpers):
    # Exercise 7.1 expects "many" wrong bits from the LSTM at the question's length, and
    # the notebook's story needs the NTM at "almost none" there and both at the training length.
    import ntm_core

    length = helpers["QUESTION_LENGTH"]
    level = helpers["error_level"]
    lstm, info = ntm_core.load_pretrained("copy_lstm")
    ntm, _ = ntm_core.load_pretrained("copy_ntm")
    trained = info["config"]["max_length"]
    assert trained < length
    lstm_rows = ntm_core.evaluate(lstm, "copy", lengths=[trained, length], num_sequences=40, seed=777)
    ntm_rows = ntm_core.evaluate(ntm, "copy", lengths=[trained, length], num_sequences=40, seed=777)
    assert [level(r["bit_errors"]) for r in lstm_rows] == [0, 2]
    assert [level(r["bit_errors"]) for r in ntm_rows] == [0, 0]
