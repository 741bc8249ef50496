"""Returns the formula 2·x instead of differentiating with a GradientTape: the right numbers,
but not the exercise (the docstring says "computed with tf.GradientTape, not with the formula").

Rejected by: test_square_grad_uses_a_gradient_tape
"""


def square_grad(x):
    x = _as_float(x, "x")
    return 2 * x
