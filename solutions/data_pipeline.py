"""Kata: an input pipeline with tf.data.

`tf.data.Dataset` describes a stream of examples as a chain of transformations, run lazily each
time the dataset is iterated (each *epoch*):

    tf.data.Dataset.from_tensor_slices((x, y))   # one (image, label) element per example
        .shuffle(buffer_size, seed=...)          # random order, a new one every epoch
        .map(preprocess)                         # per-example work, e.g. uint8 -> float32
        .batch(batch_size)                       # stack consecutive elements into batches
        .prefetch(tf.data.AUTOTUNE)              # prepare the next batch while one is used

The order matters:

- `shuffle` draws each element at random from a buffer of `buffer_size` upcoming elements. With a
  buffer smaller than the dataset the order is only locally mixed (the first example always comes
  from the first `buffer_size`); a buffer holding the whole dataset gives a uniform shuffle.
- Shuffle *before* `batch`: shuffling after it only reorders fixed batches of neighbours.
- `reshuffle_each_iteration=True` (the default) draws a new order for every epoch; with a `seed`
  the sequence of orders is the same every time the dataset is built. (Caching *after* a shuffle
  would freeze the first epoch's order.)
- `drop_remainder=True` drops a last, incomplete batch, so every batch has exactly `batch_size`
  examples and the batch dimension is known statically.
"""

import numpy as np
import tensorflow as tf


def preprocess(image, label):
    """One example: `image` (uint8 pixels 0..255, any shape) becomes float32 in [0, 1] (pixel /
    255, so 0 -> 0.0 and 255 -> 1.0) and `label` becomes int32.

    Works eagerly and inside `Dataset.map`. An image that is not of an integer dtype (e.g. one
    already scaled to floats) is a TypeError naming image: scaling twice is a silent bug.
    """
    image = tf.convert_to_tensor(image)
    if not image.dtype.is_integer:
        raise TypeError(f"image must hold integer pixels 0..255 (uint8), not {image.dtype.name}")
    label = tf.convert_to_tensor(label)
    return tf.cast(image, tf.float32) / 255.0, tf.cast(label, tf.int32)


def _length(value, name):
    shape = np.shape(value) if not tf.is_tensor(value) else tuple(value.shape)
    if len(shape) == 0:
        raise ValueError(f"{name} must have one entry per example (rank >= 1), got a scalar")
    return shape[0]


def make_dataset(x, y, batch_size, shuffle=True, seed=None, drop_remainder=False):
    """Batches of preprocessed `(image, label)` pairs from `x` (uint8 images [N, ...]) and `y`
    (N integer labels).

    Each epoch yields every example exactly once (or, with `drop_remainder=True`, all but the
    N mod batch_size left over for an incomplete last batch). With `shuffle` the examples are
    shuffled uniformly (a buffer of all N) before batching, in a new order every epoch; the same
    `seed` gives the same sequence of orders. Without `shuffle` the order is that of `x`. The
    caller's `x` and `y` are never modified, and the seed goes to `Dataset.shuffle(seed=...)`, so
    the global TensorFlow random stream is left alone (no `tf.random.set_seed`). One pass over the
    dataset is one epoch: no `.repeat()`.

    `x` and `y` may be NumPy arrays, tensors or (nested) Python lists. Mismatched lengths of x
    and y, or `batch_size` < 1, are a ValueError naming the argument; a `batch_size` that is not
    an int is a TypeError.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise TypeError(f"batch_size must be an int, not {type(batch_size).__name__}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    n = _length(x, "x")
    if _length(y, "y") != n:
        raise ValueError(
            f"x and y must have the same length: len(x) = {n}, len(y) = {_length(y, 'y')}"
        )
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        dataset = dataset.shuffle(buffer_size=max(n, 1), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE)
    dataset = dataset.batch(int(batch_size), drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)
