"""Returns the seed followed by the new ids: len(seed_ids) more ids than asked for.

Rejected by: test_generate_predicts_each_id_from_the_last_len_seed_ids, test_generate_returns_length_valid_python_ints
"""

import tensorflow as tf


def generate(model, seed_ids, length, temperature, rng):
    window = [int(i) for i in seed_ids]
    if not window:
        raise ValueError("seed_ids must hold at least one id")
    if length < 0:
        raise ValueError(f"length must be >= 0, got {length}")
    _positive_temperature(temperature)
    text = list(window)
    for _ in range(length):
        logits = model(tf.constant([window]), from_logits=True)
        next_id = int(sample_with_temperature(logits, temperature, rng)[0])
        text.append(next_id)
        window = [*window[1:], next_id]
    return text
