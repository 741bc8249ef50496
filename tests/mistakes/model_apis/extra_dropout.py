"""Adds a Dropout(0.5) after each hidden layer, as in many MNIST tutorials: it holds no weights
and is off in inference, but it is a layer the docstring does not list, and training calls drop
half the units.

Rejected by: test_each_api_holds_exactly_the_layers_the_docstring_lists, test_each_api_computes_the_same_in_training_and_inference
"""

import keras


def build_sequential_mlp(input_shape, hidden_units, num_classes):
    input_shape = _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    model = keras.Sequential([keras.Input(shape=input_shape), keras.layers.Flatten()])
    for units in hidden_units:
        model.add(keras.layers.Dense(units, activation="relu"))
        model.add(keras.layers.Dropout(0.5))
    model.add(keras.layers.Dense(num_classes, activation="softmax"))
    return model
