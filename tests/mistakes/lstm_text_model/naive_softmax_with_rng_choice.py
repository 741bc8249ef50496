"""Writes softmax(logits / T) as exp(z) / Σ exp(z) and draws with rng.choice: at a small
temperature exp overflows, and rng.choice fails with "probabilities contain NaN".

Rejected by: test_sample_near_zero_temperature_is_the_argmax, test_sample_is_unchanged_by_adding_a_constant_to_the_logits
"""

import numpy as np


def sample_with_temperature(logits, temperature, rng):
    temperature = _positive_temperature(temperature)
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2 or logits.shape[1] < 1:
        raise ValueError(f"logits must have shape [B, C], got {list(logits.shape)}")
    with np.errstate(over="ignore", invalid="ignore"):
        probs = np.exp(logits / temperature)
        probs = probs / probs.sum(axis=1, keepdims=True)
    return np.array([rng.choice(logits.shape[1], p=row) for row in probs])
