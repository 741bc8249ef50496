"""Never checks that `rng` is a numpy.random.Generator: a legacy RandomState is used silently
(it has .random too), and a seed or None fails later with an AttributeError about `.random`.

Rejected by: test_sample_rejects_an_rng_that_is_not_a_generator, test_generate_rejects_an_rng_that_is_not_a_generator
"""

import numpy as np


def sample_with_temperature(logits, temperature, rng):
    temperature = _positive_temperature(temperature)
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2 or logits.shape[1] < 1:
        raise ValueError(f"logits must have shape [B, C] with C >= 1, got {list(logits.shape)}")
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits must be finite")
    scaled = logits / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    probs = np.exp(scaled)
    probs /= probs.sum(axis=1, keepdims=True)
    cdf = np.cumsum(probs, axis=1)
    u = rng.random((logits.shape[0], 1)) * cdf[:, -1:]
    return np.minimum((u >= cdf).sum(axis=1), logits.shape[1] - 1)
