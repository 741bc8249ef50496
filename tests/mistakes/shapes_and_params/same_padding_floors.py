"""Computes "same" padding as input_length // stride (floor) instead of the ceiling: a 7-long
input with stride 2 gives 3 instead of 4.

Rejected by: test_conv_output_length_matches_keras_conv2d
"""


def conv_output_length(input_length, kernel_size, stride=1, padding="valid"):
    input_length = _positive_int(input_length, "input_length")
    kernel_size = _positive_int(kernel_size, "kernel_size")
    stride = _positive_int(stride, "stride")
    padding = _padding(padding)
    if padding == "same":
        return input_length // stride
    if kernel_size > input_length:
        raise ValueError(f"kernel_size {kernel_size} is larger than input_length {input_length}")
    return (input_length - kernel_size) // stride + 1


def pool_output_length(input_length, pool_size, stride=None, padding="valid"):
    input_length = _positive_int(input_length, "input_length")
    pool_size = _positive_int(pool_size, "pool_size")
    stride = pool_size if stride is None else _positive_int(stride, "stride")
    padding = _padding(padding)
    if padding == "same":
        return input_length // stride
    if pool_size > input_length:
        raise ValueError(f"pool_size {pool_size} is larger than input_length {input_length}")
    return (input_length - pool_size) // stride + 1
