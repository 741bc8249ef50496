"""Keeps the logits' own dtype: for float16 logits, logits / T overflows to inf at a small
temperature (8 / 1e-4 > 65 504), inf − inf is NaN, and rng.choice fails on NaN probabilities.

Rejected by: test_sample_float16_logits_follow_the_softmax
"""

import numpy as np


def sample_with_temperature(logits, temperature, rng):
    temperature = _positive_temperature(temperature)
    logits = np.asarray(logits)
    if logits.ndim != 2 or logits.shape[1] < 1:
        raise ValueError(f"logits must have shape [B, C], got {list(logits.shape)}")
    scaled = logits / logits.dtype.type(temperature)
    probs = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    probs = probs / probs.sum(axis=1, keepdims=True)
    return np.array([rng.choice(logits.shape[1], p=row) for row in probs])
