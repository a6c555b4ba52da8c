"""ntm_core: the Neural Turing Machine (Graves, Wayne & Danihelka 2014) in Keras 3.

The equations live in :mod:`ntm_core.addressing` (eq. 5-9) and
:mod:`ntm_core.memory` (eq. 2-4); :class:`NTMCell` and :class:`NTM` assemble
them into a recurrent layer; :func:`trace` records what it does.
Importing this package registers the layers, so ``keras.saving.load_model``
can load saved NTMs with Keras' default ``safe_mode``.
"""

import logging as _logging
import os as _os
import sys as _sys


def _import_keras_quietly():
    """Import Keras (and with it TensorFlow) without TensorFlow's start-up lines.

    TensorFlow's C++ start-up lines (CUDA probing on a machine without a GPU,
    absl's "log messages before InitializeLog") land in a notebook's first
    output, and a student cannot act on them. ``TF_CPP_MIN_LOG_LEVEL=3``
    silences the later ones; the import-time ones ignore it, so the import
    runs with the C-level stderr sent to /dev/null (a Python exception still
    reaches the user). A ``TF_CPP_MIN_LOG_LEVEL`` below 2 that the user set
    (they asked for TensorFlow's info lines), or Keras imported before this
    package, leaves the C++ lines as they are. The Python-side retracing warnings are quieted in every case: with
    ``TF_CPP_MIN_LOG_LEVEL`` set (as .ci/run and the test process do), an
    interactive kernel's TensorFlow logger would otherwise stay at INFO.
    """
    _os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    level = _os.environ["TF_CPP_MIN_LOG_LEVEL"]
    if "keras" in _sys.modules or not (level.isdigit() and int(level) >= 2):
        import keras  # noqa: F401
        _quiet_retracing()
        return
    try:
        saved, null = _os.dup(2), _os.open(_os.devnull, _os.O_WRONLY)
    except OSError:  # no file descriptor 2 (some embedded interpreters)
        return
    try:
        _os.dup2(null, 2)
        import keras  # noqa: F401
    finally:
        _os.dup2(saved, 2)
        _os.close(saved)
        _os.close(null)
    _quiet_retracing()


def _quiet_retracing():
    # "N out of the last M calls triggered tf.function retracing": evaluating
    # one model at several sequence lengths retraces by design. (Set after
    # Keras' import: TensorFlow sets its logger's level when it first builds it.)
    _logging.getLogger("tensorflow").setLevel(_logging.ERROR)


_import_keras_quietly()

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
