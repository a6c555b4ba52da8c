"""The optimizer recipes and how a model is compiled for training.

Two recipes: the paper's RMSProp and Adam (Collier & Beel 2018), each with the
gradient clipping that kept it stable. :func:`compile_model` gives every model
the same loss (binary cross-entropy of the sigmoid outputs, Graves et al.
2014, section 4; computed from the probabilities or from the logits) and the
paper's two scores as masked metrics.
"""

import keras

from ntm_core.metrics import BitErrorsPerSequence, BitsPerSequence
from ntm_core.validation import check_choice, check_number

OPTIMIZERS = ("adam", "rmsprop")
CLIP_ARGUMENTS = ("clipnorm", "global_clipnorm", "clipvalue")  # a Keras optimizer takes one
# Training recipes. "paper": RMSProp with momentum 0.9 and every gradient
# component clipped to (-10, 10) (Graves et al. 2014, section 4). "adam": Adam
# at 1e-3 (Collier & Beel 2018) with the gradient's global norm clipped to 1.
# Collier & Beel clip the global norm to 50, of a loss summed over sequences;
# ours is a mean over every target bit, whose gradient norm stays small while
# copy trains and spikes where runs used to collapse (the sudden falls to
# chance NTMs are known for). A clip of 1 leaves the usual steps alone and cuts
# the spikes (the seed sweeps in data/results/ compare it with the clip of 50
# per variable that Adam's recipe had before, which never bit;
# ``clipnorm=50`` gives that back).
RECIPES = {
    "rmsprop": {"learning_rate": 1e-4, "clipvalue": 10.0},
    "adam": {"learning_rate": 1e-3, "global_clipnorm": 1.0},
}


def clipping(clipnorm=None, global_clipnorm=None, clipvalue=None):
    """The gradient clipping asked for, as Keras optimizer arguments ({}: the recipe's).

    At most one may be given (a Keras optimizer applies one); each must be a
    positive number.
    """
    given = {"clipnorm": clipnorm, "global_clipnorm": global_clipnorm, "clipvalue": clipvalue}
    asked = {name: value for name, value in given.items() if value is not None}
    if len(asked) > 1:
        listed = ", ".join(f"`{name}`={value!r}" for name, value in asked.items())
        raise ValueError(f"Give at most one of `clipnorm`, `global_clipnorm` and `clipvalue`, got {listed}.")
    return {name: check_number(name, value, minimum=0, strict_minimum=True) for name, value in asked.items()}


def make_optimizer(name="adam", learning_rate=None, clipnorm=None, global_clipnorm=None, clipvalue=None):
    """The optimizer of a recipe in ``RECIPES``.

    Args:
        name: ``"adam"`` or ``"rmsprop"`` (the paper's, with momentum 0.9).
        learning_rate: replaces the recipe's rate when given.
        clipnorm, global_clipnorm, clipvalue: when one is given, it replaces
            the recipe's clipping: each variable's gradient scaled down to at
            most this norm, the gradient of all variables together, or every
            component clipped to (-v, v). The names are Keras' own.
    """
    check_choice("optimizer", name, OPTIMIZERS)
    recipe = dict(RECIPES[name])
    if learning_rate is not None:
        recipe["learning_rate"] = check_number("learning_rate", learning_rate, minimum=0, strict_minimum=True)
    asked = clipping(clipnorm, global_clipnorm, clipvalue)
    if asked:
        recipe = {k: v for k, v in recipe.items() if k not in CLIP_ARGUMENTS}
        recipe.update(asked)
    if name == "rmsprop":
        return keras.optimizers.RMSprop(momentum=0.9, **recipe)
    return keras.optimizers.Adam(**recipe)


def default_jit_compile():
    """XLA pays off on TensorFlow and JAX; PyTorch runs eagerly.

    On TensorFlow, ``jit_compile="auto"`` leaves XLA off on a CPU-only
    machine, so it is asked for explicitly: the NTM's step is a long chain of
    small operations, which XLA fuses.
    """
    return keras.backend.backend() in ("tensorflow", "jax")


def compile_model(model, optimizer="adam", learning_rate=None, jit_compile=None, clipnorm=None,
                  global_clipnorm=None, clipvalue=None, from_logits=False):
    """Compile with masked binary cross-entropy and the paper's two metrics.

    The (batch, time) mask is passed as ``sample_weight``; only
    ``weighted_metrics`` receive it, so the metrics count target steps only.
    ``from_logits``: ``model`` outputs logits (:func:`ntm_core.models.logits_model`),
    else probabilities.
    """
    model.compile(
        optimizer=make_optimizer(optimizer, learning_rate, clipnorm, global_clipnorm, clipvalue),
        loss=keras.losses.BinaryCrossentropy(from_logits=from_logits),
        weighted_metrics=[BitsPerSequence(from_logits=from_logits), BitErrorsPerSequence(from_logits=from_logits)],
        jit_compile=default_jit_compile() if jit_compile is None else bool(jit_compile),
    )
    return model
