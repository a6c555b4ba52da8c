"""Notebook 03's new exercises: the numerically hard cases of the checks, the questions, and
"program the NTM by hand" (ntm_core.teaching.hand_program).

Wrong answers are the mistakes a student makes (a softmax without max subtraction,
a too-large epsilon, a program that never shifts); each must fail at the right case or
step with its diagnosed hint, and with no hint its output does not confirm. Expected
values come from NumPy written here (np.roll, the reference of ntm_core.teaching).
"""

import importlib.util
from pathlib import Path

import jupytext
import numpy as np
import pytest

from ntm_core.teaching import addressing_checks as checks
from ntm_core.teaching import hand_program as hand
from ntm_core.teaching import questions
from ntm_core.teaching import reference as ref
from ntm_core.teaching.checking import FAILED, NOT_DONE, PASSED

pytestmark = pytest.mark.once

SOLUTIONS = Path(__file__).resolve().parent.parent / "notebooks" / "solutions" / "solutions_02_04.py"
NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "03_addressing.py"
_spec = importlib.util.spec_from_file_location("solutions_02_04", SOLUTIONS)
SOL = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(SOL)


def failed(result, *words, absent=()):
    assert result.status == FAILED, result.report()
    text = result.message.lower()
    for word in words:
        assert word.lower() in text, f"expected {word!r} in:\n{result.message}"
    for word in absent:
        assert word.lower() not in text, f"did not expect {word!r} in:\n{result.message}"
    return result


# ------------------------------------------------------------------ numerically hard cases
def naive_softmax_content(memory, key, beta):
    with np.errstate(over="ignore", invalid="ignore"):
        return _naive_softmax_content(memory, key, beta)


def _naive_softmax_content(memory, key, beta):
    z = np.exp(beta * SOL.my_cosine(memory, key))  # no max subtraction: exp(100) overflows float32
    return z / z.sum(axis=-1, keepdims=True)


def test_content_weights_demand_float32_safety_at_beta_100():
    assert np.isnan(naive_softmax_content(np.eye(2, dtype="float32")[None], np.array([[1, 0]], "float32"),
                                          np.array([[100.0]], "float32"))).any()  # the case is hard
    failed(checks.check_content_weights(naive_softmax_content, verbose=False),
           "β = 100 in float32", "nan", "overflows", "subtract")
    assert checks.check_content_weights(SOL.my_content_weights, verbose=False).status == PASSED


def test_cosine_with_a_large_epsilon_reports_difference_tolerance_and_cause():
    def big_epsilon(memory, key):
        dot = np.sum(memory * key[:, None, :], axis=-1)
        return dot / (np.sqrt(np.sum(memory**2, -1) + 1e-4) * np.sqrt(np.sum(key**2, -1, keepdims=True) + 1e-4))

    # The values agree to the 3 printed decimals: the largest difference is what shows the failure.
    failed(checks.check_cosine(big_epsilon, verbose=False),
           "the key [0.5, 0]", "largest difference 0.00025", "0.99975", "tolerance", "epsilon is too large")


def test_a_broadcasting_error_names_the_case_and_the_shapes():
    def key_norm_without_keepdims(memory, key):
        dot = np.sum(memory * key[:, None, :], axis=-1)
        return dot / (np.linalg.norm(memory, axis=-1) * np.linalg.norm(key, axis=-1) + 1e-8)

    failed(checks.check_cosine(key_norm_without_keepdims, verbose=False),
           "batch of 3", "memory (3, 6, 4), key (3, 4)", "valueerror")


def test_changing_an_input_in_place_is_rejected():
    def in_place(w_content, w_prev, g):
        w_prev *= 1.0 - g
        w_prev += g * w_content
        return w_prev

    failed(checks.check_interpolate(in_place, verbose=False), "in place", "`w_prev`")


def test_sharpen_in_float32_must_neither_underflow_nor_choke_on_zeros():
    def plain_power(w, gamma):
        p = w**gamma
        return p / p.sum(axis=1, keepdims=True)

    flat = np.full((1, 16), 1 / 16, "float32")
    with np.errstate(invalid="ignore"):
        assert np.isnan(plain_power(flat, np.float32([[50.0]]))).all()  # the case is hard
    failed(checks.check_sharpen(plain_power, verbose=False), "γ = 50 in float32", "underflows")

    def log_without_epsilon(w, gamma):
        with np.errstate(divide="ignore"):
            z = gamma * np.log(w)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    assert checks.check_sharpen(log_without_epsilon, verbose=False).status == PASSED  # log 0 = -inf is fine here
    assert checks.check_sharpen(SOL.my_sharpen, verbose=False).status == PASSED


def test_a_batch_mistake_in_sharpen_gets_the_batch_hint_not_the_exponent_hint():
    def first_gamma_for_all(w, gamma):
        return SOL.my_sharpen(w, np.repeat(gamma[:1], len(gamma), axis=0))

    failed(checks.check_sharpen(first_gamma_for_all, verbose=False),
           "batch of 3", "right for each sequence", absent=["exponent"])


def test_a_missing_sharpening_stage_is_named_and_not_blamed_on_the_batch():
    def no_sharpening(memory, w_prev, key, beta, g, s, gamma):
        return SOL.my_shift(SOL.my_interpolate(SOL.my_content_weights(memory, key, beta), w_prev, g), s)

    failed(checks.check_address(no_sharpening, verbose=False),
           "blurred shift", "skipped the sharpening", absent=["batch"])


def test_solutions_pass_every_addressing_check():
    for check, solution in [(checks.check_cosine, SOL.my_cosine), (checks.check_content_weights, SOL.my_content_weights),
                            (checks.check_interpolate, SOL.my_interpolate), (checks.check_shift, SOL.my_shift),
                            (checks.check_sharpen, SOL.my_sharpen), (checks.check_address, SOL.my_address)]:
        assert check(solution, verbose=False).status == PASSED


# ------------------------------------------------------------------ questions
@pytest.fixture(autouse=True)
def fresh_predictions():
    questions.forget_predictions()
    yield
    questions.forget_predictions()


def test_beta_zero_question():
    actual = 1 / 8  # softmax of eight equal numbers
    assert checks.question_beta_zero(actual, verbose=False).status == NOT_DONE  # nothing predicted yet
    questions.predict("Exercise 3.1", 1.0, verbose=False)
    failed(checks.question_beta_zero(actual, verbose=False), "does not pick the best match")
    questions.predict("Exercise 3.1", 0.0, verbose=False)
    failed(checks.question_beta_zero(actual, verbose=False), "exp(0) is 1")
    questions.predict("Exercise 3.1", 0.125, verbose=False)
    assert checks.question_beta_zero(actual, verbose=False).status == PASSED
    assert SOL.PREDICTION_3_1 == pytest.approx(actual)


def test_shift_question():
    w = np.eye(8)[3]
    shifted = 0.1 * np.roll(w, -1) + 0.0 * w + 0.9 * np.roll(w, 1)  # s = (0.1, 0, 0.9) over offsets (-1, 0, +1)
    actual = int(np.argmax(shifted))
    assert actual == 4 == SOL.PREDICTION_3_5
    questions.predict("Exercise 3.5", 2, verbose=False)
    failed(checks.question_shift_peak(actual, start=3, verbose=False), "backwards")
    questions.predict("Exercise 3.5", 3, verbose=False)
    failed(checks.question_shift_peak(actual, start=3, verbose=False), "no weight stays", absent=["backwards"])
    questions.predict("Exercise 3.5", 4, verbose=False)
    assert checks.question_shift_peak(actual, start=3, verbose=False).status == PASSED


def test_gamma_question_and_that_its_answer_is_true():
    w = np.array([0.8, 0.2])
    blurred = w**0.5 / (w**0.5).sum()
    assert blurred.max() < w.max() and blurred.min() > w.min()  # gamma = 0.5 moves towards uniform: choice b
    assert SOL.ANSWER_3_7 == "b"
    assert questions.check_question("Exercise 3.7", ..., verbose=False).status == NOT_DONE
    failed(questions.check_question("Exercise 3.7", "a", verbose=False), "power above 1")
    failed(questions.check_question("Exercise 3.7", "c", verbose=False), "only γ = 1 changes nothing")
    failed(questions.check_question("Exercise 3.7", "d", verbose=False), "keeps the order")
    assert questions.check_question("Exercise 3.7", SOL.ANSWER_3_7, verbose=False).status == PASSED


def test_notebook_03_shows_the_gamma_choices_and_checks_the_answer():
    cells = [c.source for c in jupytext.read(NOTEBOOK).cells]
    asked = [src for src in cells if 'check_question("Exercise 3.7", my_answer)' in src]
    assert len(asked) == 1 and 'show_choices("Exercise 3.7")' in asked[0] and "my_answer = ...  # YOUR ANSWER" in asked[0]
    # One source of truth: the markdown no longer types the choices a second time.
    assert not any("(b) blur it" in src for src in cells)


# ------------------------------------------------------------------ program the NTM by hand
def edited(**changes):
    """The solution program with some parameters replaced: changes[head] = f(t, params) -> params."""
    def program(t, x):
        out = SOL.my_program(t, x)
        for head, change in changes.items():
            out[head] = change(t, dict(out[head]))
        return out
    return program


def test_the_solution_program_passes():
    assert checks.check_program(SOL.my_program, verbose=False).status == PASSED


def test_a_program_that_forgets_to_shift_fails_at_step_1():
    program = edited(write=lambda t, p: dict(p, s=[0.0, 1.0, 0.0]))
    failed(checks.check_program(program, verbose=False),
           "step 1, write head", "peak is at slot 0", "shift of +1", "(0, 0, 1)", absent=["erase"])


def test_a_program_that_shifts_at_step_0_is_told_to_stay():
    program = edited(write=lambda t, p: dict(p, s=[0.0, 0.0, 1.0]) if t == 0 else p)
    failed(checks.check_program(program, verbose=False),
           "step 0, write head", "started on slot 0", "must stay on slot 0", "(0, 1, 0)")


def test_a_program_with_a_wrong_erase_fails_at_step_0():
    for e in (0.0, 0.5):
        program = edited(write=lambda t, p, e=e: dict(p, e=np.full(hand.WIDTH, e)) if t < hand.LENGTH else p)
        failed(checks.check_program(program, verbose=False),
               "step 0, write head", "slot 0 holds", "tolerance", "erase vector", absent=["shift of"])


def test_a_write_during_the_read_phase_fails_at_step_5():
    program = edited(write=lambda t, p: dict(p, e=np.ones(hand.WIDTH)) if t >= hand.LENGTH else p)
    failed(checks.check_program(program, verbose=False), "step 5, write head", "read phase")


def test_a_read_head_that_wanders_fails_where_it_is_needed():
    program = edited(read=lambda t, p: dict(p, s=[0.0, 0.0, 1.0]) if t < hand.LENGTH else p)
    failed(checks.check_program(program, verbose=False), "step 5, read head", "at most one slot")


def test_a_blurred_shift_needs_sharpening():
    blurred = edited(write=lambda t, p: dict(p, s=[0.1, 0.1, 0.8]) if p["s"][2] == 1.0 else p)
    failed(checks.check_program(blurred, verbose=False), "step 1, write head", "γ = 1")
    sharpened = edited(write=lambda t, p: dict(p, s=[0.1, 0.1, 0.8], gamma=10.0) if p["s"][2] == 1.0 else p)
    assert checks.check_program(sharpened, verbose=False).status == PASSED


def test_a_program_that_hard_codes_the_sequence_fails_on_the_second_one():
    fixed = hand.copy_sequence(0)
    program = edited(write=lambda t, p: dict(p, a=fixed[t]) if t < hand.LENGTH else p)
    failed(checks.check_program(program, verbose=False), "another one", "step 0")


def test_parameters_out_of_range_or_missing_are_named():
    failed(checks.check_program(edited(read=lambda t, p: dict(p, g=1.5)), verbose=False), "step 0, read head", "out of range")
    failed(checks.check_program(edited(write=lambda t, p: dict(p, s=[0, 1, 1])), verbose=False), "sums to 2")
    failed(checks.check_program(edited(write=lambda t, p: {k: v for k, v in p.items() if k != "gamma"}),
                                verbose=False), "lack gamma")


def test_an_unfilled_program_is_not_done():
    def starter(t, x):
        raise NotImplementedError

    assert checks.check_program(starter, verbose=False).status == NOT_DONE
    assert checks.check_program(lambda t, x: None, verbose=False).status == NOT_DONE
    assert hand.plot_program(starter) is None


def test_the_runner_agrees_with_a_numpy_simulation():
    """run_program must use eq. 2-9 in the cell's order: write addresses M_{t-1}, read addresses M_t."""
    def blurry(t, x):
        w = np.ones(hand.WIDTH) * 0.7
        return {"write": dict(k=x + 0.1, beta=3.0, g=0.3, s=[0.2, 0.1, 0.7], gamma=2.0, e=w, a=x - 0.5),
                "read": dict(k=np.arange(hand.WIDTH) - 2.0, beta=2.0, g=0.6, s=[0.5, 0.3, 0.2], gamma=1.5)}

    run = hand.run_program(blurry, seed=3)
    mem = hand.old_memory(3).astype(float)[None]
    w_write = w_read = np.eye(hand.N_SLOTS)[hand.START_SLOT][None]
    one = lambda v: np.array([[v]])  # noqa: E731
    for t, x in enumerate(run.inputs):
        p, q = blurry(t, x)["write"], blurry(t, x)["read"]
        w_write = ref.address(mem, w_write, p["k"][None], one(p["beta"]), one(p["g"]), np.array([p["s"]]), one(p["gamma"]))
        mem = ref.write(mem, w_write, p["e"][None], p["a"][None])
        w_read = ref.address(mem, w_read, q["k"][None], one(q["beta"]), one(q["g"]), np.array([q["s"]]), one(q["gamma"]))
        np.testing.assert_allclose(run.weightings["write"][t], w_write[0], atol=1e-5)
        np.testing.assert_allclose(run.memories[t + 1], mem[0], atol=1e-5)
        np.testing.assert_allclose(run.weightings["read"][t], w_read[0], atol=1e-5)
        np.testing.assert_allclose(run.reads[t], ref.read(mem, w_read)[0], atol=1e-5)


def test_the_solution_copies_and_the_picture_has_its_panels():
    run = hand.run_program(SOL.my_program, seed=0)
    np.testing.assert_allclose(np.stack(run.reads[hand.LENGTH:]), hand.copy_sequence(0), atol=1e-5)
    np.testing.assert_allclose(run.memories[-1][:hand.LENGTH], hand.copy_sequence(0), atol=1e-5)
    np.testing.assert_allclose(run.memories[-1][hand.LENGTH:], hand.old_memory(0)[hand.LENGTH:], atol=1e-5)
    fig = hand.plot_program(SOL.my_program)
    titles = [ax.get_title() for ax in fig.axes]
    assert {"inputs x", "write weighting", "read weighting", "reads r", "memory after the last step"} <= set(titles)


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="seed"):
        hand.run_program(SOL.my_program, seed=-1)
    with pytest.raises(TypeError, match="steps"):
        hand.run_program(SOL.my_program, steps=2.5)
    assert hand.run_program(SOL.my_program, steps=3).steps == 3
