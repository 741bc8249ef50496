"""Compares labels of shape [B, 1] with the [B] argmax as they are: broadcasting counts every
label against every prediction.

Rejected by: test_evaluate_accuracy_equals_keras_metric
"""

import tensorflow as tf


def evaluate_accuracy(model, dataset):
    hits, seen = 0, 0
    for x, y in dataset:
        predicted = tf.argmax(model(x, training=False), axis=-1)
        matches = tf.cast(tf.equal(predicted, tf.cast(y, predicted.dtype)), tf.float32)
        hits += float(tf.reduce_sum(matches))
        seen += int(tf.size(matches))
    if seen == 0:
        raise ValueError("dataset holds no examples")
    return hits / seen
