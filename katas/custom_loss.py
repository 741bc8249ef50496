# Kata custom_loss: fill in every function below, then run `kata check custom_loss`.
# Stuck? `kata hint custom_loss` gives hints, from a nudge to nearly the answer.

"""Kata: a custom Keras loss, and a cross-entropy that never overflows.

A Keras loss has two halves. `call(y_true, y_pred)` computes one loss value *per sample*; the base
class `keras.losses.Loss` does the rest in `__call__`: it converts the inputs to the loss's dtype,
multiplies by `sample_weight` when one is given, and applies the `reduction`:

- `"sum_over_batch_size"` (the default, also spelled `"mean"`): Σ(w·loss) / number of elements;
- `"sum"`: Σ(w·loss);
- `"mean_with_sample_weight"`: Σ(w·loss) / Σw;
- `"none"` or `None`: no reduction, the weighted per-sample values.

So a subclass only writes `call`, and must keep the batch axis: reducing over the batch inside
`call` breaks every reduction and every sample weight.

To be saved with a model, a loss must be *registered*: `model.save("model.keras")` stores the
loss by name, and `keras.saving.load_model` finds a custom class only through the decorator
`@keras.saving.register_keras_serializable(package="tfkata")`, which files it as
"tfkata>MeanSquaredError". The base class's `get_config` (name, reduction, dtype) is complete
for a loss without arguments of its own.

Cross-entropy from *logits* z needs care. log(softmax(z)_y) written literally overflows: exp(1e4)
is inf in float32, and inf/inf is NaN. The log-sum-exp trick subtracts the row's maximum first:
log softmax(z) = (z − m) − log Σ exp(z − m), with m = max(z). Every exp(z − m) is at most 1, and
one of them is exactly 1, so the sum never overflows and its log never sees 0.

From *probabilities*, log(0) = −inf for a confident wrong prediction. Keras clips the probabilities
to [ε, 1 − ε] with ε = `keras.config.epsilon()` (1e-7) first, which caps the loss near 16.1.
"""

import keras
import numpy as np
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class MeanSquaredError(keras.losses.Loss):
    """Mean squared error as a Keras loss: only `call` is written here.

    `MeanSquaredError(reduction=..., name=..., dtype=...)` takes the base class's arguments, and
    `loss(y_true, y_pred, sample_weight=None)` weights and reduces what `call` returns. It agrees
    with `keras.losses.MeanSquaredError` under every reduction and with any sample weights.
    Registered as "tfkata>MeanSquaredError", so a model compiled with it saves to `.keras` and
    loads back without `custom_objects`.
    """

    def call(self, y_true, y_pred):
        """The mean of (y_pred − y_true)² over the last axis: one value per sample.

        For y of shape [B, D] that is a tensor of shape [B] (in general: the input's shape without
        its last axis). When one side is [B] and the other [B, 1] (labels against a one-unit
        output), the [B] side is treated as [B, 1] instead of broadcasting to [B, B].
        """
        raise NotImplementedError("MeanSquaredError.call: your code here (`kata hint custom_loss`)")


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    """Per-sample cross-entropy −log p(y_true), written without `keras.losses`.

    `y_true`: integer class ids of shape [B] (a [B, 1] column is accepted too). `y_pred`: [B, C],
    probabilities that sum to 1 along the last axis, or raw scores (logits) when
    `from_logits=True`. Returns a tensor of shape [B] in y_pred's float dtype, equal to
    `keras.losses.sparse_categorical_crossentropy`:

    - from logits, log p is the log-softmax computed with the log-sum-exp trick, so the loss is
      finite for any finite logits (0 for logits [1e4, −1e4] and label 0, 2e4 for label 1);
    - from probabilities, p is clipped to [ε, 1 − ε] (ε = `keras.config.epsilon()`) before the log,
      so a confident wrong prediction costs −log ε ≈ 16.1, not inf.

    The loss is never negative. A label outside [0, C) or shapes that do not fit are a ValueError
    naming the argument. The label check reads the ids' values, which only eager execution has: as
    a model's loss, compile with `run_eagerly=True`.
    """
    raise NotImplementedError(
        "sparse_categorical_crossentropy: your code here (`kata hint custom_loss`)"
    )
