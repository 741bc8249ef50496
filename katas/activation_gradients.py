# Kata activation_gradients: fill in every function below, then run `kata check activation_gradients`.
# Stuck? `kata hint activation_gradients` gives hints, from a nudge to nearly the answer.

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


def sigmoid_grad(x):
    """The derivative of the sigmoid at `x`, elementwise, read off a `tf.GradientTape`.

    It equals σ(x)·(1 − σ(x)): 0.25 at x = 0, tending to 0 for large |x|. Any shape; the result has
    x's shape and float dtype. Example: sigmoid_grad([0.0]) -> [0.25].
    """
    raise NotImplementedError("sigmoid_grad: your code here (`kata hint activation_gradients`)")


def tanh_grad(x):
    """The derivative of tanh at `x`, elementwise, read off a `tf.GradientTape`.

    It equals 1 − tanh²(x): 1 at x = 0. Any shape; the result has x's shape and float dtype.
    Example: tanh_grad(0.0) -> 1.0.
    """
    raise NotImplementedError("tanh_grad: your code here (`kata hint activation_gradients`)")


def relu_grad(x):
    """The derivative of relu(x) = max(x, 0) at `x`, elementwise, read off a `tf.GradientTape`.

    1 where x > 0 and 0 where x < 0. relu has no derivative at 0; TensorFlow (and this function)
    uses 0 there. Any shape; x's shape and float dtype. Example: relu_grad([-1.0, 0.0, 2.0]) ->
    [0.0, 0.0, 1.0].
    """
    raise NotImplementedError("relu_grad: your code here (`kata hint activation_gradients`)")


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
    raise NotImplementedError(
        "softmax_cross_entropy_grad: your code here (`kata hint activation_gradients`)"
    )


def mse_grad(y_pred, y_true):
    """Gradient with respect to `y_pred` of mean((y_pred − y_true)²), the mean over all elements.

    It equals 2·(y_pred − y_true) / N, N being the number of elements. The shapes must be equal
    (no broadcasting: [n, 1] against [n] would silently compare every pair), else a ValueError
    naming y_pred and y_true. The result has y_pred's shape and float dtype; y_true is cast to it.
    Example: mse_grad([1.0, 2.0], [0.0, 0.0]) -> [1.0, 2.0].
    """
    raise NotImplementedError("mse_grad: your code here (`kata hint activation_gradients`)")
