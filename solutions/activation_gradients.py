"""Kata: gradients of activations and losses, read off a tape.

Every activation function and every loss in a network is differentiated the same way: run it
inside `with tf.GradientTape() as tape:` (watching the input with `tape.watch`) and ask
`tape.gradient(output, input)`. Knowing the closed forms lets you check what the tape says:

- sigmoid σ(x) = 1 / (1 + e⁻ˣ):      σ'(x) = σ(x) · (1 − σ(x))      (at most 0.25, at x = 0)
- tanh:                              tanh'(x) = 1 − tanh²(x)         (at most 1, at x = 0)
- relu(x) = max(x, 0):               relu'(x) = 1 for x > 0, else 0 (TensorFlow picks 0 at x = 0)
- mean sparse categorical cross-entropy from logits, over a batch of B rows:
                                     d/dlogits = (softmax(logits) − onehot(labels)) / B
- mean squared error over N elements: d/dy_pred = 2 · (y_pred − y_true) / N

Two details matter in practice. When the target of `tape.gradient` is not a scalar, the tape
differentiates the *sum* of its elements: for an elementwise function that sum's gradient is
exactly the elementwise derivative. And a cross-entropy must be computed *from logits*
(`tf.nn.sparse_softmax_cross_entropy_with_logits`, or a Keras loss with `from_logits=True`):
taking `log(softmax(z))` yourself underflows to log(0) for very confident logits, and the
gradient becomes NaN.

Inputs are tensor-like (Python numbers, nested lists, NumPy arrays, tf.Tensors); float16/32/64
inputs keep their dtype, anything else numeric becomes float32.
"""

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


def _elementwise_grad(fn, x):
    """d fn(x) / dx, elementwise: the tape differentiates the sum of fn's outputs."""
    x = _as_float(x, "x")
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return tape.gradient(y, x)


def sigmoid_grad(x):
    """The derivative of the sigmoid at `x`, elementwise, read off a `tf.GradientTape`.

    It equals σ(x)·(1 − σ(x)): 0.25 at x = 0, tending to 0 for large |x|. Any shape; the result has
    x's shape and float dtype. Example: sigmoid_grad([0.0]) -> [0.25].
    """
    return _elementwise_grad(tf.sigmoid, x)


def tanh_grad(x):
    """The derivative of tanh at `x`, elementwise, read off a `tf.GradientTape`.

    It equals 1 − tanh²(x): 1 at x = 0. Any shape; the result has x's shape and float dtype.
    Example: tanh_grad(0.0) -> 1.0.
    """
    return _elementwise_grad(tf.tanh, x)


def relu_grad(x):
    """The derivative of relu(x) = max(x, 0) at `x`, elementwise, read off a `tf.GradientTape`.

    1 where x > 0 and 0 where x < 0. relu has no derivative at 0; TensorFlow (and this function)
    uses 0 there. Any shape; x's shape and float dtype. Example: relu_grad([-1.0, 0.0, 2.0]) ->
    [0.0, 0.0, 1.0].
    """
    return _elementwise_grad(tf.nn.relu, x)


def softmax_cross_entropy_grad(logits, labels):
    """Gradient with respect to `logits` of the batch mean of the sparse categorical cross-entropy.

    `logits` [B, C] are unnormalized scores (float); `labels` [B] are integer class ids in [0, C).
    The loss is mean_b(−log softmax(logits_b)[labels_b]), computed from the logits (stable for
    any finite logit); its gradient is (softmax(logits) − onehot(labels)) / B, with logits' shape
    and float dtype. Labels may come as whole floats (1.0), as Keras accepts them. A label outside
    [0, C) or not a whole number (0.5, which a cast would silently truncate), or labels of the
    wrong shape, is a ValueError naming `labels`; logits that are not [B, C] are a ValueError
    naming `logits`.
    Example: logits [[0, 0]], labels [0] -> [[-0.5, 0.5]].
    """
    logits = _as_float(logits, "logits")
    if logits.shape.rank != 2:
        raise ValueError(f"logits must have shape [B, C], got {logits.shape.as_list()}")
    batch, classes = logits.shape
    labels = _as_labels(labels, batch, classes)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        loss = tf.reduce_mean(per_example)
    return tape.gradient(loss, logits)


def _as_labels(labels, batch, classes):
    """Integer class ids [B] in [0, C), checked eagerly (TensorFlow would fail late, or not at all)."""
    if isinstance(labels, (str, bytes)):
        raise TypeError(f"labels must be integer class ids, not {type(labels).__name__}")
    values = np.asarray(labels.numpy() if hasattr(labels, "numpy") else labels)
    if values.dtype.kind not in "iuf" or (
        values.dtype.kind == "f" and values.size and not np.all(np.mod(values, 1) == 0)
    ):
        raise ValueError(f"labels must be integer class ids, got dtype {values.dtype}")
    if values.shape != (batch,):
        raise ValueError(
            f"labels must have shape [{batch}] to match logits, got {list(values.shape)}"
        )
    if values.size and (values.min() < 0 or values.max() >= classes):
        raise ValueError(f"labels must lie in [0, {classes}); got {values.tolist()[:8]}")
    return tf.constant(values.astype(np.int64))


def mse_grad(y_pred, y_true):
    """Gradient with respect to `y_pred` of mean((y_pred − y_true)²), the mean over all elements.

    It equals 2·(y_pred − y_true) / N, N being the number of elements. The shapes must be equal
    (no broadcasting: [n, 1] against [n] would silently compare every pair), else a ValueError
    naming y_pred and y_true. The result has y_pred's shape and float dtype; y_true is cast to it.
    Example: mse_grad([1.0, 2.0], [0.0, 0.0]) -> [1.0, 2.0].
    """
    y_pred = _as_float(y_pred, "y_pred")
    y_true = tf.cast(_as_float(y_true, "y_true"), y_pred.dtype)
    if y_pred.shape != y_true.shape:
        raise ValueError(
            f"y_pred and y_true must have the same shape, got y_pred {y_pred.shape.as_list()} "
            f"and y_true {y_true.shape.as_list()}"
        )
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        loss = tf.reduce_mean(tf.square(y_pred - y_true))
    return tape.gradient(loss, y_pred)
