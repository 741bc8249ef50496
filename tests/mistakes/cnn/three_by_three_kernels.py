"""Uses 3×3 kernels, the modern default, instead of the classic 5×5: same shapes with "same"
padding, but fewer parameters and a different network.

Rejected by: test_holds_exactly_the_layers_the_docstring_lists, test_default_model_holds_3_274_634_parameters
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
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(dense_units, activation="relu"),
            keras.layers.Dense(num_classes, activation="softmax"),
        ]
    )
