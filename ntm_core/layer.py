"""The Neural Turing Machine as a recurrent layer: :class:`NTM`.

:class:`NTM` wraps :class:`ntm_core.cell.NTMCell` in ``keras.layers.RNN``, as
``keras.layers.LSTM`` wraps ``LSTMCell``, which brings masking, statefulness,
``go_backwards`` and ``return_state``. What it adds to ``RNN``: the cell's
learned start state (also for :meth:`NTM.reset_state`), one dropout mask per
sequence, and masking that works the same way on every backend.
"""

import keras
from keras import ops

from ntm_core.cell import NTMCell


@keras.saving.register_keras_serializable(package="ntm_core")
class NTM(keras.layers.RNN):
    """A Neural Turing Machine recurrent layer: :class:`NTMCell` run over time.

    Args:
        units: width of the output y_t.
        return_sequences: return the whole output sequence (default True:
            every task of the paper maps a sequence to a sequence) or only
            the last output.
        return_state, go_backwards, stateful, unroll, zero_output_for_mask:
            as in ``keras.layers.RNN``.
        **cell_kwargs: every other argument of :class:`NTMCell` (memory_size,
            memory_width, heads, controller, preset, ...), and ``name``,
            ``dtype``, ``trainable`` for the layer itself.

    Call arguments:
        sequences: (batch, time, features).
        initial_state: optional list of state tensors (see :class:`NTMCell`);
            default the cell's learned start state.
        mask: optional (batch, time) boolean mask; a masked step leaves the
            whole state (memory included) unchanged.
        training: whether controller dropout is active.
        return_logits: return the output layer's values before
            ``output_activation`` (the logits of the bit probabilities), so a
            loss can be computed from them without a saturated sigmoid's
            rounding (see :func:`ntm_core.models.logits_model`).

    Output (batch, time, units), or (batch, units) with
    ``return_sequences=False``; with ``return_state`` the final states follow.
    With ``stateful=True`` the state carries over from one batch to the
    next; :meth:`reset_state` puts it back to the cell's start state, not to
    zeros.

    Example:

    >>> layer = NTM(8, memory_size=16, memory_width=4, controller_units=16)
    >>> tuple(layer(np.zeros((2, 5, 9), "float32")).shape)
    (2, 5, 8)
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

    def call(self, sequences, initial_state=None, mask=None, training=False, return_logits=False):
        # Read by the cell's step while the loop below is traced or run.
        self.cell._return_logits = bool(return_logits)
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
            self.cell._return_logits = False

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
