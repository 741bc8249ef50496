"""Returns the batch mean from call(): the base class gets a scalar, so "sum", "none" and every
sample weight are ignored.

Rejected by: test_mse_equals_keras_under_every_reduction_and_sample_weight
"""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class MeanSquaredError(keras.losses.Loss):
    def call(self, y_true, y_pred):
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        y_true, y_pred = _same_rank(y_true, y_pred)
        return tf.reduce_mean(tf.square(y_pred - y_true))
