"""Shuffles the NumPy arrays in place (np.random.shuffle on x and on y, reseeded in between to
keep the pairs) before building the dataset: the caller's x and y come back reordered.

Rejected by: test_leaves_the_callers_arrays_and_the_global_random_stream_untouched
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
    if shuffle:
        np.random.default_rng(seed).shuffle(x)
        np.random.default_rng(seed).shuffle(y)
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=seed)
    dataset = dataset.map(preprocess).batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)
