"""Forgets activation="relu" on the hidden Dense layers: the stack collapses into one linear map
followed by a softmax.

Rejected by: test_each_api_outputs_probabilities_from_flatten_relu_dense_softmax, test_each_api_holds_exactly_the_layers_the_docstring_lists
"""

import keras


def build_sequential_mlp(input_shape, hidden_units, num_classes):
    input_shape = _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    layers = [keras.Input(shape=input_shape), keras.layers.Flatten()]
    layers += [keras.layers.Dense(units) for units in hidden_units]
    layers += [keras.layers.Dense(num_classes), keras.layers.Softmax()]
    return keras.Sequential(layers)


def build_functional_mlp(input_shape, hidden_units, num_classes):
    input_shape = _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Flatten()(inputs)
    for units in hidden_units:
        x = keras.layers.Dense(units)(x)
    outputs = keras.layers.Softmax()(keras.layers.Dense(num_classes)(x))
    return keras.Model(inputs, outputs)


class SubclassedMLP(keras.Model):
    def __init__(self, hidden_units, num_classes, **kwargs):
        hidden_units = _check_hidden_units(hidden_units)
        num_classes = _positive_int(num_classes, "num_classes")
        super().__init__(**kwargs)
        self.flatten = keras.layers.Flatten()
        self.hidden = [keras.layers.Dense(units) for units in hidden_units]
        self.classifier = keras.layers.Dense(num_classes)

    def call(self, inputs):
        x = self.flatten(inputs)
        for layer in self.hidden:
            x = layer(x)
        return keras.activations.softmax(self.classifier(x))
