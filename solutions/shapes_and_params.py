"""Kata: output shapes and parameter counts, by hand.

Before building a network it pays to know how big each layer's output is and how many numbers
it learns. Four small formulas cover the classic layers; Keras applies exactly these when it
builds a model (compare with `model.summary()` and `layer.count_params()`).

Parameters
- Dense(units) on inputs of size d: a kernel d × units and a bias of units:
  d·units + units. Example: 784 → 300 holds 784·300 + 300 = 235,500.
- Conv2D(filters, (kh, kw)) on inputs with c channels: one kh × kw × c kernel per filter plus one
  bias per filter: kh·kw·c·filters + filters. The height and width of the image do not matter:
  the same small kernel slides over every position (weight sharing).
- Without a bias (`use_bias=False`), drop the "+ units" / "+ filters".

Output length along one spatial axis, for an input of length n, a window (kernel or pool) of k
and a stride s:
- padding="valid" (no padding: the window must fit inside the input): floor((n − k) / s) + 1.
  Example: 7 with a 3-wide kernel gives 5; with stride 2 it gives 3. When k > n nothing fits,
  and Keras refuses to build the layer.
- padding="same" (pad with zeros so that, at stride 1, the output is as long as the input):
  ceil(n / s), whatever k is.
Pooling uses the same two formulas; its stride defaults to the pool size, so a 2 × 2 pool halves
each side: 16 × 16 × 3 → 8 × 8 × 3 (pooling never changes the number of channels).

Every size must be a positive int; anything else, and any padding other than "valid" or "same",
is a ValueError naming the argument.
"""

import numbers


def _positive_int(value, name):
    """`value` as an int, or a ValueError naming `name` when it is not a positive int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _padding(padding):
    """ "valid" or "same" (any letter case, as Keras accepts); anything else is a ValueError."""
    if isinstance(padding, str) and padding.lower() in ("valid", "same"):
        return padding.lower()
    raise ValueError(f'padding must be "valid" or "same", got {padding!r}')


def dense_param_count(input_dim, units, use_bias=True):
    """The number of parameters of a Dense(units) layer on inputs of size `input_dim`:
    input_dim·units weights plus, with `use_bias`, units biases.

    Example: dense_param_count(784, 300) -> 235500.
    """
    input_dim = _positive_int(input_dim, "input_dim")
    units = _positive_int(units, "units")
    return input_dim * units + (units if use_bias else 0)


def conv2d_param_count(in_channels, filters, kernel_size, use_bias=True):
    """The number of parameters of a Conv2D(filters, kernel_size) layer on inputs with
    `in_channels` channels: kh·kw·in_channels·filters weights plus, with `use_bias`, one bias per
    filter.

    `kernel_size` is an int (a square kernel) or a pair (kh, kw). The image's height and width
    do not enter: the kernel is shared across positions.
    Example: conv2d_param_count(1, 32, 5) -> 5·5·1·32 + 32 = 832.
    """
    in_channels = _positive_int(in_channels, "in_channels")
    filters = _positive_int(filters, "filters")
    if isinstance(kernel_size, (tuple, list)):
        if len(kernel_size) != 2:
            raise ValueError(f"kernel_size must be an int or a pair, got {kernel_size!r}")
        kh = _positive_int(kernel_size[0], "kernel_size")
        kw = _positive_int(kernel_size[1], "kernel_size")
    else:
        kh = kw = _positive_int(kernel_size, "kernel_size")
    return kh * kw * in_channels * filters + (filters if use_bias else 0)


def conv_output_length(input_length, kernel_size, stride=1, padding="valid"):
    """The output length, along one spatial axis, of a convolution with a window of
    `kernel_size` moving by `stride`.

    padding="valid": floor((input_length − kernel_size) / stride) + 1, and a ValueError naming
    kernel_size when the kernel is longer than the input (Keras refuses to build that layer).
    padding="same": ceil(input_length / stride).
    Examples: conv_output_length(7, 3) -> 5; conv_output_length(7, 3, stride=2) -> 3.
    """
    input_length = _positive_int(input_length, "input_length")
    kernel_size = _positive_int(kernel_size, "kernel_size")
    stride = _positive_int(stride, "stride")
    padding = _padding(padding)
    if padding == "same":
        return -(-input_length // stride)  # ceil division with integers only
    if kernel_size > input_length:
        raise ValueError(
            f"kernel_size {kernel_size} is larger than input_length {input_length} with "
            'padding="valid": the output would be empty'
        )
    return (input_length - kernel_size) // stride + 1


def pool_output_length(input_length, pool_size, stride=None, padding="valid"):
    """The output length, along one spatial axis, of a pooling window of `pool_size` moving by
    `stride` (default: `pool_size`, as in Keras, so windows do not overlap).

    The same formulas as for a convolution. A pool longer than the input with padding="valid" is
    a ValueError naming pool_size.
    Example: pool_output_length(16, 2) -> 8.
    """
    input_length = _positive_int(input_length, "input_length")
    pool_size = _positive_int(pool_size, "pool_size")
    stride = pool_size if stride is None else _positive_int(stride, "stride")
    padding = _padding(padding)
    if padding == "same":
        return -(-input_length // stride)
    if pool_size > input_length:
        raise ValueError(
            f"pool_size {pool_size} is larger than input_length {input_length} with "
            'padding="valid": the output would be empty'
        )
    return (input_length - pool_size) // stride + 1
