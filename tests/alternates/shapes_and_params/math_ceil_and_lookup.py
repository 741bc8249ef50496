"""Written with math.ceil for both paddings ("valid" as ceil((n − k + 1) / s)), operator.index for
the int checks (TypeError for non-integers), and a table of padding rules."""

import math
import operator


def _size(value, name):
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, not bool")
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}") from None
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return value


_RULES = {
    "valid": lambda n, k, s: math.ceil((n - k + 1) / s),
    "same": lambda n, k, s: math.ceil(n / s),
}


def _length(n, k, s, padding, window_name):
    if padding not in _RULES:
        raise ValueError(f"unknown padding {padding!r}: use one of {sorted(_RULES)}")
    out = _RULES[padding](n, k, s)
    if out < 1:
        raise ValueError(f"{window_name}={k} does not fit in an input of {n} without padding")
    return out


def dense_param_count(input_dim, units, use_bias=True):
    return _size(units, "units") * (_size(input_dim, "input_dim") + (1 if use_bias else 0))


def conv2d_param_count(in_channels, filters, kernel_size, use_bias=True):
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    if len(kernel_size) != 2:
        raise ValueError(f"kernel_size needs 2 entries, got {len(kernel_size)}")
    area = math.prod(_size(k, "kernel_size") for k in kernel_size)
    per_filter = area * _size(in_channels, "in_channels") + (1 if use_bias else 0)
    return per_filter * _size(filters, "filters")


def conv_output_length(input_length, kernel_size, stride=1, padding="valid"):
    n, k, s = (
        _size(input_length, "input_length"),
        _size(kernel_size, "kernel_size"),
        _size(stride, "stride"),
    )
    return _length(n, k, s, padding, "kernel_size")


def pool_output_length(input_length, pool_size, stride=None, padding="valid"):
    n, k = _size(input_length, "input_length"), _size(pool_size, "pool_size")
    s = k if stride is None else _size(stride, "stride")
    return _length(n, k, s, padding, "pool_size")
