"""Backend helpers for the tests: NumPy conversion and gradients on any backend.

A module of its own (not conftest.py) so that ``from backend_utils import ...``
cannot pick up another folder's conftest (tests/browser has one too).
"""

import keras
import numpy as np
from keras import ops


def to_numpy(x):
    """A backend tensor (or anything array-like) as a NumPy array."""
    return np.asarray(ops.convert_to_numpy(x))


def _as_scalar(y):
    return y if len(tuple(y.shape)) == 0 else ops.sum(y)


def grad_of(fn, *arrays):
    """Gradients of ``fn(*arrays)`` with respect to every argument, as NumPy.

    ``fn`` takes backend tensors and returns a tensor; a non-scalar result is
    summed first. Inputs are float32. Returns a list with one array per input
    (zeros where the output does not depend on that input).
    """
    arrays = [np.asarray(a, dtype="float32") for a in arrays]
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        xs = [tf.constant(a) for a in arrays]
        with tf.GradientTape() as tape:
            for x in xs:
                tape.watch(x)
            y = _as_scalar(fn(*xs))
        grads = tape.gradient(y, xs, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return [np.asarray(g.numpy()) for g in grads]
    if backend == "jax":
        import jax
        import jax.numpy as jnp

        xs = [jnp.asarray(a) for a in arrays]
        grads = jax.grad(lambda *a: _as_scalar(fn(*a)), argnums=tuple(range(len(xs))))(*xs)
        return [np.asarray(g) for g in grads]
    if backend == "torch":
        import torch

        xs = [torch.tensor(a, requires_grad=True) for a in arrays]
        y = _as_scalar(fn(*xs))
        grads = torch.autograd.grad(y, xs, allow_unused=True)
        return [
            np.zeros_like(a) if g is None else g.detach().cpu().numpy() for a, g in zip(arrays, grads)
        ]
    raise NotImplementedError(f"grad_of does not support the {backend!r} backend")
