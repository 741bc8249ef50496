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


def _as_float(value, name):
    """Tensor-like -> float tensor (float inputs keep their dtype; ints and bools -> float32)."""
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name} must be a number, list, array or tensor, not {type(value).__name__}"
        )
    try:
        tensor = tf.convert_to_tensor(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be tensor-like (numbers only): {exc}") from None
    if tensor.dtype.is_floating:
        return tensor
    if tensor.dtype.is_integer or tensor.dtype == tf.bool:
        return tf.cast(tensor, tf.float32)
    raise TypeError(f"{name} must hold real numbers, not {tensor.dtype.name}")


def _same_rank(y_true, y_pred):
    """Give y_true and y_pred the same rank when they differ only by a trailing axis of size 1.

    Labels often arrive as [B] while a one-unit output layer gives [B, 1]; subtracting those
    broadcasts to [B, B], a silent wrong answer. Keras expands the rank-1 side to [B, 1]."""
    if y_true.shape.rank == 1 and y_pred.shape.rank == 2 and y_pred.shape[-1] == 1:
        return tf.expand_dims(y_true, -1), y_pred
    if y_pred.shape.rank == 1 and y_true.shape.rank == 2 and y_true.shape[-1] == 1:
        return y_true, tf.expand_dims(y_pred, -1)
    return y_true, y_pred


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
        y_pred = tf.convert_to_tensor(y_pred)
        y_true = tf.cast(y_true, y_pred.dtype)
        y_true, y_pred = _same_rank(y_true, y_pred)
        return tf.reduce_mean(tf.square(y_pred - y_true), axis=-1)


def _as_labels(y_true, num_classes, batch):
    """Integer class ids of shape [B] (a trailing axis of size 1 is dropped), checked in range.

    The range check reads the ids with `.numpy()`, so it runs eagerly: a Python ValueError, raised
    before any loss is computed. (Inside a `tf.function` a tensor has no values yet, only a shape.)
    """
    if isinstance(y_true, (str, bytes)):
        raise TypeError(f"y_true must hold integer class ids, not {type(y_true).__name__}")
    labels = tf.convert_to_tensor(y_true)
    if not (labels.dtype.is_integer or labels.dtype.is_floating):
        raise TypeError(f"y_true must hold integer class ids, not {labels.dtype.name}")
    if labels.shape.rank == 2 and labels.shape[-1] == 1:
        labels = tf.squeeze(labels, -1)
    if labels.shape.rank != 1:
        raise ValueError(f"y_true must have shape [B] (or [B, 1]), got {labels.shape.as_list()}")
    if labels.shape[0] != batch:
        raise ValueError(f"y_true has {labels.shape[0]} labels but y_pred has {batch} rows")
    labels = tf.cast(labels, tf.int64)
    values = labels.numpy()  # the ids' values: only an eager tensor has them
    if values.size and (values.min() < 0 or values.max() >= num_classes):
        bad = values[(values < 0) | (values >= num_classes)][0]
        raise ValueError(f"y_true holds class id {bad}, outside [0, {num_classes})")
    return labels


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
    y_pred = _as_float(y_pred, "y_pred")
    if y_pred.shape.rank != 2:
        raise ValueError(f"y_pred must have shape [B, C], got {y_pred.shape.as_list()}")
    batch, num_classes = y_pred.shape
    if num_classes < 1:
        raise ValueError(
            f"y_pred must have at least one class column, got {y_pred.shape.as_list()}"
        )
    labels = _as_labels(y_true, num_classes, batch)
    if from_logits:
        shifted = y_pred - tf.reduce_max(y_pred, axis=-1, keepdims=True)
        log_probs = shifted - tf.math.log(tf.reduce_sum(tf.exp(shifted), axis=-1, keepdims=True))
    else:
        epsilon = np.asarray(keras.config.epsilon(), y_pred.dtype.as_numpy_dtype)
        log_probs = tf.math.log(tf.clip_by_value(y_pred, epsilon, 1 - epsilon))
    return -tf.gather(log_probs, labels, batch_dims=1)
