"""One time step of a Neural Turing Machine: :class:`NTMCell`.

One step (Graves et al. 2014, Figure 1)::

    controller input  = [x_t, r_{t-1} (every read head)]
    controller output = h_t                    (LSTM, dense or your own layer)
    head parameters   = split(Dense(h_t))      (k, beta, g, s, gamma[, e, a])
    write heads       : w_t = address(M_{t-1}, ...);  M_t = erase all, then add all
    read heads        : w_t = address(M_t, ...);      r_t = read(M_t, w_t)
    output y_t        = activation(Dense([h_t, r_t]))

Write heads act before read heads, so a read at step t sees what was written
at step t, as in eq. 2 (r_t reads M_t). :class:`ntm_core.layer.NTM` runs the
cell over a sequence, as ``keras.layers.LSTM`` runs ``LSTMCell``; :mod:`ntm_core.heads`
holds what the heads do with the controller's output.
"""

import keras
import numpy as np
from keras import ops

from ntm_core.heads import access_memory, head_parameter_sizes, split_head_parameters
from ntm_core.validation import check_choice, check_int, check_number

# Each preset fixes how the state starts and how hard the controller's raw
# outputs are limited. Everything else (sizes, heads, controller) is free.
PRESETS = {
    # Graves et al. 2014: "state reset to learned bias values" -- memory, read
    # vectors, head weightings and controller state; no clipping in the cell.
    "paper": {"memory_init": "learned", "controller_init": "learned", "clip_value": None},
    # Collier & Beel 2018, "Implementing Neural Turing Machines": memory
    # starts as a small constant (1e-6, not trained), read vectors and head
    # weightings are learned (the weightings as softmax logits, so they stay
    # a distribution), the controller starts at zero and every raw controller
    # output is clipped to [-20, 20]. They report faster and far more
    # reliable convergence with it.
    "stable": {"memory_init": "constant", "controller_init": "zeros", "clip_value": 20.0},
}

CONTROLLERS = ("lstm", "dense")
MEMORY_INITS = ("learned", "constant")
CONTROLLER_INITS = ("learned", "zeros")
KEY_ACTIVATIONS = ("linear", "tanh")
MEMORY_CONSTANT = 1e-6
# Initial head weightings start peaked on slot 0. A uniform start could never
# be focused by shifting and sharpening alone while all memory rows are equal
# (as they are under the constant memory init), so location-based addressing
# would have nothing to move.
INITIAL_FOCUS_LOGIT = 6.0
# What get_config saves besides the controller and the output activation.
_CONFIG_KEYS = (
    "units", "memory_size", "memory_width", "read_heads", "write_heads", "shift_range",
    "controller_units", "controller_dropout", "preset", "memory_init", "controller_init",
    "clip_value", "key_activation", "seed",
)  # fmt: skip


def controller_input_output_shape(input_size, memory_width=20, read_heads=1, controller_units=100):
    """The (input width, output width) a custom controller must have.

    The controller sees the external input concatenated with the previous
    read vectors, ``input_size + read_heads * memory_width`` wide, and must
    emit ``controller_units`` features.
    """
    input_size = check_int("input_size", input_size, minimum=1)
    memory_width = check_int("memory_width", memory_width, minimum=1)
    read_heads = check_int("read_heads", read_heads, minimum=1)
    controller_units = check_int("controller_units", controller_units, minimum=1)
    return input_size + read_heads * memory_width, controller_units


@keras.saving.register_keras_serializable(package="ntm_core")
class NTMCell(keras.layers.Layer):
    """Cell class for the NTM layer: one step of a Neural Turing Machine.

    Args:
        units: width of the output y_t.
        memory_size: N, the number of memory rows (slots).
        memory_width: M, the width of each row.
        read_heads, write_heads: number of heads of each kind.
        shift_range: number of allowed shift offsets 2R+1, odd (3 means -1, 0, +1).
        controller: ``"lstm"``, ``"dense"`` (one tanh layer: the paper's
            feed-forward controller) or a stateless Keras layer/model mapping
            (batch, controller_input_output_shape(...)[0]) to (batch, controller_units).
        controller_units: width of the controller's output h_t.
        output_activation: activation of y_t (``"sigmoid"`` gives bit probabilities).
        controller_dropout: dropout rate on h_t in training, in [0, 1)
            (one mask per sequence, as Keras' own RNN cells do).
        preset: ``"stable"`` (default) or ``"paper"``, see ``PRESETS``.
        memory_init: ``"learned"`` (a trainable N x M bias) or ``"constant"``
            (1e-6 everywhere, not trained). Overrides the preset.
        controller_init: ``"learned"`` (trainable initial LSTM state) or
            ``"zeros"``. Overrides the preset.
        clip_value: clip the controller's raw head and output parameters to
            [-clip_value, clip_value]; None for no clipping. Overrides the preset.
        key_activation: ``"linear"`` or ``"tanh"`` for the keys.
        seed: seed for the controller dropout.

    Call arguments:
        inputs: (batch, features), the input x_t of one step.
        states: the list of flat state tensors (see below).
        training: whether controller dropout is active.

    Trainable values: the controller, the head-parameter layer, the output
    layer, the initial read vectors and the initial head weightings (as
    softmax logits) always; the initial memory when ``memory_init="learned"``;
    the initial controller state when ``controller_init="learned"``.

    State (flat tensors, as ``keras.layers.RNN`` expects): memory (B, N*M),
    head weightings (B, (W+R)*N) with write heads first, read vectors
    (B, R*M), then the controller's own states.

    Example:

    >>> cell = NTMCell(8, memory_size=16, memory_width=4, controller_units=16)
    >>> y = keras.layers.RNN(cell, return_sequences=True)(np.zeros((2, 5, 9), "float32"))
    >>> tuple(y.shape)
    (2, 5, 8)
    """

    def __init__(
        self,
        units,
        memory_size=128,
        memory_width=20,
        read_heads=1,
        write_heads=1,
        shift_range=3,
        controller="lstm",
        controller_units=100,
        output_activation="sigmoid",
        controller_dropout=0.0,
        preset="stable",
        memory_init=None,
        controller_init=None,
        clip_value="preset",
        key_activation="linear",
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = check_int("units", units, minimum=1)
        self.memory_size = check_int("memory_size", memory_size, minimum=1)
        self.memory_width = check_int("memory_width", memory_width, minimum=1)
        self.read_heads = check_int("read_heads", read_heads, minimum=1)
        self.write_heads = check_int("write_heads", write_heads, minimum=1)
        self.shift_range = check_int("shift_range", shift_range, minimum=1, maximum=self.memory_size)
        if self.shift_range % 2 != 1:
            raise ValueError(f"`shift_range` must be odd (offsets -R..R give 2R+1 values), got {shift_range}.")
        self.controller_units = check_int("controller_units", controller_units, minimum=1)
        self.controller_dropout = check_number(
            "controller_dropout", controller_dropout, minimum=0.0, maximum=1.0, strict_maximum=True
        )
        self.preset = check_choice("preset", preset, PRESETS)
        defaults = PRESETS[preset]
        self.memory_init = check_choice(
            "memory_init", defaults["memory_init"] if memory_init is None else memory_init, MEMORY_INITS
        )
        self.controller_init = check_choice(
            "controller_init", defaults["controller_init"] if controller_init is None else controller_init, CONTROLLER_INITS
        )
        if clip_value == "preset":
            clip_value = defaults["clip_value"]
        self.clip_value = check_number("clip_value", clip_value, minimum=0.0, strict_minimum=True, allow_none=True)
        self.key_activation = check_choice("key_activation", key_activation, KEY_ACTIVATIONS)
        self.output_activation = keras.activations.get(output_activation)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

        if isinstance(controller, str):
            self.controller_kind = check_choice("controller", controller, CONTROLLERS)
            if controller == "lstm":
                self.controller = keras.layers.LSTMCell(self.controller_units, name="controller")
            else:
                self.controller = keras.layers.Dense(self.controller_units, activation="tanh", name="controller")
        elif isinstance(controller, keras.layers.Layer):
            self.controller_kind = "custom"
            self.controller = controller
        else:
            raise TypeError(
                f"`controller` must be 'lstm', 'dense' or a keras Layer/Model, got {type(controller).__name__}."
            )

        self._head_sizes = [head_parameter_sizes(self.memory_width, self.shift_range, is_write=True)] * self.write_heads
        self._head_sizes += [head_parameter_sizes(self.memory_width, self.shift_range, is_write=False)] * self.read_heads
        self.head_parameter_count = sum(w for head in self._head_sizes for _, w in head)
        self.head_layer = keras.layers.Dense(self.head_parameter_count, name="head_parameters")
        self.output_layer = keras.layers.Dense(self.units, name="output")
        self._controller_dropout_mask = None
        self._return_logits = False  # set by NTM.call(return_logits=True) for the loop it runs
        # Rematerialising (see step) pays under JAX's and TensorFlow's
        # compiled loops; PyTorch runs eagerly, where recomputing only adds work.
        self._remat = keras.backend.backend() != "torch"
        self._remat_access = None

    @property
    def num_heads(self):
        return self.write_heads + self.read_heads

    @property
    def _controller_state_size(self):
        return [self.controller_units, self.controller_units] if self.controller_kind == "lstm" else []

    @property
    def state_size(self):
        n, m = self.memory_size, self.memory_width
        return [n * m, self.num_heads * n, self.read_heads * m] + self._controller_state_size

    @property
    def output_size(self):
        return self.units

    def build(self, input_shape):
        if input_shape[-1] is None:
            raise ValueError(f"The input's last axis (features) must be known, got shape {input_shape}.")
        self.input_size = int(input_shape[-1])
        controller_in, _ = controller_input_output_shape(
            self.input_size, self.memory_width, self.read_heads, self.controller_units
        )
        if self.controller_kind == "lstm" or not self.controller.built:
            self.controller.build((None, controller_in))
        if self.controller_kind == "custom":
            out_shape = tuple(self.controller.compute_output_shape((None, controller_in)))
            if out_shape[-1] != self.controller_units:
                raise ValueError(
                    f"The custom `controller` must map (batch, {controller_in}) to "
                    f"(batch, {self.controller_units}) (controller_units), but it gives {out_shape}."
                )
        self.head_layer.build((None, self.controller_units))
        self.output_layer.build((None, self.controller_units + self.read_heads * self.memory_width))

        n, m = self.memory_size, self.memory_width
        if self.memory_init == "learned":
            memory_init = keras.initializers.RandomNormal(stddev=0.5, seed=self.seed)
        else:
            memory_init = keras.initializers.Constant(MEMORY_CONSTANT)
        self.initial_memory = self.add_weight(
            shape=(n * m,), initializer=memory_init, trainable=self.memory_init == "learned", name="initial_memory"
        )
        focus = np.zeros((self.num_heads, n), dtype="float32")
        focus[:, 0] = INITIAL_FOCUS_LOGIT
        self.initial_weight_logits = self.add_weight(
            shape=(self.num_heads, n), initializer=keras.initializers.Constant(focus), name="initial_weight_logits"
        )
        self.initial_reads = self.add_weight(
            shape=(self.read_heads * m,),
            initializer=keras.initializers.RandomNormal(stddev=0.01, seed=self.seed),
            name="initial_reads",
        )
        trainable = self.controller_init == "learned"
        self.initial_controller_state = [
            self.add_weight(shape=(size,), initializer="zeros", trainable=trainable, name=f"initial_controller_state_{i}")
            for i, size in enumerate(self._controller_state_size)
        ]
        self.built = True

    def get_initial_state(self, batch_size=None):
        """The learned (or constant) start state, repeated for every sequence."""
        dtype = self.compute_dtype
        weights = ops.reshape(ops.softmax(self.initial_weight_logits, axis=-1), (-1,))
        flat = [self.initial_memory, weights, self.initial_reads] + list(self.initial_controller_state)
        # zeros + bias broadcasts to the batch; works when batch_size is symbolic.
        return [ops.zeros((batch_size, ops.shape(v)[0]), dtype=dtype) + ops.cast(v, dtype) for v in flat]

    def _split_heads(self, params):
        """Cut the head layer's output into named, range-limited parameters (:mod:`ntm_core.heads`)."""
        return split_head_parameters(params, self._head_sizes, self.key_activation)

    def _access_memory(self, mem, prev_w, heads):
        """Address, write and read with every head (:func:`ntm_core.heads.access_memory`)."""
        return access_memory(mem, prev_w, heads, self.write_heads)

    def _access_memory_flat(self, mem, prev_w, *flat_heads):
        """:meth:`_access_memory` on flat tensors only, the form ``keras.remat`` needs."""
        heads, flat = [], iter(flat_heads)
        for sizes in self._head_sizes:
            heads.append({name: next(flat) for name, _ in sizes})
        mem, weights, reads, _ = self._access_memory(mem, prev_w, heads)
        return (mem, *weights, *reads)

    def step(self, inputs, states, training=False, remat=False):
        """One step that also returns every intermediate value, for :func:`ntm_core.trace.trace`.

        With ``remat=True`` (what :meth:`call` uses on JAX and TensorFlow) the
        memory access is rematerialised: its backward pass recomputes it from
        M_{t-1} instead of keeping every (B, N, M) intermediate of every step,
        and ``info`` has no addressing stages.

        Returns:
            (output (B, units), new_states, info) where ``info`` holds the
            controller output and, per head, the addressing stages and parameters.
        """
        n, m = self.memory_size, self.memory_width
        mem = ops.reshape(states[0], (-1, n, m))
        prev_w = ops.reshape(states[1], (-1, self.num_heads, n))
        prev_reads = states[2]
        controller_states = list(states[3:])

        controller_in = ops.concatenate([ops.cast(inputs, prev_reads.dtype), prev_reads], axis=-1)
        if self.controller_kind == "lstm":
            h, controller_states = self.controller(controller_in, controller_states, training=training)
        else:
            h = self.controller(controller_in, training=training)
        if training and self.controller_dropout > 0:
            mask = self._controller_dropout_mask
            if mask is None:  # called outside NTM (no per-sequence mask prepared)
                mask = keras.random.dropout(ops.ones_like(h), self.controller_dropout, seed=self.seed_generator)
            h = h * mask

        raw = self.head_layer(h)
        if self.clip_value is not None:
            raw = ops.clip(raw, -self.clip_value, self.clip_value)
        heads = self._split_heads(raw)

        if remat:
            # Backpropagation through time otherwise stores several
            # memory-sized intermediates per step (the erase factor, the
            # erased memory, the squares under the norms, ...); writing them
            # out and reading them back costs more than recomputing them.
            if self._remat_access is None:
                self._remat_access = keras.remat(self._access_memory_flat)
            flat = [head[name] for head, sizes in zip(heads, self._head_sizes) for name, _ in sizes]
            out = self._remat_access(mem, prev_w, *flat)
            mem, weights, reads, stages = out[0], list(out[1 : 1 + self.num_heads]), list(out[1 + self.num_heads :]), None
        else:
            mem, weights, reads, stages = self._access_memory(mem, prev_w, heads)
        read_vector = ops.concatenate(reads, axis=-1) if self.read_heads > 1 else reads[0]
        logits = self.output_layer(ops.concatenate([h, read_vector], axis=-1))
        if self.clip_value is not None:
            logits = ops.clip(logits, -self.clip_value, self.clip_value)
        output = logits if self._return_logits else self.output_activation(logits)
        new_states = [ops.reshape(mem, (-1, n * m)), ops.concatenate(weights, axis=-1), read_vector]
        new_states += list(controller_states)
        info = {"controller_output": h, "heads": heads, "stages": stages, "reads": reads}
        return output, new_states, info

    def call(self, inputs, states, training=False):
        output, new_states, _ = self.step(inputs, states, training=training, remat=self._remat)
        return output, new_states

    def get_config(self):
        config = super().get_config()
        config.update({key: getattr(self, key) for key in _CONFIG_KEYS})
        config["controller"] = (
            self.controller_kind
            if self.controller_kind != "custom"
            else keras.saving.serialize_keras_object(self.controller)
        )
        config["output_activation"] = keras.activations.serialize(self.output_activation)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("controller"), dict):
            config["controller"] = keras.saving.deserialize_keras_object(config["controller"])
        return cls(**config)

