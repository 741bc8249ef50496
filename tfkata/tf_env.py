"""TensorFlow's environment, set before TensorFlow is first imported (it reads it once)."""

from __future__ import annotations

import os


def configure(workers: int | None = None) -> None:
    """Quiet, CPU-only, deterministic-leaning TF, with thread pools sized so that `workers`
    processes (default: the xdist worker count, else 1) share the cores without oversubscribing.
    Values already in the environment win."""
    if workers is None:
        workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    cores = os.cpu_count() or 1
    intra = str(max(1, cores // max(1, workers)))
    defaults = {
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "CUDA_VISIBLE_DEVICES": "",
        "TF_NUM_INTRAOP_THREADS": intra,
        "TF_NUM_INTEROP_THREADS": "2",
        "OMP_NUM_THREADS": intra,
        "KERAS_BACKEND": "tensorflow",
        "PYTHONHASHSEED": "0",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    if "KERAS_HOME" not in os.environ:
        home = os.path.join(os.path.expanduser("~"), ".cache", "tfkata", "keras")
        os.makedirs(home, exist_ok=True)
        os.environ["KERAS_HOME"] = home
    # absl's "All log messages before absl::InitializeLog()" banner goes to stderr regardless.
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "2")
