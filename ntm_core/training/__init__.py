"""Training the paper's experiments: one config, Keras' ``fit`` and its callbacks.

- :mod:`.config`: :class:`TrainConfig`, the settings the Python API, the
  command line and ``train.json`` share;
- :mod:`.optimizers`: the recipes (``RECIPES``, :func:`make_optimizer`) and
  :func:`compile_model`;
- :mod:`.callbacks`: convergence, rollback, learning-rate decay, early stop,
  curriculum and time limit as Keras callbacks;
- :mod:`.trainer`: :func:`train`, ``fit`` with all of the above;
- :mod:`.checkpoints`: run folders, :func:`load_checkpoint`,
  :func:`save_for_inference`;
- :mod:`.machine`: :func:`accelerator`, :func:`machine_description`;
- :mod:`.sweep` and :mod:`.bench`: seed sweeps and the speed benchmark.

Evaluation (:func:`ntm_core.evaluation.evaluate`) has its own module: it
serves checkpoints, notebooks and sweeps as much as training.
"""

from ntm_core.training.checkpoints import load_checkpoint, save_for_inference
from ntm_core.training.config import TrainConfig
from ntm_core.training.machine import accelerator, machine_description
from ntm_core.training.optimizers import RECIPES, compile_model, make_optimizer
from ntm_core.training.trainer import TrainResult, train

__all__ = [
    "RECIPES",
    "TrainConfig",
    "TrainResult",
    "accelerator",
    "compile_model",
    "load_checkpoint",
    "machine_description",
    "make_optimizer",
    "save_for_inference",
    "train",
]
