"""Kata: the classic MNIST convolutional network.

The network of TensorFlow's "Deep MNIST" tutorial, in Keras 3:

    input [B, 28, 28, 1]
    Conv2D(32, 5×5, padding="same", ReLU)  -> [B, 28, 28, 32]   5·5·1·32 + 32     =       832
    MaxPooling2D(2)                        -> [B, 14, 14, 32]
    Conv2D(64, 5×5, padding="same", ReLU)  -> [B, 14, 14, 64]   5·5·32·64 + 64    =    51,264
    MaxPooling2D(2)                        -> [B, 7, 7, 64]
    Flatten                                -> [B, 3136]         (7·7·64)
    Dense(1024, ReLU)                      -> [B, 1024]         3136·1024 + 1024  = 3,212,288
    Dense(10) and softmax                  -> [B, 10]           1024·10 + 10      =    10,250
                                                                         total      3,274,634

Things worth noticing:
- padding="same" keeps the height and width through each convolution; each 2×2 max-pool (stride
  2, the default) halves them. The convolutions' parameter counts do not depend on the image
  size at all; the first Dense layer's does, through the flattened size.
- Almost all the parameters sit in the first Dense layer. Convolutions share one small kernel
  over every position, which is why they are cheap.
- With input sides that are not multiples of 4 the network still works: Keras's pooling (padding
  "valid") rounds down, so 30 → 15 → 7 and 15 → 7 → 3.
- The last layer's softmax turns the 10 scores into probabilities; train with
  "sparse_categorical_crossentropy" on integer labels.

Build it with the Sequential API, starting from `keras.Input(shape=input_shape)` so that the model
is built (and `model.summary()` works) straight away.
"""

import keras


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def build_cnn(input_shape=(28, 28, 1), num_classes=10, dense_units=1024):
    """The classic CNN for images of shape `input_shape` = (height, width, channels):

    conv(32, 5×5, same, ReLU) → max-pool 2 → conv(64, 5×5, same, ReLU) → max-pool 2 → flatten →
    Dense(dense_units, ReLU) → Dense(num_classes) → softmax, and no other layer (no Dropout, no
    normalization). Output [B, num_classes].

    Height and width must be at least 4 (two poolings by 2 must leave something); they need not
    be multiples of 4. A bad `input_shape`, `num_classes` or `dense_units` is a ValueError
    naming it. With the defaults the model holds 3,274,634 parameters.
    """
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    height, width, channels = (_positive_int(side, "input_shape") for side in input_shape)
    if height < 4 or width < 4:
        raise ValueError(
            f"input_shape must be at least 4 × 4 (two 2×2 poolings), got {input_shape}"
        )
    num_classes = _positive_int(num_classes, "num_classes")
    dense_units = _positive_int(dense_units, "dense_units")
    return keras.Sequential(
        [
            keras.Input(shape=(height, width, channels)),
            keras.layers.Conv2D(32, 5, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 5, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(dense_units, activation="relu"),
            keras.layers.Dense(num_classes),
            keras.layers.Softmax(),
        ],
        name="mnist_cnn",
    )
