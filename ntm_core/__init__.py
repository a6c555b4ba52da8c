"""ntm_core: the Neural Turing Machine (Graves, Wayne & Danihelka 2014) in Keras 3.

The equations live in :mod:`ntm_core.addressing` (eq. 5-9) and
:mod:`ntm_core.memory` (eq. 2-4); :class:`NTMCell` and :class:`NTM` assemble
them into a recurrent layer; :func:`trace` records what it does.
Importing this package registers the layers, so ``keras.saving.load_model``
can load saved NTMs with Keras' default ``safe_mode``.
"""

from ntm_core import addressing, memory, metrics, tasks
from ntm_core.cell import PRESETS, NTMCell, controller_input_output_shape
from ntm_core.layer import NTM
from ntm_core.trace import HeadTrace, Trace, trace
from ntm_core.pretrained import available_pretrained, load_pretrained, load_result
from ntm_core.models import build_lstm, build_ntm, count_params
from ntm_core.resize import resize_memory
from ntm_core.evaluation import evaluate
from ntm_core.training import train

__version__ = "0.1.0"

__all__ = [
    "NTM",
    "NTMCell",
    "PRESETS",
    "HeadTrace",
    "Trace",
    "addressing",
    "available_pretrained",
    "build_lstm",
    "build_ntm",
    "count_params",
    "evaluate",
    "load_pretrained",
    "load_result",
    "resize_memory",
    "train",
    "controller_input_output_shape",
    "memory",
    "metrics",
    "tasks",
    "trace",
]
