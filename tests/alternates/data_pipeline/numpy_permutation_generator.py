"""A Python generator: a NumPy Generator seeded once per built dataset draws a fresh permutation
every epoch (so the same seed replays the same sequence of orders), and slices it into batches."""

import numpy as np
import tensorflow as tf


def make_dataset(x, y, batch_size, shuffle=True, seed=None, drop_remainder=False):
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise TypeError(f"batch_size: an int is needed, got {batch_size!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size: at least 1 is needed, got {batch_size}")
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"len(x) = {len(x)} but len(y) = {len(y)}: x and y must match")
    rng = np.random.default_rng(seed)
    n, size = len(x), int(batch_size)
    stop = n - n % size if drop_remainder else n

    def batches():
        order = rng.permutation(n) if shuffle else np.arange(n)
        for start in range(0, stop, size):
            picked = order[start : start + size]
            yield x[picked], y[picked]

    signature = (
        tf.TensorSpec((size if drop_remainder else None, *x.shape[1:]), tf.as_dtype(x.dtype)),
        tf.TensorSpec((size if drop_remainder else None, *y.shape[1:]), tf.as_dtype(y.dtype)),
    )
    dataset = tf.data.Dataset.from_generator(batches, output_signature=signature)
    return dataset.map(preprocess)
