"""Checks the window only for convolutions: a pool longer than the input with "valid" padding
gives 0 (or less) instead of the ValueError Keras's refusal calls for.

Rejected by: test_window_longer_than_a_valid_input_is_rejected, test_pool_output_length_matches_keras_max_pooling
"""


def pool_output_length(input_length, pool_size, stride=None, padding="valid"):
    input_length = _positive_int(input_length, "input_length")
    pool_size = _positive_int(pool_size, "pool_size")
    stride = pool_size if stride is None else _positive_int(stride, "stride")
    padding = _padding(padding)
    if padding == "same":
        return -(-input_length // stride)
    return (input_length - pool_size) // stride + 1
