"""The Neural Turing Machine as a Keras 3 RNN cell and recurrent layer.

One time step of :class:`NTMCell` (Graves et al. 2014, Figure 1)::

    controller input  = [x_t, r_{t-1} (every read head)]
    controller output = h_t                    (LSTM, dense or your own layer)
    head parameters   = split(Dense(h_t))      (k, beta, g, s, gamma[, e, a])
    write heads       : w_t = address(M_{t-1}, ...);  M_t = erase all, then add all
    read heads        : w_t = address(M_t, ...);      r_t = read(M_t, w_t)
    output y_t        = activation(Dense([h_t, r_t]))

Write heads act before read heads, so a read at step t sees what was written
at step t, as in eq. 2 (r_t reads M_t). :class:`NTM` wraps the cell in
``keras.layers.RNN``, which brings masking, statefulness, ``go_backwards`` and
``return_state``.
"""

import keras
import numpy as np
from keras import ops

from ntm_core import addressing, memory

# Each preset fixes how the state starts and how hard the controller's raw
# outputs are limited. Everything else (sizes, heads, controller) is free.
PRESETS = {
    # Graves et al. 2014: "state reset to learned bias values" -- the memory,
    # the read vectors, the head weightings and the controller state all
    # start from trainable biases; no clipping inside the cell.
    "paper": {
        "memory_init": "learned",
        "controller_init": "learned",
        "clip_value": None,
    },
    # Collier & Beel 2018, "Implementing Neural Turing Machines": memory
    # starts as a small constant (1e-6, not trained), read vectors and head
    # weightings are learned (the weightings as softmax logits, so they stay
    # a distribution), the controller starts at zero and every raw controller
    # output is clipped to [-20, 20]. They found this converges about twice
    # as fast and fails far less often.
    "stable": {
        "memory_init": "constant",
        "controller_init": "zeros",
        "clip_value": 20.0,
    },
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


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"`{name}` must be a positive integer, got {value!r}.")
    if value <= 0:
        raise ValueError(f"`{name}` must be a positive integer, got {value}.")
    return int(value)


def _choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"`{name}` must be one of {list(choices)}, got {value!r}.")
    return value


def head_parameter_sizes(memory_width, shift_range, is_write):
    """Widths of one head's parameters, in the order the controller emits them.

    Returns a list of (name, width): key M, beta 1, g 1, shift 2R+1, gamma 1,
    and for a write head erase M and add M.
    """
    sizes = [("key", memory_width), ("beta", 1), ("g", 1), ("shift", shift_range), ("gamma", 1)]
    if is_write:
        sizes += [("erase", memory_width), ("add", memory_width)]
    return sizes


def controller_input_output_shape(input_size, memory_width=20, read_heads=1, controller_units=100):
    """The (input width, output width) a custom controller must have.

    The controller sees the external input concatenated with the previous
    read vectors, ``input_size + read_heads * memory_width`` wide, and must
    emit ``controller_units`` features.
    """
    input_size = _positive_int("input_size", input_size)
    memory_width = _positive_int("memory_width", memory_width)
    read_heads = _positive_int("read_heads", read_heads)
    controller_units = _positive_int("controller_units", controller_units)
    return input_size + read_heads * memory_width, controller_units


@keras.saving.register_keras_serializable(package="ntm_core")
class NTMCell(keras.layers.Layer):
    """One step of a Neural Turing Machine, usable in ``keras.layers.RNN``.

    Args:
        units: width of the output y_t.
        memory_size: N, the number of memory rows (slots).
        memory_width: M, the width of each row.
        read_heads, write_heads: number of heads of each kind.
        shift_range: number of allowed shift offsets, odd (3 means -1, 0, +1).
        controller: ``"lstm"``, ``"dense"`` (a feed-forward controller: one
            tanh layer) or a Keras layer/model mapping
            (batch, controller_input_output_shape(...)[0]) to (batch, controller_units).
            A custom controller must be stateless.
        controller_units: width of the controller's output h_t.
        output_activation: activation of y_t (``"sigmoid"`` gives bit probabilities).
        controller_dropout: dropout rate on h_t, active in training only
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

    Trainable values: the controller, the head-parameter layer, the output
    layer, the initial read vectors and the initial head weightings (as
    softmax logits) always; the initial memory when ``memory_init="learned"``;
    the initial controller state when ``controller_init="learned"``.

    State (a list of flat tensors, as ``keras.layers.RNN`` expects):
    memory (B, N*M), head weightings (B, (W+R)*N) with write heads first,
    read vectors (B, R*M), then the controller's own states.
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
        self.units = _positive_int("units", units)
        self.memory_size = _positive_int("memory_size", memory_size)
        self.memory_width = _positive_int("memory_width", memory_width)
        self.read_heads = _positive_int("read_heads", read_heads)
        self.write_heads = _positive_int("write_heads", write_heads)
        self.shift_range = _positive_int("shift_range", shift_range)
        if self.shift_range % 2 != 1:
            raise ValueError(
                f"`shift_range` must be odd (offsets -R..R give 2R+1 values), got {shift_range}."
            )
        if self.shift_range > self.memory_size:
            raise ValueError(
                f"`shift_range` ({shift_range}) must not be wider than `memory_size` ({memory_size})."
            )
        self.controller_units = _positive_int("controller_units", controller_units)
        if not 0.0 <= float(controller_dropout) < 1.0:
            raise ValueError(f"`controller_dropout` must be in [0, 1), got {controller_dropout}.")
        self.controller_dropout = float(controller_dropout)
        self.preset = _choice("preset", preset, PRESETS)
        defaults = PRESETS[preset]
        self.memory_init = _choice(
            "memory_init", defaults["memory_init"] if memory_init is None else memory_init, MEMORY_INITS
        )
        self.controller_init = _choice(
            "controller_init",
            defaults["controller_init"] if controller_init is None else controller_init,
            CONTROLLER_INITS,
        )
        if clip_value == "preset":
            clip_value = defaults["clip_value"]
        if clip_value is not None and not float(clip_value) > 0:
            raise ValueError(f"`clip_value` must be positive or None, got {clip_value}.")
        self.clip_value = None if clip_value is None else float(clip_value)
        self.key_activation = _choice("key_activation", key_activation, KEY_ACTIVATIONS)
        self.output_activation = keras.activations.get(output_activation)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

        if isinstance(controller, str):
            _choice("controller", controller, CONTROLLERS)
            self.controller_kind = controller
            if controller == "lstm":
                self.controller = keras.layers.LSTMCell(self.controller_units, name="controller")
            else:
                self.controller = keras.layers.Dense(
                    self.controller_units, activation="tanh", name="controller"
                )
        elif isinstance(controller, keras.layers.Layer):
            self.controller_kind = "custom"
            self.controller = controller
        else:
            raise TypeError(
                "`controller` must be 'lstm', 'dense' or a keras Layer/Model, "
                f"got {type(controller).__name__}."
            )

        self._head_sizes = [
            head_parameter_sizes(self.memory_width, self.shift_range, is_write=True)
        ] * self.write_heads + [
            head_parameter_sizes(self.memory_width, self.shift_range, is_write=False)
        ] * self.read_heads
        self.head_parameter_count = sum(w for head in self._head_sizes for _, w in head)
        self.head_layer = keras.layers.Dense(self.head_parameter_count, name="head_parameters")
        self.output_layer = keras.layers.Dense(self.units, name="output")
        self._controller_dropout_mask = None
        # Rematerialising pays under JAX's and TensorFlow's compiled loops;
        # PyTorch runs eagerly, where recomputing only adds work (measured
        # 590 -> 670 ms per batch-32 step). Decided once, not on every step.
        self._remat = keras.backend.backend() != "torch"
        self._remat_access = None

    # --- sizes ---------------------------------------------------------------
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

    # --- building --------------------------------------------------------------
    def build(self, input_shape):
        input_size = input_shape[-1]
        if input_size is None:
            raise ValueError(f"The input's last axis (features) must be known, got shape {input_shape}.")
        self.input_size = int(input_size)
        controller_in, _ = controller_input_output_shape(
            self.input_size, self.memory_width, self.read_heads, self.controller_units
        )
        if self.controller_kind == "lstm":
            self.controller.build((None, controller_in))
        elif not self.controller.built:
            self.controller.build((None, controller_in))
        if self.controller_kind == "custom":
            out_shape = self.controller.compute_output_shape((None, controller_in))
            if tuple(out_shape)[-1] != self.controller_units:
                raise ValueError(
                    f"The custom `controller` must map (batch, {controller_in}) to "
                    f"(batch, {self.controller_units}) (controller_units), but it gives {tuple(out_shape)}."
                )
        self.head_layer.build((None, self.controller_units))
        self.output_layer.build((None, self.controller_units + self.read_heads * self.memory_width))

        n, m = self.memory_size, self.memory_width
        if self.memory_init == "learned":
            self.initial_memory = self.add_weight(
                shape=(n * m,),
                initializer=keras.initializers.RandomNormal(stddev=0.5, seed=self.seed),
                name="initial_memory",
            )
        else:
            self.initial_memory = self.add_weight(
                shape=(n * m,),
                initializer=keras.initializers.Constant(MEMORY_CONSTANT),
                trainable=False,
                name="initial_memory",
            )
        focus = np.zeros((self.num_heads, n), dtype="float32")
        focus[:, 0] = INITIAL_FOCUS_LOGIT
        self.initial_weight_logits = self.add_weight(
            shape=(self.num_heads, n),
            initializer=keras.initializers.Constant(focus),
            name="initial_weight_logits",
        )
        self.initial_reads = self.add_weight(
            shape=(self.read_heads * m,),
            initializer=keras.initializers.RandomNormal(stddev=0.01, seed=self.seed),
            name="initial_reads",
        )
        self.initial_controller_state = [
            self.add_weight(
                shape=(size,),
                initializer="zeros",
                trainable=self.controller_init == "learned",
                name=f"initial_controller_state_{i}",
            )
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

    # --- one time step -----------------------------------------------------------
    def _split_heads(self, params):
        """Cut the head layer's output into named, range-limited parameters."""
        heads, start = [], 0
        for sizes in self._head_sizes:
            head = {}
            for name, width in sizes:
                head[name] = params[:, start : start + width]
                start += width
            head["key"] = ops.tanh(head["key"]) if self.key_activation == "tanh" else head["key"]
            head["beta"] = ops.softplus(head["beta"])  # beta >= 0
            head["g"] = ops.sigmoid(head["g"])  # g in (0, 1)
            head["shift"] = ops.softmax(head["shift"], axis=-1)  # a distribution over offsets
            head["gamma"] = 1.0 + ops.softplus(head["gamma"])  # gamma >= 1
            if "erase" in head:
                head["erase"] = ops.sigmoid(head["erase"])  # e in (0, 1)
                head["add"] = ops.tanh(head["add"])
            heads.append(head)
        return heads

    def _access_memory(self, mem, prev_w, heads):
        """Address, write and read: everything of one step after the controller.

        Args:
            mem: (B, N, M) memory M_{t-1}; prev_w: (B, heads, N) weightings
            w_{t-1}, write heads first; heads: the parameters of every head,
            as :meth:`_split_heads` makes them.

        Returns:
            (M_t, [w_t per head], [r_t per read head], [addressing stages per head]).
        """
        weights, stages = [], []
        # Write heads address the old memory; every erase precedes every add.
        write_heads = heads[: self.write_heads]
        for i, head in enumerate(write_heads):
            st = addressing.address_stages(
                mem, prev_w[:, i], head["key"], head["beta"], head["g"], head["shift"], head["gamma"]
            )
            stages.append(st)
            weights.append(st["weights"])
        for i, head in enumerate(write_heads):
            mem = memory.erase(mem, weights[i], head["erase"])
        for i, head in enumerate(write_heads):
            mem = memory.add(mem, weights[i], head["add"])
        # Read heads then address and read the updated memory (eq. 2 reads M_t).
        reads = []
        for j, head in enumerate(heads[self.write_heads :]):
            i = self.write_heads + j
            st = addressing.address_stages(
                mem, prev_w[:, i], head["key"], head["beta"], head["g"], head["shift"], head["gamma"]
            )
            stages.append(st)
            weights.append(st["weights"])
            reads.append(memory.read(mem, st["weights"]))
        return mem, weights, reads, stages

    def _access_memory_flat(self, mem, prev_w, *flat_heads):
        """:meth:`_access_memory` on flat tensors only, the form ``keras.remat`` needs."""
        heads, flat = [], iter(flat_heads)
        for sizes in self._head_sizes:
            heads.append({name: next(flat) for name, _ in sizes})
        mem, weights, reads, _ = self._access_memory(mem, prev_w, heads)
        return (mem, *weights, *reads)

    def step(self, inputs, states, training=False, remat=False):
        """One step that also returns every intermediate value, for :func:`trace`.

        With ``remat=True`` (what :meth:`call` uses on JAX and TensorFlow) the memory access is
        rematerialised: its backward pass recomputes it from M_{t-1} instead
        of keeping every (B, N, M) intermediate of every step, and ``info``
        has no addressing stages.

        Returns:
            (output (B, units), new_states, info) where ``info`` holds the
            controller output and, per head, the addressing stages and parameters.
        """
        n, m, r = self.memory_size, self.memory_width, self.read_heads
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
            # erased memory, the squares under the norms, ...); writing and
            # reading them back cost more than recomputing them: measured
            # 1.2-1.4x faster training steps on JAX and TensorFlow at batch 32.
            if self._remat_access is None:
                self._remat_access = keras.remat(self._access_memory_flat)
            flat = [head[name] for head, sizes in zip(heads, self._head_sizes) for name, _ in sizes]
            out = self._remat_access(mem, prev_w, *flat)
            mem, weights, reads, stages = out[0], list(out[1 : 1 + self.num_heads]), list(out[1 + self.num_heads :]), None
        else:
            mem, weights, reads, stages = self._access_memory(mem, prev_w, heads)
        read_vector = ops.concatenate(reads, axis=-1) if r > 1 else reads[0]
        logits = self.output_layer(ops.concatenate([h, read_vector], axis=-1))
        if self.clip_value is not None:
            logits = ops.clip(logits, -self.clip_value, self.clip_value)
        output = self.output_activation(logits)
        new_states = [
            ops.reshape(mem, (-1, n * m)),
            ops.concatenate(weights, axis=-1),
            read_vector,
        ] + list(controller_states)
        info = {"controller_output": h, "heads": heads, "stages": stages, "reads": reads}
        return output, new_states, info

    def call(self, inputs, states, training=False):
        output, new_states, _ = self.step(inputs, states, training=training, remat=self._remat)
        return output, new_states

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "memory_size": self.memory_size,
                "memory_width": self.memory_width,
                "read_heads": self.read_heads,
                "write_heads": self.write_heads,
                "shift_range": self.shift_range,
                "controller": self.controller_kind
                if self.controller_kind != "custom"
                else keras.saving.serialize_keras_object(self.controller),
                "controller_units": self.controller_units,
                "output_activation": keras.activations.serialize(self.output_activation),
                "controller_dropout": self.controller_dropout,
                "preset": self.preset,
                "memory_init": self.memory_init,
                "controller_init": self.controller_init,
                "clip_value": self.clip_value,
                "key_activation": self.key_activation,
                "seed": self.seed,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("controller"), dict):
            config["controller"] = keras.saving.deserialize_keras_object(config["controller"])
        return cls(**config)


# Arguments that belong to the RNN wrapper rather than to the cell.
_RNN_ARGS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask")


@keras.saving.register_keras_serializable(package="ntm_core")
class NTM(keras.layers.RNN):
    """A Neural Turing Machine recurrent layer: :class:`NTMCell` run over time.

    Takes every argument of :class:`NTMCell` plus those of
    ``keras.layers.RNN``. Unlike Keras' LSTM, ``return_sequences`` defaults
    to True, since every task of the paper maps a sequence to a sequence.

    Input (batch, time, features); output (batch, time, units), or
    (batch, units) with ``return_sequences=False``. Masked steps leave the
    whole state (memory included) unchanged.

    With ``stateful=True`` the state carries over from one batch to the next;
    :meth:`reset_state` puts it back to the cell's start state
    (``cell.get_initial_state``: the learned or constant initial memory, head
    weightings, read vectors and controller state), not to zeros.
    """

    def __init__(
        self,
        units,
        return_sequences=True,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **cell_kwargs,
    ):
        base_kwargs = {
            k: cell_kwargs.pop(k) for k in ("name", "dtype", "trainable", "input_shape") if k in cell_kwargs
        }
        cell = NTMCell(units, dtype=base_kwargs.get("dtype"), name="ntm_cell", **cell_kwargs)
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            zero_output_for_mask=zero_output_for_mask,
            **base_kwargs,
        )

    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) != 3:
            raise ValueError(
                f"NTM input must have shape (batch, time, features), got shape {tuple(sequences_shape)}."
            )
        super().build(sequences_shape, initial_state_shape)
        self.input_spec = keras.InputSpec(ndim=3, axes={-1: self.cell.input_size})

    def call(self, sequences, initial_state=None, mask=None, training=False):
        # One dropout mask per sequence, made before the loop so the loop stays
        # free of random state (JAX traces the loop body once).
        if training and self.cell.controller_dropout > 0:
            ones = ops.ones((ops.shape(sequences)[0], self.cell.controller_units), dtype=self.compute_dtype)
            self.cell._controller_dropout_mask = keras.random.dropout(
                ones, self.cell.controller_dropout, seed=self.cell.seed_generator
            )
        try:
            if mask is None:
                return super().call(sequences, initial_state=initial_state, mask=mask, training=training)
            return self._masked_call(sequences, initial_state, mask, training)
        finally:
            self.cell._controller_dropout_mask = None

    def _masked_call(self, sequences, initial_state, mask, training):
        """Run with a mask the same way on every backend.

        Keras' JAX loop (``lax.scan``) takes ``states[0]`` to be the previous
        output when it masks a step. That holds for LSTM and GRU, not for the
        NTM, whose first state is its memory: it failed with a shape error.
        So the loop runs with zero outputs on masked steps (which needs no
        previous output; masked steps still keep every state), and the outputs
        are filled in here: a masked step repeats the last unmasked output
        (zeros before the first one), as Keras' RNNs do, unless
        ``zero_output_for_mask``.
        """
        saved = (self.return_sequences, self.return_state, self.zero_output_for_mask)
        self.return_sequences, self.return_state, self.zero_output_for_mask = True, True, True
        try:
            outputs, *states = super().call(sequences, initial_state=initial_state, mask=mask, training=training)
        finally:
            self.return_sequences, self.return_state, self.zero_output_for_mask = saved
        if not self.zero_output_for_mask:
            keep = ops.cast(mask, "bool")
            if self.go_backwards:  # outputs come in processing order
                keep = ops.flip(keep, axis=1)
            steps = ops.arange(ops.shape(outputs)[1])
            # last[b, t]: the last unmasked step s <= t, or -1 if there is none
            earlier = ops.expand_dims(steps, 0) <= ops.expand_dims(steps, 1)  # [t, s]: s <= t
            candidates = ops.where(ops.logical_and(keep[:, None, :], earlier[None]), steps[None, None, :], -1)
            last = ops.max(candidates, axis=-1)
            pick = ops.cast(ops.equal(steps[None, None, :], last[:, :, None]), outputs.dtype)
            outputs = ops.einsum("bts,bsu->btu", pick, outputs)
        output = outputs if self.return_sequences else outputs[:, -1]
        return (output, *states) if self.return_state else output

    def reset_state(self):
        """Reset a stateful NTM to the cell's start state (see the class docstring).

        ``keras.layers.RNN.reset_state`` sets every state to zeros, which is
        not an NTM's start state: all-zero head weightings are not
        distributions, and the initial memory and read vectors are learned.
        This also picks up initial-state weights changed since the layer was
        built (by training or ``set_weights``).
        """
        if self.states is None:
            return
        batch_size = ops.shape(self.states[0])[0]
        for variable, value in zip(self.states, self.cell.get_initial_state(batch_size)):
            variable.assign(ops.cast(value, variable.dtype))

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config.update(cell_config)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("controller"), dict):
            config["controller"] = keras.saving.deserialize_keras_object(config["controller"])
        return cls(**config)
