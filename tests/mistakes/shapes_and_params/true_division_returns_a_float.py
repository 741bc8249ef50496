"""Writes the "valid" formula with true division, (n − k) / s + 1, and rounds down only when it
is not whole: the length comes back as a float (5.0), not an int.

Rejected by: test_conv_output_length_matches_keras_conv2d, test_worked_example_conv_7x7_with_a_3x3_kernel
"""

import math


def conv_output_length(input_length, kernel_size, stride=1, padding="valid"):
    input_length = _positive_int(input_length, "input_length")
    kernel_size = _positive_int(kernel_size, "kernel_size")
    stride = _positive_int(stride, "stride")
    padding = _padding(padding)
    if padding == "same":
        return math.ceil(input_length / stride)
    if kernel_size > input_length:
        raise ValueError(f"kernel_size {kernel_size} is larger than input_length {input_length}")
    length = (input_length - kernel_size) / stride + 1
    return length if length == int(length) else float(math.floor(length))
