"""Bad arguments fail early, with an error that names the argument."""

import keras
import numpy as np
import pytest
from keras import ops

import ntm_core
from ntm_core import NTM, NTMCell, addressing, controller_input_output_shape
from ntm_core import memory as ntm_memory

IN = 6
SMALL = dict(memory_size=8, memory_width=4, controller_units=16)


def _arr(*shape):
    return np.full(shape, 1.0 / shape[-1] if shape else 1.0, "float32")


# --- constructor arguments ----------------------------------------------------------
BAD_ARGUMENTS = [
    # (keyword, value, error, regex)
    ("units", 0, ValueError, "units"),
    ("units", -3, ValueError, "units"),
    ("units", 2.5, TypeError, "units"),
    ("units", "4", TypeError, "units"),
    ("units", True, TypeError, "units"),
    ("memory_size", 0, ValueError, "memory_size"),
    ("memory_size", -8, ValueError, "memory_size"),
    ("memory_size", 8.0, TypeError, "memory_size"),
    ("memory_width", 0, ValueError, "memory_width"),
    ("memory_width", None, TypeError, "memory_width"),
    ("read_heads", 0, ValueError, "read_heads"),
    ("read_heads", 1.0, TypeError, "read_heads"),
    ("write_heads", 0, ValueError, "write_heads"),
    ("write_heads", -1, ValueError, "write_heads"),
    ("controller_units", 0, ValueError, "controller_units"),
    ("controller_units", 1.5, TypeError, "controller_units"),
    ("shift_range", 2, ValueError, "shift_range"),  # even
    ("shift_range", 4, ValueError, "shift_range"),
    ("shift_range", 0, ValueError, "shift_range"),
    ("shift_range", -1, ValueError, "shift_range"),  # negative
    ("shift_range", -3, ValueError, "shift_range"),
    ("shift_range", 9, ValueError, "shift_range"),  # wider than memory_size=8
    ("shift_range", 3.0, TypeError, "shift_range"),
    ("controller", "gru", ValueError, "controller"),
    ("controller", "LSTM ", ValueError, "controller"),
    ("controller", 42, TypeError, "controller"),
    ("controller", keras.layers.Dense, TypeError, "controller"),  # a class, not a layer
    ("controller", lambda x: x, TypeError, "controller"),
    ("preset", "fast", ValueError, "preset"),
    ("preset", None, ValueError, "preset"),
    ("controller_dropout", -0.1, ValueError, "controller_dropout"),
    ("controller_dropout", 1.0, ValueError, "controller_dropout"),
    ("controller_dropout", 1.5, ValueError, "controller_dropout"),
    ("memory_init", "zeros", ValueError, "memory_init"),
    ("controller_init", "random", ValueError, "controller_init"),
    ("clip_value", 0, ValueError, "clip_value"),
    ("clip_value", -1.0, ValueError, "clip_value"),
    ("key_activation", "relu", ValueError, "key_activation"),
]


@pytest.mark.parametrize("cls", [NTMCell, NTM])
@pytest.mark.parametrize("keyword, value, error, pattern", BAD_ARGUMENTS)
def test_bad_constructor_arguments(cls, keyword, value, error, pattern):
    kwargs = {"units": 4, **SMALL, keyword: value}
    with pytest.raises(error, match=pattern):
        cls(**kwargs)


def test_good_edge_values_are_accepted():
    NTMCell(4, memory_size=3, memory_width=1, shift_range=3, controller_units=1)  # 2R+1 == N
    NTMCell(4, **SMALL, shift_range=1)  # no shifting at all
    NTMCell(4, **SMALL, controller_dropout=0.0, clip_value=None)
    NTM(np.int64(4), memory_size=np.int32(8), memory_width=4, controller_units=16)


@pytest.mark.parametrize(
    "args, pattern",
    [
        ((0,), "input_size"),
        ((9, 0), "memory_width"),
        ((9, 20, 0), "read_heads"),
        ((9, 20, 1, -5), "controller_units"),
        ((9.0,), "input_size"),
    ],
)
def test_controller_input_output_shape_checks(args, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern):
        controller_input_output_shape(*args)


# --- build-time and call-time errors ---------------------------------------------------
@pytest.mark.parametrize(
    "controller",
    [
        lambda: keras.layers.Dense(10),
        lambda: keras.Sequential([keras.layers.Dense(12), keras.layers.Dense(15)]),
    ],
    ids=["dense", "sequential"],
)
def test_custom_controller_of_the_wrong_width(controller):
    layer = NTM(4, **SMALL, controller=controller())  # controller_units=16
    with pytest.raises(ValueError, match="controller"):
        layer.build((None, None, IN))


@pytest.mark.parametrize("shape", [(2, IN), (IN,), (2, 3, 4, IN)])
def test_input_of_the_wrong_rank(shape):
    layer = NTM(4, **SMALL)
    with pytest.raises(ValueError, match="input"):
        layer(np.zeros(shape, "float32"))


def test_input_of_the_wrong_rank_symbolic():
    with pytest.raises(ValueError, match="input"):
        NTM(4, **SMALL)(keras.Input((IN,)))


def test_unknown_feature_width():
    with pytest.raises(ValueError, match="features"):
        NTM(4, **SMALL).build((None, None, None))


def test_input_of_the_wrong_width_after_build():
    layer = NTM(4, **SMALL)
    layer.build((None, None, IN))
    # Keras' InputSpec: "Input 0 of layer ... expected axis -1 of input shape to have value 6"
    with pytest.raises(ValueError, match=f"(?i)input.*axis -1.*{IN}"):
        layer(np.zeros((2, 3, IN + 1), "float32"))
    with pytest.raises(ValueError, match="(?i)input.*ndim=3"):
        layer(np.zeros((2, IN), "float32"))


def test_trace_checks_its_arguments():
    inp = keras.Input((None, IN))
    model = keras.Model(inp, NTM(4, **SMALL)(inp))
    with pytest.raises(ValueError, match="inputs"):
        ntm_core.trace(model, np.zeros((2, 3, IN + 2), "float32"))
    with pytest.raises(ValueError, match="inputs"):
        ntm_core.trace(model, np.zeros((IN,), "float32"))
    with pytest.raises(TypeError, match="model_or_layer"):
        ntm_core.trace("model", np.zeros((2, 3, IN), "float32"))
    two = keras.Model(inp, [NTM(4, **SMALL)(inp), NTM(4, **SMALL)(inp)])
    with pytest.raises(ValueError, match="model_or_layer"):
        ntm_core.trace(two, np.zeros((2, 3, IN), "float32"))


# --- the equation functions -----------------------------------------------------------
B, N, M = 2, 8, 4
GOOD = dict(
    memory=_arr(B, N, M),
    w_content=_arr(B, N),
    w_prev=_arr(B, N),
    key=_arr(B, M),
    beta=_arr(B, 1),
    g=_arr(B, 1),
    s=_arr(B, 3),
    gamma=_arr(B, 1),
)


def _with(**bad):
    return {**GOOD, **bad}


ADDRESSING_CASES = [
    # cosine similarity / content (eq. 5-6)
    ("cosine", _with(key=_arr(B + 1, M)), "key"),
    ("cosine", _with(key=_arr(B, M + 1)), "key"),
    ("cosine", _with(key=_arr(M)), "key"),
    ("cosine", _with(memory=_arr(B, N * M)), "memory"),
    ("content", _with(beta=_arr(B, 2)), "beta"),
    ("content", _with(beta=_arr(B + 1, 1)), "beta"),
    ("content", _with(beta=_arr(B)), "beta"),
    ("content", _with(beta=np.float32(1.0)), "beta"),
    ("content", _with(key=_arr(B, M - 1)), "key"),
    # interpolation (eq. 7)
    ("interpolate", _with(w_prev=_arr(B, N - 1)), "w_prev"),
    ("interpolate", _with(w_prev=_arr(B + 1, N)), "w_prev"),
    ("interpolate", _with(g=_arr(B, 2)), "`g`"),
    ("interpolate", _with(g=_arr(B + 1, 1)), "`g`"),
    ("interpolate", _with(w_content=_arr(B, N, 1)), "w_content"),
    # shift (eq. 8)
    ("shift", _with(s=_arr(B, 4)), "`s`.*odd"),  # even width
    ("shift", _with(s=_arr(B, 2)), "`s`.*odd"),
    ("shift", _with(s=_arr(B, N + 1)), "`s`.*wider"),  # wider than N
    ("shift", _with(s=_arr(B + 1, 3)), "`s`"),
    ("shift", _with(s=_arr(3)), "`s`"),
    ("shift", _with(w_prev=_arr(B, N, 1)), "`w`"),
    # sharpen (eq. 9)
    ("sharpen", _with(gamma=_arr(B, 2)), "gamma"),
    ("sharpen", _with(gamma=_arr(B + 1, 1)), "gamma"),
    ("sharpen", _with(gamma=_arr(B)), "gamma"),
    ("sharpen", _with(w_prev=_arr(N)), "`w`"),
    # the pipeline
    ("address", _with(beta=_arr(B, 3)), "beta"),
    ("address", _with(key=_arr(B, M + 2)), "key"),
    ("address", _with(w_prev=_arr(B, N + 1)), "w_prev"),
    ("address", _with(s=_arr(B, 2)), "`s`"),
    ("address", _with(gamma=_arr(B + 1, 1)), "gamma"),
    ("address", _with(g=_arr(1)), "`g`"),
]


def _call(fn, a):
    if fn == "cosine":
        return addressing.cosine_similarity(a["memory"], a["key"])
    if fn == "content":
        return addressing.content_weights(a["memory"], a["key"], a["beta"])
    if fn == "interpolate":
        return addressing.interpolate(a["w_content"], a["w_prev"], a["g"])
    if fn == "shift":
        return addressing.shift(a["w_prev"], a["s"])
    if fn == "sharpen":
        return addressing.sharpen(a["w_prev"], a["gamma"])
    if fn == "address":
        return addressing.address(a["memory"], a["w_prev"], a["key"], a["beta"], a["g"], a["s"], a["gamma"])
    raise AssertionError(fn)


@pytest.mark.parametrize("fn", ["cosine", "content", "interpolate", "shift", "sharpen", "address"])
def test_good_shapes_work(fn):
    out = ops.convert_to_numpy(_call(fn, GOOD))
    assert out.shape == (B, N)


@pytest.mark.parametrize("fn, args, pattern", ADDRESSING_CASES)
def test_addressing_shape_mismatches(fn, args, pattern):
    with pytest.raises(ValueError, match=pattern):
        _call(fn, args)


def test_addressing_checks_backend_tensors_too():
    with pytest.raises(ValueError, match="`s`"):
        addressing.shift(ops.convert_to_tensor(_arr(B, N)), ops.convert_to_tensor(_arr(B, 4)))
    with pytest.raises(ValueError, match="beta"):
        addressing.content_weights(
            ops.convert_to_tensor(_arr(B, N, M)), ops.convert_to_tensor(_arr(B, M)), ops.convert_to_tensor(_arr(B, 2))
        )


MEMORY_CASES = [
    ("read", dict(w=_arr(B + 1, N)), "`w`"),
    ("read", dict(w=_arr(B, N - 1)), "`w`"),
    ("read", dict(w=_arr(N)), "`w`"),
    ("read", dict(memory=_arr(B, N * M)), "memory"),
    ("erase", dict(e=_arr(B, M + 1)), "erase"),
    ("erase", dict(e=_arr(B + 1, M)), "erase"),
    ("erase", dict(e=_arr(M)), "erase"),
    ("erase", dict(w=_arr(B, N + 2)), "`w`"),
    ("add", dict(a=_arr(B, M - 1)), "add"),
    ("add", dict(a=_arr(B + 1, M)), "add"),
    ("add", dict(memory=_arr(N, M)), "memory"),
    ("write", dict(e=_arr(B, M + 1)), "erase"),
    ("write", dict(a=_arr(B, 2 * M)), "add"),
    ("write", dict(w=_arr(B + 1, N)), "`w`"),
]


@pytest.mark.parametrize("fn, bad, pattern", MEMORY_CASES)
def test_memory_shape_mismatches(fn, bad, pattern):
    a = {"memory": _arr(B, N, M), "w": _arr(B, N), "e": _arr(B, M), "a": _arr(B, M), **bad}
    with pytest.raises(ValueError, match=pattern):
        if fn == "read":
            ntm_memory.read(a["memory"], a["w"])
        elif fn == "erase":
            ntm_memory.erase(a["memory"], a["w"], a["e"])
        elif fn == "add":
            ntm_memory.add(a["memory"], a["w"], a["a"])
        else:
            ntm_memory.write(a["memory"], a["w"], a["e"], a["a"])


# --- one message style everywhere ------------------------------------------------------
def test_messages_name_the_argument_the_value_and_the_expectation():
    from ntm_core.metrics import bits_per_sequence
    from ntm_core.tasks import get_task

    with pytest.raises(ValueError, match=r"`shift_range` must be an integer >= 1 and <= 8, got 9\."):
        NTMCell(4, **SMALL, shift_range=9)
    with pytest.raises(ValueError, match=r"`controller_dropout` must be a finite number >= 0.0 and < 1.0, got 1.0\."):
        NTM(4, **SMALL, controller_dropout=1.0)
    with pytest.raises(TypeError, match=r"`units` must be an integer >= 1, got 2.5\."):
        NTMCell(2.5, **SMALL)
    with pytest.raises(ValueError, match=r"`key` must have shape \(batch, M\) = \(2, 4\), got shape \(2, 5\)\."):
        addressing.cosine_similarity(_arr(B, N, M), _arr(B, M + 1))
    with pytest.raises(ValueError, match=r"`w` must have shape \(batch, N\) = \(2, 8\), got shape \(2, 7\)\."):
        ntm_memory.read(_arr(B, N, M), _arr(B, N - 1))
    with pytest.raises(ValueError, match=r"`bits` must be an integer >= 1, got 0\."):
        get_task("copy", bits=0)
    with pytest.raises(ValueError, match=r"`mask` must have shape \(batch, time\) = \(2, 3\), got shape \(2, 4\)\."):
        bits_per_sequence(np.zeros((2, 3, 1)), np.zeros((2, 3, 1)), np.ones((2, 4)))
