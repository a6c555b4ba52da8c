"""Argument checks: the one way ntm_core validates what it is given.

Every message names the argument, the value it got and what was expected::

    >>> check_int("memory_size", 0, minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: `memory_size` must be an integer >= 1, got 0.

A value of the wrong kind raises ``TypeError``; a value of the right kind out
of range (or not among the choices) raises ``ValueError``. Each check returns
the value in its plain Python form, so callers write
``n = check_int("n", n, minimum=1)``.
"""

import numbers

import numpy as np

__all__ = [
    "check_bool",
    "check_choice",
    "check_int",
    "check_number",
    "check_rank",
    "check_shape",
    "describe",
    "is_real_number",
]


def describe(value, limit=60):
    """A short repr of ``value`` for an error message (arrays by shape and dtype)."""
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, (numbers.Number, np.generic)):
        return f"an array of shape {tuple(shape)} and dtype {getattr(value, 'dtype', '?')}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_real_number(value):
    """True for an int or float (NumPy's too) that is not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _range_text(minimum, maximum, strict_minimum=False, strict_maximum=False):
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if strict_minimum else '>='} {minimum}")
    if maximum is not None:
        parts.append(f"{'<' if strict_maximum else '<='} {maximum}")
    return " and ".join(parts)


def check_int(name, value, minimum=None, maximum=None, allow_none=False):
    """``value`` as an ``int`` within ``[minimum, maximum]`` (either bound may be None)."""
    if value is None and allow_none:
        return None
    bounds = _range_text(minimum, maximum)
    expected = "an integer" + (f" {bounds}" if bounds else "") + (" or None" if allow_none else "")
    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be {expected}, got {describe(value)}.")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"`{name}` must be {expected}, got {value}.")
    return value


def check_number(
    name, value, minimum=None, maximum=None, strict_minimum=False, strict_maximum=False, allow_none=False
):
    """``value`` as a finite ``float`` within the bounds (``strict_*``: the bound itself is refused)."""
    if value is None and allow_none:
        return None
    bounds = _range_text(minimum, maximum, strict_minimum, strict_maximum)
    expected = "a finite number" + (f" {bounds}" if bounds else "") + (" or None" if allow_none else "")
    if not is_real_number(value):
        raise TypeError(f"`{name}` must be {expected}, got {describe(value)}.")
    value = float(value)
    too_small = minimum is not None and (value <= minimum if strict_minimum else value < minimum)
    too_large = maximum is not None and (value >= maximum if strict_maximum else value > maximum)
    if not np.isfinite(value) or too_small or too_large:
        raise ValueError(f"`{name}` must be {expected}, got {value!r}.")
    return value


def check_bool(name, value):
    """``value`` as a ``bool``; 0/1 and strings are refused (a typo, not a flag)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False, got {describe(value)}.")
    return bool(value)


def check_choice(name, value, choices):
    """``value`` if it is one of ``choices``; the message lists them."""
    choices = tuple(choices)
    try:
        ok = value in choices
    except TypeError:  # unhashable or incomparable values are not choices
        ok = False
    if not ok:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"`{name}` must be one of {listed}, got {describe(value)}.")
    return value


def check_rank(name, value, rank, layout=None):
    """``value``'s shape if it has ``rank`` axes; ``layout`` (e.g. "(batch, N, M)") goes in the message."""
    shape = getattr(value, "shape", None)
    if shape is None:
        raise TypeError(f"`{name}` must be an array, got {describe(value)}.")
    if len(shape) != rank:
        expected = f"{rank} axes" + (f" {layout}" if layout else "")
        raise ValueError(f"`{name}` must have {expected}, got shape {tuple(shape)}.")
    return tuple(shape)


def check_shape(name, value, expected, layout=None):
    """``value``'s shape if it has ``len(expected)`` axes of the expected sizes.

    ``expected`` holds one size per axis; ``None`` (in ``expected`` or in the
    value's shape, as while Keras traces a model) matches any size. ``layout``
    names the axes in the message, e.g. ``check_shape("key", k, (B, M), "(batch, M)")``
    refuses a key of shape (2, 5) when M = 4 with "`key` must have shape
    (batch, M) = (2, 4), got shape (2, 5)."
    """
    expected = tuple(None if size is None else int(size) for size in expected)
    shape = check_rank(name, value, len(expected), layout)
    if any(a is not None and b is not None and int(a) != b for a, b in zip(shape, expected)):
        wanted = f"{layout} = {expected}" if layout else f"{expected}"
        raise ValueError(f"`{name}` must have shape {wanted}, got shape {shape}.")
    return shape
