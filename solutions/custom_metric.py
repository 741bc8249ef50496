"""Kata: a streaming metric, sparse categorical accuracy.

A loss is computed batch by batch, but a metric must report on *everything seen so far*: Keras calls
`update_state(y_true, y_pred, sample_weight)` once per batch and `result()` whenever it wants the
current value, and `reset_state()` at the start of each epoch. So a metric keeps running totals in
its state, never a list of per-batch results: the accuracy of an epoch is

    (Σ over batches of Σ w·[argmax(y_pred) == y_true]) / (Σ over batches of Σ w),

not the mean of the per-batch accuracies (batches differ in size and in total weight).

The state must live in variables the metric owns, created in `__init__` with
`self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name=...)` (without `dtype`
the variable is float32 even in a metric made with `dtype="float64"`). Keras runs `update_state`
inside a compiled graph, where `self.total += ...` on a Python float would store a symbolic tensor rather
than add anything; `variable.assign_add(...)` updates the variable in place.

`result()` divides with `tf.math.divide_no_nan`, so before any update (and when every weight is
zero) it is 0.0, not NaN.

A model saved with `model.save("model.keras")` stores its compiled metrics by name; to load it back
(`keras.saving.load_model`) without `custom_objects`, register the class with
`@keras.saving.register_keras_serializable(package="tfkata")`. The base class's `get_config`
(name and dtype) is complete for a metric whose only arguments are those.
"""

import keras
import tensorflow as tf


def _per_sample(value, name, batch):
    """[B] or [B, 1] -> a [B] tensor; any other shape is a ValueError naming the argument."""
    value = tf.convert_to_tensor(value)
    if value.shape.rank == 2 and value.shape[-1] == 1:
        value = tf.squeeze(value, -1)
    if value.shape.rank != 1:
        raise ValueError(f"{name} must have shape [B] or [B, 1], got {value.shape.as_list()}")
    if None not in (batch, value.shape[0]) and value.shape[0] != batch:
        raise ValueError(f"{name} has {value.shape[0]} entries but y_pred has {batch} rows")
    return value


@keras.saving.register_keras_serializable(package="tfkata")
class SparseCategoricalAccuracy(keras.metrics.Metric):
    """The share of samples whose highest-scoring class is the label, weighted and streamed. A tie
    for the highest score goes to the first of the tied classes (argmax), as in Keras.

    Agrees with `keras.metrics.SparseCategoricalAccuracy` for any split of the data into batches,
    with or without `sample_weight`, and works in `model.compile(metrics=[...])`. Example (Keras's
    own): labels [[2], [1]] and predictions [[0.1, 0.6, 0.3], [0.05, 0.95, 0]] give 0.5; with
    sample_weight [0.7, 0.3] they give 0.3. Registered as "tfkata>SparseCategoricalAccuracy", so
    a model compiled with it saves to `.keras` and loads back without `custom_objects`.
    """

    def __init__(self, name="sparse_categorical_accuracy", **kwargs):
        """Create the state: a running weighted count of hits and a running total weight.

        `**kwargs` (such as `dtype`) go to `keras.metrics.Metric`; the state and `result()` are in
        the metric's dtype (float32 unless `dtype` says otherwise).
        """
        super().__init__(name=name, **kwargs)
        self.hits = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype, name="hits")
        self.weight_total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="weight_total"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch: `y_true` [B] or [B, 1] class ids (any int or float dtype), `y_pred`
        [B, C] scores, `sample_weight` None (every sample counts 1) or [B] (or [B, 1]) weights.

        Shapes that do not fit are a ValueError naming the argument.
        """
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
        """Weighted hits / total weight so far: 0.0 (not NaN) before any update or when every
        weight was zero."""
        return tf.math.divide_no_nan(self.hits, self.weight_total)

    def reset_state(self):
        """Forget everything seen: back to the state of a fresh metric."""
        self.hits.assign(0.0)
        self.weight_total.assign(0.0)
