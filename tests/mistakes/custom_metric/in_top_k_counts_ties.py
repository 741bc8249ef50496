"""Uses tf.math.in_top_k(labels, y_pred, k=1), which counts a label tied for the highest score
as a hit: labels [1, 0] with predictions [[0.5, 0.5], [0.3, 0.7]] give 0.5 where Keras's argmax
(the first maximum) gives 0.0.

Rejected by: test_tied_scores_and_column_weights_as_keras, test_streaming_over_any_split_equals_keras_on_the_whole
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
        hits = tf.cast(tf.math.in_top_k(labels, tf.cast(y_pred, tf.float32), k=1), self.dtype)
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
