"""Ends the Sequential stack with an extra keras.layers.ReLU() after the softmax "to keep the
outputs non-negative": numerically harmless, but a layer the docstring does not list.

Rejected by: test_each_api_holds_exactly_the_layers_the_docstring_lists
"""

import keras


def build_sequential_mlp(input_shape, hidden_units, num_classes):
    input_shape = _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    model = keras.Sequential([keras.Input(shape=input_shape), keras.layers.Flatten()])
    for units in hidden_units:
        model.add(keras.layers.Dense(units, activation="relu"))
    model.add(keras.layers.Dense(num_classes))
    model.add(keras.layers.Softmax())
    model.add(keras.layers.ReLU())
    return model
