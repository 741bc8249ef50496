"""Off by one on "valid" padding: (input_length − kernel_size) // stride, forgetting the first
window (7 with a 3-wide kernel gives 4 instead of 5).

Rejected by: test_conv_output_length_matches_keras_conv2d, test_worked_example_conv_7x7_with_a_3x3_kernel
"""


def conv_output_length(input_length, kernel_size, stride=1, padding="valid"):
    input_length = _positive_int(input_length, "input_length")
    kernel_size = _positive_int(kernel_size, "kernel_size")
    stride = _positive_int(stride, "stride")
    padding = _padding(padding)
    if padding == "same":
        return -(-input_length // stride)
    if kernel_size > input_length:
        raise ValueError(f"kernel_size {kernel_size} is larger than input_length {input_length}")
    return (input_length - kernel_size) // stride
