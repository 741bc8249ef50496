"""Starts the Sequential stack at Flatten(input_shape=...) style without keras.Input (Keras 3
ignores that argument): the model is not built, so it has no weights and count_params() fails
until it sees data.

Rejected by: test_the_three_apis_agree_on_parameters_and_outputs, test_worked_example_mnist_mlp_784_300_100_10
"""

import keras


def build_sequential_mlp(input_shape, hidden_units, num_classes):
    _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    model = keras.Sequential([keras.layers.Flatten()])
    for units in hidden_units:
        model.add(keras.layers.Dense(units, activation="relu"))
    model.add(keras.layers.Dense(num_classes, activation="softmax"))
    return model
