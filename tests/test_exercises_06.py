"""Notebook 06's exercises: unanswered they never raise, answers are judged right, hints fit the mistake.

The notebook keeps what its exercises need in cells tagged "helpers"; the
student's cells are tagged "exercise" and the checks "check". The checks run
here on hand-built traces whose program is known (tests/fake_traces.py), so
every expected answer below is worked out by hand from that program; the
last test re-measures the answers on the shipped checkpoint, so the
exercises never expect what the model does not do.
"""

import io
from pathlib import Path
import re
from contextlib import redirect_stdout

import numpy as np
import pytest

from fake_traces import copy_trace, fake_head, one_hot_rows
from notebook_cells import notebook_helpers, tagged_cells
from ntm_core.teaching.checking import FAILED, NOT_DONE, PASSED
from ntm_core.teaching.copy_attention import describe_copy_attention, phase_summary
from ntm_core.teaching.questions import (check_choice, check_prediction, check_question, forget_predictions,
                                         predict, show_choices)

pytestmark = pytest.mark.once

NAME = "06_inspecting_attention"
LENGTH, N, FLIP = 6, 32, 2


@pytest.fixture()
def helpers():
    namespace = notebook_helpers(NAME)
    namespace.update(np=np)  # what the helpers use from the notebook's import cell
    forget_predictions()
    yield namespace
    forget_predictions()


def notebook_namespace(helpers, tr, changes=None):
    """What the exercise and check cells use from the rest of the notebook."""
    return dict(helpers, tr=tr, LENGTH=LENGTH, N=tr.memory.shape[2], FLIP_VECTOR=FLIP,
                changes=np.zeros(tr.memory.shape[2]) if changes is None else changes,
                predict=predict, check_prediction=check_prediction, check_choice=check_choice, check_question=check_question, show_choices=show_choices,
                describe_copy_attention=describe_copy_attention, phase_summary=phase_summary)


def cells_about(kind, exercise):
    """The cells tagged ``kind`` that mention ``Exercise 6.k``."""
    found = [src for src in tagged_cells(NAME, kind) if f"Exercise 6.{exercise}" in src or f"_6_{exercise}" in src]
    assert found, f"no {kind} cell for Exercise 6.{exercise}"
    return found


def run(cells, namespace):
    out = io.StringIO()
    with redirect_stdout(out):
        for src in cells:
            exec(compile(src, f"<{NAME}>", "exec"), namespace)
    return out.getvalue()


def verdict(helpers, tr, exercise, guess, changes=None):
    """The report of Exercise 6.k's check after a prediction ``guess``: '✅ ...' or '❌ ...' with its hint."""
    namespace = notebook_namespace(helpers, tr, changes)
    run(cells_about("exercise", exercise), namespace)  # unanswered: records nothing
    with redirect_stdout(io.StringIO()):
        predict(f"Exercise 6.{exercise}", guess)
    printed = run(cells_about("check", exercise), namespace)
    # One report per check, each starting with its icon (a check cell may hold two).
    reports = [r for r in re.split(r"\n(?=[✅❌⏳] )", printed) if f"Exercise 6.{exercise}:" in r]
    assert len(reports) == 1, printed
    return reports[0]


def parked_trace():
    """copy_trace, but the write head stays on its last slot during the recall."""
    tr = copy_trace(length=LENGTH, n=N)
    slots = list(range(LENGTH + 1)) + [LENGTH] * LENGTH
    tr.heads[0] = fake_head("write", one_hot_rows(slots, N), g=0.1, beta=0.5, expected_shift=0)
    return tr


def test_unanswered_exercises_run_and_every_check_waits(helpers):
    exercises, checks = tagged_cells(NAME, "exercise"), tagged_cells(NAME, "check")
    assert len(exercises) == 4 and len(checks) == 4
    for src in exercises:
        assert "YOUR ANSWER" in src and "= ..." in src
    printed = run(exercises + checks, notebook_namespace(helpers, copy_trace(length=LENGTH, n=N)))
    # Predictions 6.1, 6.2 and 6.4 wait for a number; the five checks wait too.
    assert printed.count("⏳") == 8
    assert "✅" not in printed and "❌" not in printed


def test_exercise_6_1_read_slot_at_the_third_output(helpers):
    # copy_trace: the write head starts on slot 0 and moves +1; recall step i
    # (t = L + 1 + i) reads slot i + 1, so at t = L + 3 (i = 2) the read head is on slot 3.
    tr = copy_trace(length=LENGTH, n=N, offset=1)
    assert "✅" in verdict(helpers, tr, 1, 3)
    same_step = verdict(helpers, tr, 1, 2)  # the slot input vector 3 was written to
    assert "❌" in same_step and "at the very step it is emitted" in same_step
    time_step = verdict(helpers, tr, 1, LENGTH + 3)
    assert "❌" in time_step and "is the time step, not a slot" in time_step
    before = verdict(helpers, tr, 1, N - 2)  # slot 30: behind slot 0 for a head moving +1
    assert "❌" in before and "before the start of the writing" in before
    other = verdict(helpers, tr, 1, 7)
    assert "❌" in other and "Hint" not in other
    # With no offset the run reads slot 2 at t = L + 3: the "same step" plan is right.
    assert "✅" in verdict(helpers, copy_trace(length=LENGTH, n=N, offset=0), 1, 2)


def test_exercise_6_2_write_head_during_the_recall(helpers):
    tr = copy_trace(length=LENGTH, n=N)  # the write head keeps moving +1 through the recall
    assert "✅" in verdict(helpers, tr, 2, 1)
    stop = verdict(helpers, tr, 2, 0)
    assert "❌" in stop and "no 'off' switch" in stop
    back = verdict(helpers, tr, 2, -1)
    assert "❌" in back and "direction" in back
    jump = verdict(helpers, tr, 2, 3)
    assert "❌" in jump and "at most 1 slot" in jump  # the fake heads shift by -1, 0 or +1
    # A head that parks: 0 is right, and +1 gets no hint about stopping or direction.
    parked = parked_trace()
    assert "✅" in verdict(helpers, parked, 2, 0)
    moved = verdict(helpers, parked, 2, 1)
    assert "❌" in moved and "Hint" not in moved


def test_exercise_6_3_correct_choice_follows_the_trace(helpers):
    choices, hints = helpers["MOVE_CHOICES"], helpers["MOVE_HINTS"]
    assert set(hints) == set(choices)  # the check drops the hint of whichever choice is right
    location = copy_trace(length=LENGTH, n=N)  # write head: g = 0.1, all shift weight on +1
    assert helpers["moves_by_location"](phase_summary(location, LENGTH), "write head 0")
    content = copy_trace(length=LENGTH, n=N)
    w = content.heads[0].weights[0]
    content.heads[0] = fake_head("write", w, g=0.95, beta=8.0, expected_shift=0)
    assert not helpers["moves_by_location"](phase_summary(content, LENGTH), "write head 0")
    for tr, right in ((location, "b"), (content, "a")):
        namespace = notebook_namespace(helpers, tr)
        for letter in choices:
            namespace["answer_6_3"] = letter
            printed = run(cells_about("check", 3), namespace)
            if letter == right:
                assert "✅" in printed
            else:
                assert "❌" in printed and hints[letter] in printed
                assert choices[right] not in hints[letter], "a hint must not name the answer"


def test_exercise_6_4_rows_changed(helpers):
    rows_changed = helpers["rows_changed"]
    assert rows_changed([0.0, 1.0, 0.2, 0.3, 0.24]) == 2  # 1.0 and 0.3 exceed a quarter of 1.0
    assert rows_changed([0.0, 4.0, 1.0, 0.0]) == 1  # exactly a quarter does not count
    assert rows_changed(np.zeros(5)) == 0
    tr = copy_trace(length=LENGTH, n=N)
    changes = np.zeros(N)
    changes[[FLIP, FLIP + 1]] = [12.0, 11.0]  # two rows change
    assert "✅" in verdict(helpers, tr, 4, 2, changes)
    one = verdict(helpers, tr, 4, 1, changes)
    assert "❌" in one and "still remembers" in one
    none = verdict(helpers, tr, 4, 0, changes)
    assert "❌" in none and "something must change" in none
    every = verdict(helpers, tr, 4, LENGTH - FLIP, changes)
    assert "❌" in every and "every later write" in every
    other = verdict(helpers, tr, 4, 3, changes)
    assert "❌" in other and "Hint" not in other


def test_exercise_6_5_comes_from_the_bank():
    source = (Path(__file__).resolve().parent.parent / "notebooks" / f"{NAME}.py").read_text()
    assert 'show_choices("Exercise 6.5")' in source and 'check_question("Exercise 6.5", answer_6_5)' in source


def test_signed_moves_wrap_around_the_ring(helpers):
    np.testing.assert_array_equal(helpers["signed_moves"]([30, 31, 0, 1, 1, 0], 32), [1, 1, 1, 0, -1])
    assert helpers["typical_move"]([5, 4, 3, 3], 32) == -1
    assert helpers["typical_move"]([5], 32) is None


@pytest.mark.slow
def test_the_shipped_checkpoint_gives_the_exercises_something_to_find(helpers):
    import ntm_core
    from ntm_core.widgets.patterns import copy_input

    if "copy_ntm" not in ntm_core.available_pretrained():
        pytest.skip("no shipped copy_ntm checkpoint")
    model, _ = ntm_core.load_pretrained("copy_ntm")
    x, _, _ = copy_input(12, 1)  # the notebook's quick-mode sequence
    tr = ntm_core.trace(model, x[None])
    facts = describe_copy_attention(tr, 12)
    n = tr.memory.shape[2]
    # The prose says: the write head steps by location and keeps moving in the recall.
    assert helpers["moves_by_location"](phase_summary(tr, 12), tr.write_heads[0].label)
    assert helpers["typical_move"](facts["write_focus"][12:25], n) != 0
    # Exercise 6.1 must have an answer on the band the figure shows.
    from ntm_core.viz.bands import slot_band

    assert int(facts["read_focus"][15]) in set(slot_band(tr).tolist())
