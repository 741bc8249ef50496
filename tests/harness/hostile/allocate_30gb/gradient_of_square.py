# expect: error
# Allocates 30 GB (never touched, so only the address-space cap stops it) in a kata function.
_reference_square_grad = square_grad


def square_grad(x):
    buffer = bytearray(30 * 1024**3)
    return _reference_square_grad(x) + 0 * len(buffer)
