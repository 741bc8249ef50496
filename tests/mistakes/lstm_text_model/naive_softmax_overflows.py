"""Computes exp(logits / T) without subtracting the maximum first: large logits or small
temperatures overflow to inf, and inf / inf is NaN.

Rejected by: test_sample_near_zero_temperature_is_the_argmax, test_sample_is_unchanged_by_adding_a_constant_to_the_logits
"""

import numpy as np


def sample_with_temperature(logits, temperature, rng):
    temperature = _positive_temperature(temperature)
    logits = np.asarray(logits, dtype=np.float32)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape [B, C], got {list(logits.shape)}")
    with np.errstate(over="ignore", invalid="ignore"):
        probs = np.exp(logits / temperature)
        probs = probs / probs.sum(axis=1, keepdims=True)
    cdf = np.cumsum(probs, axis=1)
    u = rng.random((len(probs), 1))
    return np.minimum((u >= cdf).sum(axis=1), logits.shape[1] - 1)
