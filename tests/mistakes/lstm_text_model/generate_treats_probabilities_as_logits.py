"""Calls model(window) without from_logits=True and hands the probabilities to
sample_with_temperature as if they were logits: it samples from softmax(p / T), far flatter than
the model's distribution.

Rejected by: test_generate_samples_from_the_models_distribution_at_the_temperature
"""

import numpy as np
import tensorflow as tf


def generate(model, seed_ids, length, temperature, rng):
    window = [int(i) for i in np.asarray(seed_ids).reshape(-1)]
    if not window:
        raise ValueError("seed_ids must hold at least one id")
    if length < 0:
        raise ValueError(f"length must be an int >= 0, got {length!r}")
    temperature = _positive_temperature(temperature)
    generated = []
    for _ in range(length):
        probs = model(tf.constant([window], dtype=tf.int32))
        next_id = int(sample_with_temperature(probs, temperature, rng)[0])
        generated.append(next_id)
        window = [*window[1:], next_id]
    return generated
