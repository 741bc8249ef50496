# Kata custom_metric: fill in every function below, then run `kata check custom_metric`.
# Stuck? `kata hint custom_metric` gives hints, from a nudge to nearly the answer.

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
        raise NotImplementedError(
            "SparseCategoricalAccuracy.__init__: your code here (`kata hint custom_metric`)"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch: `y_true` [B] or [B, 1] class ids (any int or float dtype), `y_pred`
        [B, C] scores, `sample_weight` None (every sample counts 1) or [B] (or [B, 1]) weights.

        Shapes that do not fit are a ValueError naming the argument.
        """
        raise NotImplementedError(
            "SparseCategoricalAccuracy.update_state: your code here (`kata hint custom_metric`)"
        )

    def result(self):
        """Weighted hits / total weight so far: 0.0 (not NaN) before any update or when every
        weight was zero."""
        raise NotImplementedError(
            "SparseCategoricalAccuracy.result: your code here (`kata hint custom_metric`)"
        )

    def reset_state(self):
        """Forget everything seen: back to the state of a fresh metric."""
        raise NotImplementedError(
            "SparseCategoricalAccuracy.reset_state: your code here (`kata hint custom_metric`)"
        )
