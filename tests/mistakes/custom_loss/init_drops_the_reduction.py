"""Writes an __init__ that passes only name= to the base class: reduction= is swallowed, so
MeanSquaredError(reduction="sum") still averages, and the config forgets the reduction.

Rejected by: test_mse_equals_keras_under_every_reduction_and_sample_weight, test_mse_config_round_trips_and_the_class_is_registered
"""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class MeanSquaredError(keras.losses.Loss):
    def __init__(self, name="mean_squared_error", **kwargs):
        super().__init__(name=name)

    def call(self, y_true, y_pred):
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        y_true, y_pred = _same_rank(y_true, y_pred)
        return tf.reduce_mean(tf.square(y_pred - y_true), axis=-1)
