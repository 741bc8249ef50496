"""Leaves the label's dtype alone: NumPy's int64 labels come out as int64, not int32.

Rejected by: test_preprocess_scales_pixels_to_the_unit_interval, test_preprocess_worked_example
"""

import tensorflow as tf


def preprocess(image, label):
    image = tf.convert_to_tensor(image)
    if not image.dtype.is_integer:
        raise TypeError(f"image must hold integer pixels, not {image.dtype.name}")
    return tf.cast(image, tf.float32) / 255.0, tf.convert_to_tensor(label)
