"""Picks the label's column with tf.gather(log_probs, labels, axis=1) and no batch_dims: every
row gets every sample's label, a [B, B] matrix instead of one loss per sample.

Rejected by: test_crossentropy_from_logits_equals_keras
"""

import tensorflow as tf


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = _as_float(y_pred, "y_pred")
    if y_pred.shape.rank != 2:
        raise ValueError(f"y_pred must have shape [B, C], got {y_pred.shape.as_list()}")
    labels = _as_labels(y_true, y_pred.shape[1], y_pred.shape[0])
    if from_logits:
        log_probs = tf.nn.log_softmax(y_pred, axis=-1)
    else:
        log_probs = tf.math.log(tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7))
    return -tf.gather(log_probs, labels, axis=1)
