"""Hands input_shape straight to keras.Input without checking it: (28, 28) builds a model whose
Conv2D fails inside Keras, and (28, 0, 1) an empty image, instead of a ValueError naming
input_shape.

Rejected by: test_rejects_bad_arguments
"""

import keras


def build_cnn(input_shape=(28, 28, 1), num_classes=10, dense_units=1024):
    num_classes = _positive_int(num_classes, "num_classes")
    dense_units = _positive_int(dense_units, "dense_units")
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            keras.layers.Conv2D(32, 5, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 5, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(dense_units, activation="relu"),
            keras.layers.Dense(num_classes, activation="softmax"),
        ]
    )
