"""Where a run computes: the accelerator and a description of the machine.

``train.json`` and the benchmarks record it, so a timing always says which
machine and backend it came from.
"""

import os
import platform

import keras


def accelerator():
    """Where the current backend computes: ``"cpu"`` or e.g. ``"gpu: NVIDIA H100 80GB HBM3"``.

    Each backend is asked in its own way, so each import here is guarded by
    the backend in use (a JAX-only machine needs no TensorFlow).
    """
    backend = keras.backend.backend()
    if backend == "jax":
        import jax  # backend-guarded: only when JAX is the backend

        device = jax.devices()[0]
        return "cpu" if device.platform == "cpu" else f"{device.platform}: {device.device_kind}"
    if backend == "tensorflow":
        import tensorflow as tf  # backend-guarded: only when TensorFlow is the backend

        gpus = tf.config.list_physical_devices("GPU")
        if not gpus:
            return "cpu"
        return "gpu: " + tf.config.experimental.get_device_details(gpus[0]).get("device_name", gpus[0].name)
    if backend == "torch":
        import torch  # backend-guarded: only when PyTorch is the backend

        return f"gpu: {torch.cuda.get_device_name(0)}" if torch.cuda.is_available() else "cpu"
    return "cpu"


def machine_description():
    """A short description of where this runs, for the json next to a checkpoint."""
    return {
        "backend": keras.backend.backend(),
        "device": accelerator(),
        "keras": keras.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
    }
