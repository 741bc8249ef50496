"""Generates with the argmax of the logits at every step ("the most likely character is the best
guess"): the temperature is ignored and the text loops on the same few words.

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
    _positive_temperature(temperature)
    generated = []
    for _ in range(length):
        logits = model(tf.constant([window], dtype=tf.int32), from_logits=True)
        next_id = int(np.argmax(np.asarray(logits)[0]))
        generated.append(next_id)
        window = [*window[1:], next_id]
    return generated
