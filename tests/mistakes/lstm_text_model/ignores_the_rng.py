"""Samples with `tf.random.categorical` and never touches `rng`: the draws cannot be reproduced
from the seed the caller passes.

Rejected by: test_sample_is_reproducible_from_the_rng_seed, test_generate_is_reproducible_from_the_rng_seed
"""

import numpy as np
import tensorflow as tf


def sample_with_temperature(logits, temperature, rng):
    temperature = _positive_temperature(temperature)
    logits = tf.convert_to_tensor(np.asarray(logits, dtype=np.float32))
    if logits.shape.rank != 2:
        raise ValueError(f"logits must have shape [B, C], got {logits.shape}")
    return tf.random.categorical(logits / temperature, num_samples=1)[:, 0].numpy()
