"""Averages over the batch axis (axis=0) instead of the last axis: one value per feature, not per
sample, so the reductions and sample weights act on the wrong numbers."""

import keras
import tensorflow as tf


class MeanSquaredError(keras.losses.Loss):
    def call(self, y_true, y_pred):
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        return tf.reduce_mean(tf.square(y_pred - y_true), axis=0)
