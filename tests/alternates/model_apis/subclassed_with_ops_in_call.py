"""The subclassed model holds only its Dense layers and does the rest with keras.ops in call
(reshape, relu, softmax); the Sequential builder passes a list and activation names."""

import keras


def build_sequential_mlp(input_shape, hidden_units, num_classes):
    input_shape = _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    layers = [keras.Input(shape=input_shape), keras.layers.Flatten()]
    layers += [keras.layers.Dense(u, activation="relu") for u in hidden_units]
    layers += [keras.layers.Dense(num_classes), keras.layers.Activation("softmax")]
    return keras.Sequential(layers)


class SubclassedMLP(keras.Model):
    def __init__(self, hidden_units, num_classes, **kwargs):
        hidden_units = _check_hidden_units(hidden_units)
        num_classes = _positive_int(num_classes, "num_classes")
        super().__init__(**kwargs)
        self.denses = [keras.layers.Dense(u) for u in hidden_units]
        self.out = keras.layers.Dense(num_classes)

    def call(self, inputs):
        x = keras.ops.reshape(inputs, (keras.ops.shape(inputs)[0], -1))
        for dense in self.denses:
            x = keras.ops.relu(dense(x))
        return keras.ops.softmax(self.out(x), axis=-1)
