"""The Sequential model ends with Dense(num_classes) and no softmax: it returns raw scores
(logits), not probabilities.

Rejected by: test_each_api_outputs_probabilities_from_flatten_relu_dense_softmax, test_each_api_holds_exactly_the_layers_the_docstring_lists
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
    return model
