"""Averages the per-batch accuracies: a batch of 1 counts as much as a batch of 100, so streaming
disagrees with one call on all the data.

Rejected by: test_streaming_over_any_split_equals_keras_on_the_whole
"""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class SparseCategoricalAccuracy(keras.metrics.Metric):
    def __init__(self, name="sparse_categorical_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.sum_of_accuracies = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="sum"
        )
        self.batches = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="batches"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = tf.reshape(tf.cast(y_true, tf.int64), [-1])
        hits = tf.cast(tf.equal(y_true, tf.argmax(y_pred, axis=-1)), tf.float32)
        if sample_weight is None:
            sample_weight = tf.ones_like(hits)
        sample_weight = tf.reshape(tf.cast(sample_weight, tf.float32), [-1])
        batch_accuracy = tf.math.divide_no_nan(
            tf.reduce_sum(hits * sample_weight), tf.reduce_sum(sample_weight)
        )
        self.sum_of_accuracies.assign_add(batch_accuracy)
        self.batches.assign_add(1.0)

    def result(self):
        return tf.math.divide_no_nan(self.sum_of_accuracies, self.batches)

    def reset_state(self):
        self.sum_of_accuracies.assign(0.0)
        self.batches.assign(0.0)
