"""Clips probabilities to [1e-12, 1] instead of Keras's [ε, 1 − ε] with ε = 1e-7: a certain, wrong
prediction costs 27.6 instead of Keras's 16.1.

Rejected by: test_crossentropy_from_probabilities_equals_keras, test_crossentropy_at_extremes_is_finite
"""

import tensorflow as tf


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = _as_float(y_pred, "y_pred")
    if y_pred.shape.rank != 2:
        raise ValueError(f"y_pred must have shape [B, C], got {y_pred.shape.as_list()}")
    batch, num_classes = y_pred.shape
    labels = _as_labels(y_true, num_classes, batch)
    if from_logits:
        log_probs = tf.nn.log_softmax(y_pred, axis=-1)
    else:
        log_probs = tf.math.log(tf.clip_by_value(y_pred, 1e-12, 1.0))
    return -tf.gather(log_probs, labels, batch_dims=1)
