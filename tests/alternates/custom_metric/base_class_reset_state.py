"""Leaves reset_state to keras.metrics.Metric, which assigns zeros to every state variable, and
keeps the state in a [2] vector of (weighted hits, total weight) updated with one assign_add."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class SparseCategoricalAccuracy(keras.metrics.Metric):
    def __init__(self, name="sparse_categorical_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.totals = self.add_variable(
            shape=(2,), initializer="zeros", dtype=self.dtype, name="totals"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = tf.convert_to_tensor(y_pred)
        if y_pred.shape.rank != 2:
            raise ValueError(f"y_pred must be [B, C], got shape {y_pred.shape}")
        labels = tf.reshape(tf.convert_to_tensor(y_true), [-1])
        if labels.shape[0] != y_pred.shape[0]:
            raise ValueError(f"y_true has {labels.shape[0]} labels for {y_pred.shape[0]} rows")
        hits = tf.cast(tf.equal(tf.cast(labels, tf.int64), tf.argmax(y_pred, -1)), self.dtype)
        weights = tf.ones_like(hits)
        if sample_weight is not None:
            weights = tf.reshape(tf.cast(sample_weight, self.dtype), [-1])
            if weights.shape[0] != hits.shape[0]:
                raise ValueError(
                    f"sample_weight has {weights.shape[0]} entries for {hits.shape[0]}"
                )
        self.totals.assign_add(tf.stack([tf.reduce_sum(hits * weights), tf.reduce_sum(weights)]))

    def result(self):
        return tf.math.divide_no_nan(self.totals[0], self.totals[1])
