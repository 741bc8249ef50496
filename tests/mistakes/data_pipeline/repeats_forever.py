"""Ends the pipeline with .repeat() "so that training never runs out of data": one pass never
ends, so an epoch is no longer every example once (and a plain for loop over it never stops).

Rejected by: test_every_example_exactly_once_per_epoch
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
        dataset = dataset.shuffle(len(x), seed=seed)
    dataset = dataset.map(preprocess).batch(batch_size, drop_remainder=drop_remainder)
    return dataset.repeat().prefetch(tf.data.AUTOTUNE)
