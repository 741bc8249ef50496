"""Accepts sample_weight but never uses it: every sample counts 1.

Rejected by: test_keras_fixture_without_and_with_sample_weight, test_streaming_over_any_split_equals_keras_on_the_whole
"""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class SparseCategoricalAccuracy(keras.metrics.Metric):
    def __init__(self, name="sparse_categorical_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.hits = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="hits")
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="count"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = tf.reshape(tf.cast(y_true, tf.int64), [-1])
        hits = tf.cast(tf.equal(y_true, tf.argmax(y_pred, axis=-1)), tf.float32)
        self.hits.assign_add(tf.reduce_sum(hits))
        self.count.assign_add(tf.cast(tf.size(hits), tf.float32))

    def result(self):
        return tf.math.divide_no_nan(self.hits, self.count)

    def reset_state(self):
        self.hits.assign(0.0)
        self.count.assign(0.0)
