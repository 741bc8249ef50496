"""Kata: gradient descent on Himmelblau's function.

Himmelblau's function is a classic test bed for optimizers:

    f(x, y) = (x² + y − 11)² + (x + y² − 7)²

It is a sum of two squares, so f ≥ 0, and it has four minima where both squares vanish and f = 0:
(3, 2), (−2.805118, 3.131312), (−3.779310, −3.283186) and (3.584428, −1.848126). Which one gradient
descent finds depends on where it starts.

Written with TensorFlow operations, f can be differentiated by a `tf.GradientTape`. Points are the
last axis of a tensor, so one call evaluates a whole batch (or grid) of points: use `p[..., 0]` and
`p[..., 1]`, not `p[0]` and `p[1]`, which would pick the first two *points* of a batch.

Plain gradient descent repeats p ← p − η·∇f(p). The point lives in a `tf.Variable` (updated in
place with `assign_sub`, and watched by the tape automatically); the tape is opened anew at every
step, since a tape records one computation and is spent once asked for its gradient.
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


def himmelblau(p):
    """Himmelblau's function f(x, y) = (x² + y − 11)² + (x + y² − 7)² of points (x, y).

    `p` has shape [..., 2]: its last axis holds (x, y), every other axis indexes points. The result
    has shape [...] (a scalar for a single point [2]) and p's float dtype. A last axis that is not
    of size 2 is a ValueError naming p. Example: himmelblau([0.0, 0.0]) -> 170.0 (121 + 49).
    """
    p = _as_float(p, "p")
    if p.shape.rank == 0 or p.shape[-1] != 2:
        raise ValueError(f"p must have shape [..., 2] (points (x, y)), got {p.shape.as_list()}")
    x, y = p[..., 0], p[..., 1]
    return (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2


def minimize(start, learning_rate=0.01, steps=200):
    """Run `steps` steps of plain gradient descent p ← p − learning_rate·∇f(p) on `himmelblau`.

    `start` is one point [2]; the result is the final point, a tf.Tensor [2] with start's float
    dtype (float32 for lists). From a start near a minimum, the defaults converge to it. A start
    that is not [2] is a ValueError naming start; a negative number of steps one naming steps.
    The descent works on its own copy: the caller's `start` (an array, a variable) is untouched.
    Example: one step from (0, 0), where ∇f = (−14, −22), lands on (0.14, 0.22).
    """
    start = _as_float(start, "start")
    if start.shape != (2,):
        raise ValueError(f"start must be one point of shape [2], got {start.shape.as_list()}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"steps must be an int, not {type(steps).__name__}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    point = tf.Variable(start)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            value = himmelblau(point)
        point.assign_sub(learning_rate * tape.gradient(value, point))
    return tf.convert_to_tensor(point)
