# Kata linear_regression: fill in every function below, then run `kata check linear_regression`.
# Stuck? `kata hint linear_regression` gives hints, from a nudge to nearly the answer.

"""Kata: linear regression by gradient descent, by hand in NumPy and then with TensorFlow.

We fit a line ŷ = a·x + b to points (xᵢ, yᵢ) by minimizing the squared error

    L(a, b) = ½ · Σᵢ (a·xᵢ + b − yᵢ)²

Write rᵢ = a·xᵢ + b − yᵢ for the residuals. The gradients are

    ∂L/∂a = Σᵢ rᵢ·xᵢ        ∂L/∂b = Σᵢ rᵢ

and one step of gradient descent with learning rate η moves *both* parameters at once, using
gradients computed at the *old* (a, b):

    a ← a − η·∂L/∂a        b ← b − η·∂L/∂b

`fit_numpy` writes those gradients by hand. `fit_tf` lets TensorFlow find them: the parameters are
`tf.Variable`s (a tape watches trainable variables on its own), the loss is computed under a
`tf.GradientTape`, and `keras.optimizers.SGD(learning_rate=η)` applies exactly the update above.
The two must agree, up to float32 rounding (TensorFlow works in float32, NumPy here in float64).

Because L is a sum (not a mean), its gradient grows with the number of points: keep the learning
rate small, or normalize the inputs first. `min_max_normalize` maps data onto [0, 1].
"""

import keras
import numpy as np
import tensorflow as tf


def min_max_normalize(x):
    """Rescale `x` onto [0, 1]: (x − min) / (max − min), returned as a float32 NumPy array.

    min and max are taken over all of x, so the smallest value maps to 0 and the largest to 1 and
    the result keeps x's shape. A constant x (max = min) gives zeros instead of 0/0 = NaN. An empty
    x has no min: ValueError naming x (so do NaN and infinity). Example: [2, 4, 6] -> [0, 0.5, 1].
    """
    raise NotImplementedError("min_max_normalize: your code here (`kata hint linear_regression`)")


def fit_numpy(x, y, learning_rate=1e-3, epochs=10_000):
    """Fit y ≈ a·x + b by plain gradient descent in NumPy, with the gradients written by hand.

    Minimizes L(a, b) = ½·Σ (a·xᵢ + b − yᵢ)² from a = b = 0: each of the `epochs` steps computes
    the residuals r = a·x + b − y, then ∂L/∂a = Σ r·x and ∂L/∂b = Σ r, then moves a and b together
    by −learning_rate times their gradient. `x` and `y` are vectors [n] of the same length (else a
    ValueError naming y; an empty x is a ValueError naming x) holding finite numbers (NaN or
    infinity is a ValueError naming x or y, whichever holds it). `epochs` is an int ≥ 0 (0 returns
    the start): a negative one is a ValueError naming epochs, where a silent `range(-1)` would
    hide the mistake. Returns `(a, b)` as Python floats.
    """
    raise NotImplementedError("fit_numpy: your code here (`kata hint linear_regression`)")


def fit_tf(x, y, learning_rate=1e-3, epochs=10_000):
    """The same fit as `fit_numpy`, with TensorFlow finding the gradients.

    a and b are float32 `tf.Variable`s starting at 0; each epoch computes the loss
    ½·Σ (a·x + b − y)² under a `tf.GradientTape`, gets d(loss)/d(a, b) from the tape and hands them
    to `keras.optimizers.SGD(learning_rate=learning_rate)`, which subtracts learning_rate times
    each gradient. Same inputs and errors as `fit_numpy` (a negative `epochs` is a ValueError
    naming epochs); returns `(a, b)` as Python floats, equal to fit_numpy's up to float32 rounding.
    """
    raise NotImplementedError("fit_tf: your code here (`kata hint linear_regression`)")
