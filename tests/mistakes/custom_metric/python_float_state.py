"""Keeps the totals in Python floats instead of variables: eagerly it seems to work, but inside
the graphs of fit()/evaluate() the attributes end up holding symbolic tensors and nothing
accumulates; Keras cannot see or reset the state either.

Rejected by: test_state_lives_in_variables_created_in_init, test_works_in_compile_fit_and_evaluate
"""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class SparseCategoricalAccuracy(keras.metrics.Metric):
    def __init__(self, name="sparse_categorical_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.hits = 0.0
        self.weight_total = 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = tf.reshape(tf.cast(y_true, tf.int64), [-1])
        hits = tf.cast(tf.equal(y_true, tf.argmax(y_pred, axis=-1)), tf.float32)
        if sample_weight is None:
            weights = tf.ones_like(hits)
        else:
            weights = tf.reshape(tf.cast(sample_weight, tf.float32), [-1])
        self.hits = self.hits + tf.reduce_sum(hits * weights)
        self.weight_total = self.weight_total + tf.reduce_sum(weights)

    def result(self):
        return tf.math.divide_no_nan(
            tf.cast(self.hits, tf.float32), tf.cast(self.weight_total, tf.float32)
        )

    def reset_state(self):
        self.hits = 0.0
        self.weight_total = 0.0
