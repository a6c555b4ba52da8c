"""Record everything an NTM does while it runs a sequence.

:func:`trace` steps the cell through time in plain Python and keeps, for every
step, the memory, every head's weighting and its addressing stages, and the
head parameters. The notebooks and widget explorers plot these arrays; they
never run the model inside a widget callback.
"""

from dataclasses import dataclass, field

import keras
import numpy as np
from keras import ops

from ntm_core.cell import NTMCell
from ntm_core.layer import NTM


@dataclass
class HeadTrace:
    """One head over time. Arrays are (B, T, ...) NumPy arrays.

    kind: "read" or "write"; index: its number among heads of that kind.
    content, interpolated, shifted, weights: (B, T, N), the stages of eq. 5-9.
    key: (B, T, M); beta, g, gamma: (B, T); shift: (B, T, 2R+1).
    erase, add: (B, T, M) for write heads, None for read heads.
    read: (B, T, M) the read vector r_t for read heads, None for write heads.
    """

    kind: str
    index: int
    content: np.ndarray
    interpolated: np.ndarray
    shifted: np.ndarray
    weights: np.ndarray
    key: np.ndarray
    beta: np.ndarray
    g: np.ndarray
    shift: np.ndarray
    gamma: np.ndarray
    erase: np.ndarray = None
    add: np.ndarray = None
    read: np.ndarray = None

    @property
    def label(self):
        return f"{self.kind} head {self.index}"


@dataclass
class Trace:
    """What an NTM did on a batch of sequences.

    inputs: (B, T, input_size); outputs: (B, T, units).
    initial_memory: (B, N, M), the memory before step 0.
    memory: (B, T, N, M), the memory after each step's writes.
    heads: every head, write heads first (the order the cell runs them).
    controller_output: (B, T, controller_units).
    """

    inputs: np.ndarray
    outputs: np.ndarray
    initial_memory: np.ndarray
    memory: np.ndarray
    controller_output: np.ndarray
    heads: list = field(default_factory=list)

    @property
    def read_heads(self):
        return [h for h in self.heads if h.kind == "read"]

    @property
    def write_heads(self):
        return [h for h in self.heads if h.kind == "write"]

    @property
    def read_weights(self):
        """(B, T, R, N) the final weighting of every read head."""
        return np.stack([h.weights for h in self.read_heads], axis=2)

    @property
    def write_weights(self):
        """(B, T, W, N) the final weighting of every write head."""
        return np.stack([h.weights for h in self.write_heads], axis=2)

    @property
    def reads(self):
        """(B, T, R, M) the read vectors."""
        return np.stack([h.read for h in self.read_heads], axis=2)

    @property
    def num_steps(self):
        return self.outputs.shape[1]


def find_ntm(model_or_layer):
    """Return the :class:`NTM` layer inside a model (or the layer itself)."""
    if isinstance(model_or_layer, NTM):
        return model_or_layer
    if isinstance(model_or_layer, keras.Model):
        found = [layer for layer in model_or_layer._flatten_layers() if isinstance(layer, NTM)]
        if len(found) == 1:
            return found[0]
        raise ValueError(f"`model_or_layer` must contain exactly one NTM layer, found {len(found)}.")
    raise TypeError(f"`model_or_layer` must be an NTM layer or a keras Model, got {type(model_or_layer).__name__}.")


def _to_numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def trace(model_or_layer, inputs):
    """Run ``inputs`` through an NTM step by step and record every internal value.

    Args:
        model_or_layer: an :class:`NTM` layer, or a model whose NTM layer reads
            the model's input directly (as every model ``ntm_core`` builds does).
        inputs: (B, T, input_size) array, or (T, input_size) for one sequence.

    Returns:
        a :class:`Trace`; ``trace.outputs`` equals the layer's own output.
    """
    layer = find_ntm(model_or_layer)
    x = np.asarray(inputs, dtype="float32")
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3:
        raise ValueError(f"`inputs` must have shape (batch, time, features), got shape {x.shape}.")
    if not layer.built:
        layer.build(x.shape)
    cell: NTMCell = layer.cell
    if x.shape[-1] != cell.input_size:
        raise ValueError(f"`inputs` must have {cell.input_size} features (the NTM's input width), got {x.shape[-1]}.")
    if layer.go_backwards:
        raise ValueError("trace() follows time forwards; the NTM layer was built with go_backwards=True.")

    states = layer.states if layer.stateful and layer.states is not None else cell.get_initial_state(x.shape[0])
    states = [ops.convert_to_tensor(s) for s in states]
    n, m = cell.memory_size, cell.memory_width
    initial_memory = _to_numpy(states[0]).reshape(-1, n, m)
    outputs, memories, controller_outputs, per_step = [], [], [], []
    for t in range(x.shape[1]):
        out, states, info = cell.step(ops.convert_to_tensor(x[:, t]), states, training=False)
        outputs.append(_to_numpy(out))
        memories.append(_to_numpy(states[0]).reshape(-1, n, m))
        controller_outputs.append(_to_numpy(info["controller_output"]))
        per_step.append(info)

    heads = []
    for h in range(cell.num_heads):
        kind = "write" if h < cell.write_heads else "read"
        index = h if kind == "write" else h - cell.write_heads

        def over_time(get):
            return np.stack([_to_numpy(get(info)) for info in per_step], axis=1)

        def param(name, squeeze=False):
            arr = over_time(lambda info: info["heads"][h][name])
            return arr[..., 0] if squeeze else arr

        heads.append(
            HeadTrace(
                kind=kind,
                index=index,
                content=over_time(lambda info: info["stages"][h]["content"]),
                interpolated=over_time(lambda info: info["stages"][h]["interpolated"]),
                shifted=over_time(lambda info: info["stages"][h]["shifted"]),
                weights=over_time(lambda info: info["stages"][h]["weights"]),
                key=param("key"),
                beta=param("beta", squeeze=True),
                g=param("g", squeeze=True),
                shift=param("shift"),
                gamma=param("gamma", squeeze=True),
                erase=param("erase") if kind == "write" else None,
                add=param("add") if kind == "write" else None,
                read=over_time(lambda info: info["reads"][index]) if kind == "read" else None,
            )
        )
    return Trace(
        inputs=x,
        outputs=np.stack(outputs, axis=1),
        initial_memory=initial_memory,
        memory=np.stack(memories, axis=1),
        controller_output=np.stack(controller_outputs, axis=1),
        heads=heads,
    )
