"""Multiplies the logits by the temperature instead of dividing: a high temperature sharpens the
distribution and a low one flattens it, the opposite of what it should do.

Rejected by: test_sample_frequencies_follow_the_softmax_and_entropy_rises_with_temperature
"""

import numpy as np


def sample_with_temperature(logits, temperature, rng):
    temperature = _positive_temperature(temperature)
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape [B, C], got {list(logits.shape)}")
    scaled = logits * temperature
    probs = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    return np.array([rng.choice(len(row), p=row) for row in probs])
