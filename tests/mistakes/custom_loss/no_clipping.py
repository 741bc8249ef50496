"""Takes −log p without clipping: a probability of exactly 0 for the label gives inf.

Rejected by: test_crossentropy_from_probabilities_equals_keras, test_crossentropy_at_extremes_is_finite
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
        log_probs = tf.math.log(y_pred)
    return -tf.gather(log_probs, labels, batch_dims=1)
