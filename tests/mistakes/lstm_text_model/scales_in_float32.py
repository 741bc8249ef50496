"""Computes the tempered softmax in float32: logits of 3e38 divided by a temperature of 1e-3
overflow to inf, and inf − inf is NaN.

Rejected by: test_sample_extreme_logits_and_temperatures
"""

import numpy as np


def sample_with_temperature(logits, temperature, rng):
    temperature = _positive_temperature(temperature)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, not {type(rng).__name__}")
    logits = np.asarray(logits, dtype=np.float32)
    if logits.ndim != 2 or logits.shape[1] < 1:
        raise ValueError(f"logits must have shape [B, C] with C >= 1, got {list(logits.shape)}")
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = logits / np.float32(temperature)
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        probs = np.exp(scaled)
        probs = probs / probs.sum(axis=1, keepdims=True)
    return np.array([rng.choice(logits.shape[1], p=row.astype(np.float64)) for row in probs])
