"""Compares y_true of shape [B, 1] with the [B] argmax directly: broadcasting makes a [B, B]
matrix of every label against every prediction.

Rejected by: test_streaming_over_any_split_equals_keras_on_the_whole, test_keras_fixture_without_and_with_sample_weight
"""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class SparseCategoricalAccuracy(keras.metrics.Metric):
    def __init__(self, name="sparse_categorical_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.hits = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="hits")
        self.weight_total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="weight_total"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        predicted = tf.argmax(y_pred, axis=-1)
        hits = tf.cast(tf.equal(tf.cast(y_true, tf.int64), predicted), tf.float32)
        if sample_weight is None:
            weights = tf.ones_like(hits)
        else:
            weights = tf.broadcast_to(tf.cast(sample_weight, tf.float32), tf.shape(hits))
        self.hits.assign_add(tf.reduce_sum(hits * weights))
        self.weight_total.assign_add(tf.reduce_sum(weights))

    def result(self):
        return tf.math.divide_no_nan(self.hits, self.weight_total)

    def reset_state(self):
        self.hits.assign(0.0)
        self.weight_total.assign(0.0)
