# expect: error
# Prints 50 MB to stdout from a kata function (otherwise correct).
_reference_square_grad = square_grad


def square_grad(x):
    print("x" * (50 * 1024 * 1024), flush=True)
    return _reference_square_grad(x)
