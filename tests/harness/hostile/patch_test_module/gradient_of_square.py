# expect: error
# without-policy: error
# Replaces the assertion helpers inside the loaded test module (and in kata_testing) with
# no-ops, and answers wrongly.
import sys


def _nothing(*args, **kwargs):
    return None


for _name, _module in list(sys.modules.items()):
    if _name.startswith(("test_gradient_of_square", "kata_testing")):
        for _attr in ("assert_close", "assert_tensor", "assert_raises_naming"):
            if hasattr(_module, _attr):
                setattr(_module, _attr, _nothing)


def square_grad(x):
    return 3 * x


def second_derivative(f, x):
    return x


def linear_loss_grads(X, y, w, b):
    return 0.0, w, b
