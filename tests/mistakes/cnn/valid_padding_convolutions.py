"""Leaves the convolutions at Keras's default padding="valid": each 5×5 conv trims 4 pixels, so
28 → 24 → 12 → 8 → 4 and the flattened size is 1024 instead of 3136.

Rejected by: test_intermediate_shapes_of_the_classic_cnn, test_default_model_holds_3_274_634_parameters
"""

import keras


def build_cnn(input_shape=(28, 28, 1), num_classes=10, dense_units=1024):
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    height, width, channels = (_positive_int(side, "input_shape") for side in input_shape)
    num_classes = _positive_int(num_classes, "num_classes")
    dense_units = _positive_int(dense_units, "dense_units")
    return keras.Sequential(
        [
            keras.Input(shape=(height, width, channels)),
            keras.layers.Conv2D(32, 5, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 5, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(dense_units, activation="relu"),
            keras.layers.Dense(num_classes),
            keras.layers.Softmax(),
        ]
    )
