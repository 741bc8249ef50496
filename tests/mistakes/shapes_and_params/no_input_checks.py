"""Trusts its inputs: no check of the sizes or of padding, so 0, negative sizes and unknown
paddings return numbers instead of a ValueError.

Rejected by: test_non_positive_sizes_are_rejected, test_unknown_padding_is_rejected
"""


def dense_param_count(input_dim, units, use_bias=True):
    return input_dim * units + (units if use_bias else 0)


def conv2d_param_count(in_channels, filters, kernel_size, use_bias=True):
    kh, kw = kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size, kernel_size)
    return kh * kw * in_channels * filters + (filters if use_bias else 0)


def conv_output_length(input_length, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return -(-input_length // stride)
    return (input_length - kernel_size) // stride + 1


def pool_output_length(input_length, pool_size, stride=None, padding="valid"):
    stride = pool_size if stride is None else stride
    if padding == "same":
        return -(-input_length // stride)
    return (input_length - pool_size) // stride + 1
