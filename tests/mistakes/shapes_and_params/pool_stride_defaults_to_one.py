"""Treats a missing pool stride as 1 (the convolution default) instead of the pool size, so a
2×2 pool over 16 gives 15 instead of 8.

Rejected by: test_pool_output_length_matches_keras_max_pooling, test_worked_example_pool_16x16x3
"""


def pool_output_length(input_length, pool_size, stride=None, padding="valid"):
    input_length = _positive_int(input_length, "input_length")
    pool_size = _positive_int(pool_size, "pool_size")
    stride = 1 if stride is None else _positive_int(stride, "stride")
    padding = _padding(padding)
    if padding == "same":
        return -(-input_length // stride)
    if pool_size > input_length:
        raise ValueError(f"pool_size {pool_size} is larger than input_length {input_length}")
    return (input_length - pool_size) // stride + 1
