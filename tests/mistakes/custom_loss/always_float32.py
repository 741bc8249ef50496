"""Casts y_pred to float32 first: float64 logits give a float32 loss, rounded to float32's
7 digits, instead of keeping the input's float dtype.

Rejected by: test_crossentropy_from_logits_equals_keras, test_crossentropy_from_probabilities_equals_keras
"""

import keras
import numpy as np
import tensorflow as tf


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = tf.cast(_as_float(y_pred, "y_pred"), tf.float32)
    if y_pred.shape.rank != 2:
        raise ValueError(f"y_pred must have shape [B, C], got {y_pred.shape.as_list()}")
    batch, num_classes = y_pred.shape
    labels = _as_labels(y_true, num_classes, batch)
    if from_logits:
        shifted = y_pred - tf.reduce_max(y_pred, axis=-1, keepdims=True)
        log_probs = shifted - tf.math.log(tf.reduce_sum(tf.exp(shifted), axis=-1, keepdims=True))
    else:
        epsilon = np.float32(keras.config.epsilon())
        log_probs = tf.math.log(tf.clip_by_value(y_pred, epsilon, 1 - epsilon))
    return -tf.gather(log_probs, labels, batch_dims=1)
