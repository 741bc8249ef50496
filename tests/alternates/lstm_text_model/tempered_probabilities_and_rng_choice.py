"""Tempers the *probabilities* instead of the logits: softmax(z)^(1/T), renormalized, is exactly
softmax(z / T); computed as exp((log_softmax(z)) / T) in float64, then drawn row by row with
rng.choice. generate keeps its window in a collections.deque."""

from collections import deque

import numpy as np
import tensorflow as tf


def sample_with_temperature(logits, temperature, rng):
    if isinstance(temperature, bool) or not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, not {type(rng).__name__}")
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 2 or z.shape[1] == 0:
        raise ValueError(f"logits must be [B, C] with C >= 1, got shape {z.shape}")
    log_p = z - z.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    tempered = log_p / temperature
    tempered -= tempered.max(axis=1, keepdims=True)
    probs = np.exp(tempered)
    probs /= probs.sum(axis=1, keepdims=True)
    return np.array([rng.choice(z.shape[1], p=row) for row in probs], dtype=np.int64)


def generate(model, seed_ids, length, temperature, rng):
    seed = [int(i) for i in np.asarray(seed_ids).reshape(-1)]
    if not seed:
        raise ValueError("seed_ids must not be empty")
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 0:
        raise ValueError(f"length must be a non-negative int, got {length!r}")
    if isinstance(temperature, bool) or not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    window = deque(seed, maxlen=len(seed))
    out = []
    for _ in range(length):
        logits = model(tf.constant([list(window)], tf.int32), from_logits=True)
        next_id = int(sample_with_temperature(np.asarray(logits), temperature, rng)[0])
        out.append(next_id)
        window.append(next_id)
    return out
