"""The exercise checks of notebooks 02-04 (ntm_core.teaching.*_checks).

Each check must accept the reference solution (notebooks/solutions/), reject
several kinds of wrong answer with a message that says what is wrong, report
"not done" for an unfilled starter, and never raise. The shipped notebooks'
starter cells must still be unfilled.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from equation_cases import assert_agrees_with_ntm_core, random_case
from notebook_cells import tagged_cells

from ntm_core.teaching import addressing_checks, layer_checks, memory_checks
from ntm_core.teaching.checking import FAILED, NOT_DONE, PASSED, CheckResult

pytestmark = pytest.mark.once

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS_PATH = REPO / "notebooks" / "solutions" / "solutions_02_04.py"


def load_solutions():
    spec = importlib.util.spec_from_file_location("solutions_02_04", SOLUTIONS_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SOL = load_solutions()


def raises_not_implemented(*args):
    raise NotImplementedError


def returns_none(*args):
    return None


def run(check, fn):
    """Run a check quietly; it must return a CheckResult and never raise."""
    result = check(fn, verbose=False)
    assert isinstance(result, CheckResult)
    assert result.status in (PASSED, FAILED, NOT_DONE)
    assert isinstance(result.message, str) and result.message
    return result


def assert_rejected(check, fn, *words):
    result = run(check, fn)
    assert result.status == FAILED, result.report()
    assert not result
    text = result.message.lower()
    for word in words:
        assert word.lower() in text, f"expected {word!r} in the message:\n{result.message}"
    return result


# (check, solution) for every function-valued exercise.
FUNCTION_CHECKS = [
    (memory_checks.check_read, SOL.my_read),
    (memory_checks.check_write, SOL.my_write),
    (memory_checks.check_overwrite, SOL.my_overwrite_vectors),
    (addressing_checks.check_cosine, SOL.my_cosine),
    (addressing_checks.check_content_weights, SOL.my_content_weights),
    (addressing_checks.check_interpolate, SOL.my_interpolate),
    (addressing_checks.check_shift, SOL.my_shift),
    (addressing_checks.check_sharpen, SOL.my_sharpen),
    (addressing_checks.check_address, SOL.my_address),
    (layer_checks.check_head_activations, SOL.my_head_activations),
]
IDS = [check.__name__ for check, _ in FUNCTION_CHECKS]


# ------------------------------------------------------------------ all checks
@pytest.mark.parametrize("check,solution", FUNCTION_CHECKS, ids=IDS)
def test_check_accepts_the_solution(check, solution):
    result = run(check, solution)
    assert result.status == PASSED, result.report()
    assert result and result.passed


@pytest.mark.parametrize("check,solution", FUNCTION_CHECKS, ids=IDS)
@pytest.mark.parametrize("stub", [raises_not_implemented, returns_none, None], ids=["raises", "none", "no-function"])
def test_check_reports_not_done_for_a_stub(check, solution, stub):
    result = run(check, stub)
    assert result.status == NOT_DONE, result.report()
    assert not result and result.not_done
    assert "not done" in result.message


@pytest.mark.parametrize("check,solution", FUNCTION_CHECKS, ids=IDS)
@pytest.mark.parametrize(
    "bad",
    [
        lambda *a: 1 / 0,
        lambda *a: "a string",
        lambda *a: [[object()]],
        lambda *a: np.full((1, 1, 1, 1, 1), np.nan),
        lambda: 0,  # wrong number of arguments
        42,  # not a function
    ],
    ids=["raises-other", "string", "objects", "nan", "wrong-arity", "not-callable"],
)
def test_check_never_raises_and_fails_on_nonsense(check, solution, bad):
    result = run(check, bad)
    assert result.status == FAILED, result.report()


@pytest.mark.parametrize("check,solution", FUNCTION_CHECKS, ids=IDS)
def test_check_prints_its_report_once(check, solution, capsys):
    result = check(solution)
    out = capsys.readouterr().out
    assert out.startswith("✅") and result.exercise in out
    # As a cell's value right after, the result stays quiet (no duplicate) ...
    result._ipython_display_()
    assert capsys.readouterr().out == ""
    # ... and shows the report when displayed again later.
    result._ipython_display_()
    assert capsys.readouterr().out.startswith("✅")
    check(raises_not_implemented)
    assert capsys.readouterr().out.startswith("⏳")
    check(lambda *a: 1 / 0)
    assert capsys.readouterr().out.startswith("❌")


def test_a_student_function_may_return_backend_tensors():
    from keras import ops

    result = run(memory_checks.check_read, lambda m, w: ops.convert_to_tensor(SOL.my_read(m, w)))
    assert result.status == PASSED, result.report()


def test_changing_an_input_in_place_is_rejected_where_the_exercise_asks_for_a_new_array():
    def in_place_write(memory, w, e, a):
        memory *= 1.0 - w[:, :, None] * e[:, None, :]
        memory += w[:, :, None] * a[:, None, :]
        return memory

    assert_rejected(memory_checks.check_write, in_place_write, "in place", "`memory`")


# ------------------------------------------------------------------ 2.1 read
def test_read_rejects_unweighted_mean():
    assert_rejected(memory_checks.check_read, lambda m, w: m.mean(axis=1), "hand-worked", "weigh each row")


def test_read_rejects_wrong_shape():
    assert_rejected(memory_checks.check_read, lambda m, w: w[:, :, None] * m, "shape", "(1, 2)")


def test_read_rejects_missing_batch_axis():
    assert_rejected(memory_checks.check_read, lambda m, w: SOL.my_read(m, w)[0], "batch axis is missing")


def test_read_rejects_matrix_product_that_mixes_the_batch():
    # w @ memory broadcasts w (B, N) against every memory: (B, B, M) for B > 1.
    assert_rejected(memory_checks.check_read, lambda m, w: np.squeeze(w @ m, axis=1) if len(w) == 1 else w @ m,
                    "batch of 3", "extra axis")


def test_read_rejects_forgetting_the_batch():
    def only_first(m, w):
        return np.repeat(SOL.my_read(m[:1], w[:1]), len(m), axis=0)

    assert_rejected(memory_checks.check_read, only_first, "batch of 3", "use memory[b] and w[b]")


def test_read_rejects_wrong_axis():
    assert_rejected(memory_checks.check_read, lambda m, w: np.sum(w[:, :, None] * m, axis=2), "shape")


# ------------------------------------------------------------------ 2.2 write
def test_write_rejects_add_before_erase():
    def add_then_erase(m, w, e, a):
        added = m + w[:, :, None] * a[:, None, :]
        return added * (1 - w[:, :, None] * e[:, None, :])

    assert_rejected(memory_checks.check_write, add_then_erase, "added before erasing")


def test_write_rejects_unweighted_erase():
    assert_rejected(memory_checks.check_write, lambda m, w, e, a: m * (1 - e[:, None, :]) + w[:, :, None] * a[:, None, :],
                    "erase must be weighted")


def test_write_rejects_erase_only():
    assert_rejected(memory_checks.check_write, lambda m, w, e, a: m * (1 - w[:, :, None] * e[:, None, :]), "only erased")


def test_write_rejects_wrong_shape_and_forgotten_batch():
    assert_rejected(memory_checks.check_write, lambda m, w, e, a: SOL.my_write(m, w, e, a)[0], "batch axis is missing")

    def first_weighting_for_all(m, w, e, a):
        return SOL.my_write(m, np.repeat(w[:1], len(w), 0), np.repeat(e[:1], len(e), 0), np.repeat(a[:1], len(a), 0))

    assert_rejected(memory_checks.check_write, first_weighting_for_all, "batch of 3", "right for each sequence")


# ------------------------------------------------------------------ 2.3 overwrite
def test_overwrite_rejects_no_erase():
    assert_rejected(memory_checks.check_overwrite, lambda v: (np.zeros_like(v), v), "nothing is erased")


def test_overwrite_rejects_no_add_and_bad_returns():
    assert_rejected(memory_checks.check_overwrite, lambda v: (np.ones_like(v), np.zeros_like(v)), "nothing is written")
    assert_rejected(memory_checks.check_overwrite, lambda v: np.ones_like(v), "two arrays")
    assert_rejected(memory_checks.check_overwrite, lambda v: (np.ones(v.shape[1]), v), "shape")


# ------------------------------------------------------------------ 3.1 cosine
def test_cosine_rejects_plain_dot_product():
    assert_rejected(addressing_checks.check_cosine, lambda m, k: np.sum(m * k[:, None, :], -1), "divide by")


def test_cosine_rejects_nan_on_zero_rows():
    def naive(m, k):
        dot = np.sum(m * k[:, None, :], -1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return dot / (np.linalg.norm(m, axis=-1) * np.linalg.norm(k, axis=-1, keepdims=True))

    assert_rejected(addressing_checks.check_cosine, naive, "zero row", "nan", "epsilon")


def test_cosine_rejects_missing_row_norm_and_missing_batch():
    assert_rejected(addressing_checks.check_cosine,
                    lambda m, k: np.sum(m * k[:, None, :], -1) / (np.linalg.norm(k, axis=-1, keepdims=True) + 1e-8),
                    "norm of each row")
    assert_rejected(addressing_checks.check_cosine, lambda m, k: SOL.my_cosine(m, k)[0], "batch axis is missing")


# ------------------------------------------------------------------ 3.2 content weights
def test_content_weights_rejects_missing_beta_and_wrong_axis():
    assert_rejected(addressing_checks.check_content_weights,
                    lambda m, k, b: SOL.my_content_weights(m, k, np.ones_like(b)), "multiply the similarities by β")

    def softmax_over_batch(m, k, b):
        z = np.exp(b * SOL.my_cosine(m, k))
        return z / z.sum(axis=0, keepdims=True)

    assert_rejected(addressing_checks.check_content_weights, softmax_over_batch, "normalise over the n slots")


def test_content_weights_rejects_beta_outside_softmax_and_unnormalised():
    assert_rejected(addressing_checks.check_content_weights,
                    lambda m, k, b: b * SOL.my_content_weights(m, k, np.ones_like(b)), "inside the softmax")
    assert_rejected(addressing_checks.check_content_weights, lambda m, k, b: np.exp(b * SOL.my_cosine(m, k)), "normalise over the n slots")


def test_content_weights_rejects_forgotten_batch():
    def first_beta(m, k, b):
        return SOL.my_content_weights(m, k, np.repeat(b[:1], len(b), 0))

    assert_rejected(addressing_checks.check_content_weights, first_beta, "batch of 3")


# ------------------------------------------------------------------ 3.3 interpolate
def test_interpolate_rejects_swapped_gate():
    assert_rejected(addressing_checks.check_interpolate, lambda c, p, g: g * p + (1 - g) * c, "swapped")


def test_interpolate_rejects_wrong_shape_and_batch():
    assert_rejected(addressing_checks.check_interpolate, lambda c, p, g: (g * c + (1 - g) * p)[0], "batch axis is missing")
    assert_rejected(addressing_checks.check_interpolate, lambda c, p, g: g[0, 0] * c + (1 - g[0, 0]) * p, "batch of 3")


# ------------------------------------------------------------------ 3.4 shift
def test_shift_rejects_the_wrong_direction():
    result = assert_rejected(addressing_checks.check_shift, lambda w, s: SOL.my_shift(w, s[:, ::-1]), "wrong way")
    assert "offset +1" in result.message


def test_shift_rejects_off_by_one_roll():
    def off_by_one(w, s):
        radius = s.shape[1] // 2
        return sum(np.roll(w, j + 1, axis=1) * s[:, j + radius][:, None] for j in range(-radius, radius + 1))

    assert_rejected(addressing_checks.check_shift, off_by_one, "offset +1", "expected")


def test_shift_rejects_non_circular():
    def zero_padded(w, s):
        radius, n = s.shape[1] // 2, w.shape[1]
        padded = np.pad(w, ((0, 0), (radius, radius)))
        return sum(padded[:, radius - j: radius - j + n] * s[:, j + radius][:, None] for j in range(-radius, radius + 1))

    assert_rejected(addressing_checks.check_shift, zero_padded, "circular")


def test_shift_rejects_hard_coded_three_offsets():
    def three_only(w, s):
        return sum(np.roll(w, j, axis=1) * s[:, j + 1][:, None] for j in (-1, 0, 1))

    assert_rejected(addressing_checks.check_shift, three_only, "5 offsets", "2r + 1")


def test_shift_rejects_forgotten_batch():
    assert_rejected(addressing_checks.check_shift, lambda w, s: SOL.my_shift(w, np.repeat(s[:1], len(s), 0)), "batch of 3")
    assert_rejected(addressing_checks.check_shift, lambda w, s: SOL.my_shift(w, s)[0], "batch axis is missing")


# ------------------------------------------------------------------ 3.5 sharpen
def test_sharpen_rejects_wrong_formulas():
    assert_rejected(addressing_checks.check_sharpen, lambda w, g: w**g, "normalise")
    assert_rejected(addressing_checks.check_sharpen, lambda w, g: (w * g) / (w * g).sum(1, keepdims=True), "exponent")
    assert_rejected(addressing_checks.check_sharpen,
                    lambda w, g: np.exp(g * w) / np.exp(g * w).sum(1, keepdims=True), "power γ")


def test_sharpen_rejects_shape_and_batch_mistakes():
    assert_rejected(addressing_checks.check_sharpen, lambda w, g: (w**g / (w**g).sum()).ravel(), "shape")

    def normalise_over_batch(w, g):
        p = w**g
        return p / p.sum(axis=0, keepdims=True)

    assert_rejected(addressing_checks.check_sharpen, normalise_over_batch, "expected")


# ------------------------------------------------------------------ 3.6 address
def test_address_rejects_wrong_order_and_missing_stage():
    def sharpen_before_shift(m, wp, k, b, g, s, ga):
        return SOL.my_shift(SOL.my_sharpen(SOL.my_interpolate(SOL.my_content_weights(m, k, b), wp, g), ga), s)

    assert_rejected(addressing_checks.check_address, sharpen_before_shift, "sharpen last")

    def no_interpolation(m, wp, k, b, g, s, ga):
        return SOL.my_sharpen(SOL.my_shift(SOL.my_content_weights(m, k, b), s), ga)

    assert_rejected(addressing_checks.check_address, no_interpolation, "skipped the interpolation")

    def wrong_shift_direction(m, wp, k, b, g, s, ga):
        return SOL.my_address(m, wp, k, b, g, s[:, ::-1], ga)

    assert_rejected(addressing_checks.check_address, wrong_shift_direction, "slot 1")


# ------------------------------------------------------------------ 4.1, 4.2
def test_head_parameter_count():
    assert run(layer_checks.check_head_parameter_count, SOL.HEAD_PARAMETER_COUNT).status == PASSED
    assert run(layer_checks.check_head_parameter_count, None).status == NOT_DONE
    assert_rejected(layer_checks.check_head_parameter_count, 66, "write head alone")
    assert_rejected(layer_checks.check_head_parameter_count, 26, "read head alone")
    assert_rejected(layer_checks.check_head_parameter_count, 52, "erase vector")
    assert_rejected(layer_checks.check_head_parameter_count, 90, "3 numbers per head")
    assert_rejected(layer_checks.check_head_parameter_count, 7, "count per head")
    assert_rejected(layer_checks.check_head_parameter_count, "many", "must be a number")


def test_head_activations_rejects_wrong_activations_and_shapes():
    def altered(**changes):
        def fn(raw, m, s):
            out = SOL.my_head_activations(raw, m, s)
            for name, f in changes.items():
                out[name] = f(raw, m, s, out)
            return out

        return fn

    assert_rejected(layer_checks.check_head_activations,
                    altered(gamma=lambda raw, m, s, out: out["gamma"] - 1.0), "gamma", "1 + softplus")
    assert_rejected(layer_checks.check_head_activations,
                    altered(beta=lambda raw, m, s, out: np.exp(raw[:, m:m + 1])), "beta", "softplus")
    assert_rejected(layer_checks.check_head_activations,
                    altered(g=lambda raw, m, s, out: np.tanh(raw[:, m + 1:m + 2])), "sigmoid")
    assert_rejected(layer_checks.check_head_activations,
                    altered(shift=lambda raw, m, s, out: raw[:, m + 2:m + 2 + s]), "softmax")
    assert_rejected(layer_checks.check_head_activations,
                    altered(beta=lambda raw, m, s, out: out["beta"][:, 0]), "shape", "trailing axis")
    assert_rejected(layer_checks.check_head_activations, lambda raw, m, s: [1, 2], "dict")
    assert_rejected(layer_checks.check_head_activations, lambda raw, m, s: {"key": raw[:, :m]}, "missing")

    def hard_coded_three_shifts(raw, m, s):
        return SOL.my_head_activations(raw, m, 3)

    assert_rejected(layer_checks.check_head_activations, hard_coded_three_shifts, "batch of 3")


# ------------------------------------------------------------------ solutions vs ntm_core
def test_solutions_agree_with_ntm_core():
    """The solutions follow ntm_core's conventions (shift direction, epsilon, order)."""
    impl = {"read": SOL.my_read, "write": SOL.my_write, "cosine_similarity": SOL.my_cosine,
            "content_weights": SOL.my_content_weights, "interpolate": SOL.my_interpolate,
            "shift": SOL.my_shift, "sharpen": SOL.my_sharpen, "address": SOL.my_address}
    assert_agrees_with_ntm_core(impl, random_case(seed=0, shift_width=5))


def test_head_parameter_count_matches_ntm_core():
    from ntm_core.cell import head_parameter_sizes

    total = sum(width for _, width in head_parameter_sizes(20, 3, True) + head_parameter_sizes(20, 3, False))
    assert total == SOL.HEAD_PARAMETER_COUNT


def test_head_activations_match_ntm_cell():
    import keras

    from ntm_core import NTMCell

    cell = NTMCell(3, memory_size=8, memory_width=4, controller="dense", controller_units=6,
                   read_heads=1, write_heads=1, clip_value=None)
    cell.build((None, 2))
    raw = np.random.default_rng(1).normal(size=(2, cell.head_parameter_count)).astype("float32") * 3
    heads = cell._split_heads(keras.ops.convert_to_tensor(raw))
    write_width = sum(w for _, w in cell._head_sizes[0])
    ours = SOL.my_head_activations(raw[:, write_width:], 4, 3)
    for name, value in ours.items():
        np.testing.assert_allclose(value, np.asarray(keras.ops.convert_to_numpy(heads[1][name])), rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------ the shipped notebooks
# Each notebook's check cells call `checks.check_...`, with `checks` its own module.
NOTEBOOKS = {"02_reading_and_writing": memory_checks, "03_addressing": addressing_checks,
             "04_building_the_layer": layer_checks}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_shipped_exercises_are_unfilled_and_checked(name):
    starters, checks = tagged_cells(name, "exercise"), tagged_cells(name, "check")
    assert starters and len(starters) == len(checks), (len(starters), len(checks))
    namespace = {"np": np}
    for src in starters:
        assert "YOUR CODE" in src or "YOUR ANSWER" in src
        exec(compile(src, f"<{name} starter>", "exec"), namespace)
    namespace["checks"] = NOTEBOOKS[name]
    for src in checks:
        result = eval(compile(src.strip().rstrip(";"), f"<{name} check>", "eval"), namespace)
        assert isinstance(result, CheckResult), src
        assert result.status == NOT_DONE, result.report()
