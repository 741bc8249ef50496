"""Shuffles example *indices* (Dataset.range), batches them, and gathers whole batches from x and y
held as constants; preprocess then runs once per batch, and image scaling uses
tf.image.convert_image_dtype (pixel · 1/255)."""

import numpy as np
import tensorflow as tf


def preprocess(image, label):
    image = tf.convert_to_tensor(image)
    if image.dtype not in (tf.uint8, tf.uint16, tf.int8, tf.int16, tf.int32, tf.int64):
        raise TypeError(f"preprocess: image must be integer pixels, got {image.dtype.name}")
    image = tf.cast(image, tf.uint8) if image.dtype != tf.uint8 else image
    return tf.image.convert_image_dtype(image, tf.float32), tf.cast(label, tf.int32)


def make_dataset(x, y, batch_size, shuffle=True, seed=None, drop_remainder=False):
    if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool):
        raise TypeError("batch_size must be an integer")
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    x, y = np.asarray(x), np.asarray(y)
    if x.shape[:1] != y.shape[:1]:
        raise ValueError(f"x has {x.shape[0]} examples but y has {y.shape[0]}")
    images, labels = tf.constant(x), tf.constant(y)
    indices = tf.data.Dataset.range(len(x))
    if shuffle:
        indices = indices.shuffle(len(x), seed=seed)
    batches = indices.batch(int(batch_size), drop_remainder=drop_remainder)
    return batches.map(lambda i: preprocess(tf.gather(images, i), tf.gather(labels, i)))
