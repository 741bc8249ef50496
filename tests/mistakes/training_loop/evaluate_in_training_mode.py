"""Evaluates with model(x, training=True): Dropout stays on, so the accuracy is that of a
randomly damaged model (and BatchNorm would use batch statistics).

Rejected by: test_evaluate_accuracy_calls_the_model_in_inference_mode, test_evaluate_accuracy_equals_keras_metric
"""

import tensorflow as tf


def evaluate_accuracy(model, dataset):
    hits, seen = 0, 0
    for x, y in dataset:
        predicted = tf.argmax(model(x, training=True), axis=-1)
        labels = tf.cast(tf.reshape(y, [-1]), predicted.dtype)
        hits += int(tf.reduce_sum(tf.cast(tf.equal(predicted, labels), tf.int64)))
        seen += int(labels.shape[0])
    if seen == 0:
        raise ValueError("dataset holds no examples")
    return hits / seen
