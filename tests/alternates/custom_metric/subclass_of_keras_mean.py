"""Reuses keras.metrics.Mean (itself a Metric with a weighted running total and count): compute
the per-sample hits and hand them to Mean's update_state with the weights."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class SparseCategoricalAccuracy(keras.metrics.Mean):
    def __init__(self, name="sparse_categorical_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = tf.convert_to_tensor(y_pred)
        if y_pred.shape.rank != 2:
            raise ValueError(f"y_pred must be [B, C], got {y_pred.shape}")
        labels = tf.reshape(tf.convert_to_tensor(y_true), [-1])
        if labels.shape[0] is not None and y_pred.shape[0] is not None:
            if labels.shape[0] != y_pred.shape[0]:
                raise ValueError(f"y_true has {labels.shape[0]} labels for {y_pred.shape[0]} rows")
        hits = tf.cast(tf.cast(labels, tf.int64) == tf.argmax(y_pred, axis=-1), self.dtype)
        if sample_weight is not None:
            sample_weight = tf.reshape(tf.cast(sample_weight, self.dtype), [-1])
            if sample_weight.shape[0] is not None and sample_weight.shape[0] != hits.shape[0]:
                raise ValueError("sample_weight needs one weight per sample")
        super().update_state(hits, sample_weight=sample_weight)

    def result(self):
        return super().result()

    def reset_state(self):
        super().reset_state()
