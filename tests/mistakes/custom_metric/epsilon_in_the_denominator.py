"""Divides by total weight + keras.backend.epsilon() (1e-7) instead of with divide_no_nan: right
for weights near 1, but small weights (a total of 4e-9) give 0.02 instead of 0.5.

Rejected by: test_the_result_does_not_depend_on_the_scale_of_the_weights
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
        y_pred = tf.convert_to_tensor(y_pred)
        if y_pred.shape.rank != 2:
            raise ValueError(f"y_pred must have shape [B, C], got {y_pred.shape.as_list()}")
        batch = y_pred.shape[0]
        labels = tf.cast(_per_sample(y_true, "y_true", batch), tf.int64)
        hits = tf.cast(tf.equal(labels, tf.argmax(y_pred, axis=-1)), self.dtype)
        if sample_weight is None:
            weights = tf.ones_like(hits)
        else:
            weights = tf.cast(_per_sample(sample_weight, "sample_weight", batch), self.dtype)
        self.hits.assign_add(tf.reduce_sum(hits * weights))
        self.weight_total.assign_add(tf.reduce_sum(weights))

    def result(self):
        return self.hits / (self.weight_total + keras.backend.epsilon())

    def reset_state(self):
        self.hits.assign(0.0)
        self.weight_total.assign(0.0)
