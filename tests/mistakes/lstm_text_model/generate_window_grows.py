"""Feeds the model every id so far (seed + generated) instead of the last len(seed_ids) ones: the
window grows at each step.

Rejected by: test_generate_predicts_each_id_from_the_last_len_seed_ids
"""

import tensorflow as tf


def generate(model, seed_ids, length, temperature, rng):
    ids = [int(i) for i in seed_ids]
    if not ids:
        raise ValueError("seed_ids must hold at least one id")
    if length < 0:
        raise ValueError(f"length must be >= 0, got {length}")
    _positive_temperature(temperature)
    generated = []
    for _ in range(length):
        logits = model(tf.constant([ids]), from_logits=True)
        next_id = int(sample_with_temperature(logits, temperature, rng)[0])
        ids.append(next_id)
        generated.append(next_id)
    return generated
