"""Averages over the batch axis (axis=0) instead of the last axis: one value per feature, not per
sample, so the reductions and sample weights act on the wrong numbers.

Rejected by: test_mse_call_is_the_mean_over_the_last_axis
"""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class MeanSquaredError(keras.losses.Loss):
    def call(self, y_true, y_pred):
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        return tf.reduce_mean(tf.square(y_pred - y_true), axis=0)
