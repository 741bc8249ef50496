"""Uses a shuffle buffer of batch_size: each example is drawn from the next few only, so the
order stays close to the original (the first example is always one of the first batch_size).

Rejected by: test_shuffle_draws_from_the_whole_dataset
"""

import numpy as np
import tensorflow as tf


def make_dataset(x, y, batch_size, shuffle=True, seed=None, drop_remainder=False):
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise TypeError(f"batch_size must be an int, not {type(batch_size).__name__}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        dataset = dataset.shuffle(batch_size, seed=seed)
    dataset = dataset.map(preprocess).batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)
