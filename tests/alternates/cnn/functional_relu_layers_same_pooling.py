"""The functional API, with separate ReLU layers, pooling with padding="same" (odd sides round up:
15 → 8 → 4) and the softmax carried by the last Dense."""

import keras


def build_cnn(input_shape=(28, 28, 1), num_classes=10, dense_units=1024):
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be a 3-tuple, got {input_shape!r}")
    if any(not isinstance(s, int) or s < 1 for s in input_shape):
        raise ValueError(f"input_shape entries must be positive ints: {input_shape!r}")
    if min(input_shape[:2]) < 4:
        raise ValueError(f"input_shape needs sides of at least 4, got {input_shape!r}")
    for name, value in (("num_classes", num_classes), ("dense_units", dense_units)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    inputs = keras.Input(shape=tuple(input_shape))
    x = inputs
    for filters in (32, 64):
        x = keras.layers.Conv2D(filters, (5, 5), padding="same")(x)
        x = keras.layers.ReLU()(x)
        x = keras.layers.MaxPooling2D(pool_size=(2, 2), padding="same")(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.ReLU()(keras.layers.Dense(dense_units)(x))
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)
