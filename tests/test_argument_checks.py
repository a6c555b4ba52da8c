"""ntm_core.validation: the one argument-check style (name, value, what was expected)."""

import numpy as np
import pytest

from ntm_core.validation import (
    check_bool,
    check_choice,
    check_int,
    check_number,
    check_rank,
    check_shape,
    is_real_number,
)

pytestmark = pytest.mark.once


def test_check_int_accepts_and_normalises():
    assert check_int("n", np.int64(3), minimum=1) == 3
    assert type(check_int("n", np.int64(3))) is int
    assert check_int("n", None, allow_none=True) is None


@pytest.mark.parametrize(
    "value, error, words",
    [
        (0, ValueError, ["`memory_size`", "integer >= 1", "got 0"]),
        (2.0, TypeError, ["`memory_size`", "got 2.0"]),
        (True, TypeError, ["`memory_size`", "got True"]),
        ("8", TypeError, ["`memory_size`", "got '8'"]),
        (300, ValueError, ["<= 256", "got 300"]),
    ],
)
def test_check_int_refuses_with_name_value_and_expectation(value, error, words):
    with pytest.raises(error) as info:
        check_int("memory_size", value, minimum=1, maximum=256)
    for word in words:
        assert word in str(info.value)


def test_check_number_bounds_and_finiteness():
    assert check_number("lr", 1e-3, minimum=0, strict_minimum=True) == 1e-3
    with pytest.raises(ValueError, match=r"`lr` must be a finite number > 0, got 0.0"):
        check_number("lr", 0, minimum=0, strict_minimum=True)
    with pytest.raises(ValueError, match="got nan"):
        check_number("lr", float("nan"))
    with pytest.raises(TypeError, match="got False"):
        check_number("lr", False)
    assert check_number("share", 1, minimum=0, maximum=1) == 1.0
    assert check_number("dropout", 0.0, minimum=0, maximum=1, strict_maximum=True) == 0.0
    with pytest.raises(ValueError, match=r"`dropout` must be a finite number >= 0 and < 1, got 1.0"):
        check_number("dropout", 1, minimum=0, maximum=1, strict_maximum=True)


def test_check_choice_lists_the_choices():
    assert check_choice("model", "ntm", ("ntm", "lstm")) == "ntm"
    with pytest.raises(ValueError, match=r"`model` must be one of 'ntm', 'lstm', got 'gru'"):
        check_choice("model", "gru", ("ntm", "lstm"))
    with pytest.raises(ValueError):
        check_choice("model", ["ntm"], ("ntm", "lstm"))


def test_check_bool_and_rank():
    assert check_bool("flag", np.bool_(True)) is True
    with pytest.raises(TypeError, match="`flag` must be True or False, got 1"):
        check_bool("flag", 1)
    assert check_rank("memory", np.zeros((2, 8, 4)), 3) == (2, 8, 4)
    with pytest.raises(ValueError, match=r"`memory` must have 3 axes \(batch, N, M\), got shape \(8, 4\)"):
        check_rank("memory", np.zeros((8, 4)), 3, "(batch, N, M)")
    with pytest.raises(TypeError, match="must be an array"):
        check_rank("memory", [[1.0]], 2)


def test_is_real_number():
    assert is_real_number(1) and is_real_number(np.float32(0.5))
    assert not is_real_number(True) and not is_real_number("1") and not is_real_number(None)


def test_check_shape_names_the_layout_and_both_shapes():
    assert check_shape("key", np.zeros((2, 4)), (2, 4), "(batch, M)") == (2, 4)
    # None matches any size, on either side (unknown while Keras traces a model)
    assert check_shape("key", np.zeros((7, 4)), (None, 4)) == (7, 4)

    class Symbolic:
        shape = (None, 4)

    assert check_shape("key", Symbolic(), (2, 4)) == (None, 4)
    with pytest.raises(ValueError, match=r"`key` must have shape \(batch, M\) = \(2, 4\), got shape \(2, 5\)\."):
        check_shape("key", np.zeros((2, 5)), (2, 4), "(batch, M)")
    with pytest.raises(ValueError, match=r"`key` must have shape \(None, 1\), got shape \(3, 2\)"):
        check_shape("key", np.zeros((3, 2)), (None, 1))
    with pytest.raises(ValueError, match=r"`key` must have 2 axes \(batch, M\), got shape \(4,\)"):
        check_shape("key", np.zeros(4), (2, 4), "(batch, M)")
    with pytest.raises(TypeError, match="`key` must be an array"):
        check_shape("key", [1.0, 2.0], (2,))
