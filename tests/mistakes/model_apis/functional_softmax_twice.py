"""Gives the output Dense activation="softmax" and then adds a Softmax layer as well: the
probabilities are squashed a second time towards uniform.

Rejected by: test_each_api_outputs_probabilities_from_flatten_relu_dense_softmax, test_each_api_holds_exactly_the_layers_the_docstring_lists
"""

import keras


def build_functional_mlp(input_shape, hidden_units, num_classes):
    input_shape = _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Flatten()(inputs)
    for units in hidden_units:
        x = keras.layers.Dense(units, activation="relu")(x)
    x = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, keras.layers.Softmax()(x))
