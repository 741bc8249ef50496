"""Sums the squared errors over the last axis instead of averaging them: a sum of squared errors,
D times the mean for D outputs (right only for one-unit outputs).

Rejected by: test_mse_call_is_the_mean_over_the_last_axis
"""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class MeanSquaredError(keras.losses.Loss):
    def call(self, y_true, y_pred):
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        y_true, y_pred = _same_rank(y_true, y_pred)
        return tf.reduce_sum(tf.square(y_pred - y_true), axis=-1)
