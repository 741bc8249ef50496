"""Ignores from_logits: logits are clipped to [ε, 1 − ε] and logged as if they were
probabilities.

Rejected by: test_crossentropy_from_logits_equals_keras
"""

import keras
import numpy as np
import tensorflow as tf


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = _as_float(y_pred, "y_pred")
    if y_pred.shape.rank != 2:
        raise ValueError(f"y_pred must have shape [B, C], got {y_pred.shape.as_list()}")
    labels = _as_labels(y_true, y_pred.shape[1], y_pred.shape[0])
    epsilon = np.asarray(keras.config.epsilon(), y_pred.dtype.as_numpy_dtype)
    log_probs = tf.math.log(tf.clip_by_value(y_pred, epsilon, 1 - epsilon))
    return -tf.gather(log_probs, labels, batch_dims=1)
