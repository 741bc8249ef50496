"""Leaves out @keras.saving.register_keras_serializable: the metric streams the right numbers, but
a model compiled with it and saved to .keras cannot be loaded back.

Rejected by: test_config_round_trips_and_the_class_is_registered, test_model_with_the_metric_saves_to_a_keras_file_and_loads_back
"""

import keras
import tensorflow as tf


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
        return tf.math.divide_no_nan(self.hits, self.weight_total)

    def reset_state(self):
        self.hits.assign(0.0)
        self.weight_total.assign(0.0)
