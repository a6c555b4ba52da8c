#!/usr/bin/env bash
# The GPU check behind the README's GPU figures: on a CUDA machine with JAX,
# time training steps (bench) and train the copy NTM with the shipped
# checkpoint's recipe until it converges; then run the layer and training
# tests on PyTorch, which places tensors on the GPU by itself.
#
#   OUT=results_dir bash tools/gpu_check.sh      (from the repository root)
#
# MAX_S bounds the training run's wall time (default 150 s).
set -u
OUT=${OUT:-/tmp/gpu_check}
MAX_S=${MAX_S:-150}
PY=${PYTHON:-python3}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
{
    nvidia-smi -L 2>/dev/null || echo "no nvidia-smi"
    KERAS_BACKEND=jax $PY -c "import keras, jax; print('keras', keras.__version__, 'jax', jax.__version__, jax.devices())"
    echo "== bench (JAX, XLA)"
    KERAS_BACKEND=jax timeout 200 $PY -m ntm_core bench --batch-sizes 1 32 256 --jit on --steps 20 --json "$OUT/bench_jax_gpu.json"
    echo "== train copy (JAX), the shipped checkpoint's recipe"
    KERAS_BACKEND=jax timeout $((MAX_S + 90)) $PY -m ntm_core train copy --seed 4 --batch-size 32 --steps 6250 \
        --eval-every 25 --patience 3 --max-seconds "$MAX_S" --out /tmp/copy_gpu --save-as "$OUT/copy_ntm_gpu.keras"
    cp /tmp/copy_gpu/history.json "$OUT/copy_gpu_history.json"
    echo "== layer and training tests (PyTorch)"
    KERAS_BACKEND=torch timeout 100 $PY -m pytest -q -p no:cacheprovider tests/test_layer.py tests/test_training_*.py \
        -m "not slow and not once" 2>&1 | tail -25
} 2>&1 | tee "$OUT/gpu_check.log"
