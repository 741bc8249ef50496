"""Counts one kh × kw kernel per filter, forgetting that each kernel spans every input channel:
kh·kw·filters + filters.

Rejected by: test_conv2d_param_count_matches_keras, test_worked_example_mnist_cnn_convolutions
"""


def conv2d_param_count(in_channels, filters, kernel_size, use_bias=True):
    in_channels = _positive_int(in_channels, "in_channels")
    filters = _positive_int(filters, "filters")
    if isinstance(kernel_size, (tuple, list)):
        if len(kernel_size) != 2:
            raise ValueError(f"kernel_size must be an int or a pair, got {kernel_size!r}")
        kh = _positive_int(kernel_size[0], "kernel_size")
        kw = _positive_int(kernel_size[1], "kernel_size")
    else:
        kh = kw = _positive_int(kernel_size, "kernel_size")
    return kh * kw * filters + (filters if use_bias else 0)
