"""Checks nothing: batch_size 0 fails late inside tf.data, and mismatched lengths give TensorFlow's
own error, which names neither argument.

Rejected by: test_mismatched_lengths_are_an_error, test_bad_batch_size_is_an_error
"""

import tensorflow as tf


def make_dataset(x, y, batch_size, shuffle=True, seed=None, drop_remainder=False):
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=seed)
    dataset = dataset.map(preprocess).batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)
