"""Reference math in float64 NumPy, shared by the tests so that each closed form is written once.

Every function takes anything `np.asarray` accepts (lists, arrays, tensors through `.numpy()`)
and returns float64: the tests compare a learner's float32 result against these with a tolerance.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kata_testing.assertions import to_numpy


def _f64(x: Any) -> np.ndarray:
    return to_numpy(x).astype(np.float64)


def sigmoid(x: Any) -> np.ndarray:
    """σ(x) = 1 / (1 + e⁻ˣ), without overflow for any finite x."""
    x = _f64(x)
    return np.exp(-np.logaddexp(0.0, -x))


def softplus(x: Any) -> np.ndarray:
    """log(1 + eˣ), stable for any finite x."""
    return np.logaddexp(0.0, _f64(x))


def logsumexp(z: Any, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """log Σ exp(z) along `axis`, shifted by the maximum so that large logits do not overflow."""
    z = _f64(z)
    top = z.max(axis=axis, keepdims=True)
    out = top + np.log(np.exp(z - top).sum(axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def log_softmax(z: Any, axis: int = -1) -> np.ndarray:
    """z − logsumexp(z), along `axis`."""
    z = _f64(z)
    return z - logsumexp(z, axis=axis, keepdims=True)


def softmax(z: Any, axis: int = -1) -> np.ndarray:
    """exp(z) / Σ exp(z) along `axis`, stable (the maximum is subtracted first)."""
    z = _f64(z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def one_hot(labels: Any, depth: int) -> np.ndarray:
    """Integer labels of any shape -> float64 one-hot rows of length `depth`."""
    return np.eye(depth)[to_numpy(labels).astype(np.int64)]
