"""The subclassed model wraps an inner keras.Sequential; the output Dense carries
activation="softmax"; the builders use list comprehensions and keras.layers.Activation."""

import keras


def build_sequential_mlp(input_shape, hidden_units, num_classes):
    input_shape = _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    return keras.Sequential(
        [keras.Input(shape=input_shape), keras.layers.Flatten()]
        + [keras.layers.Dense(u, activation="relu") for u in hidden_units]
        + [keras.layers.Dense(num_classes, activation="softmax")]
    )


def build_functional_mlp(input_shape, hidden_units, num_classes):
    input_shape = _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Reshape((-1,))(inputs)
    for units in hidden_units:
        x = keras.layers.Activation("relu")(keras.layers.Dense(units)(x))
    outputs = keras.layers.Activation("softmax")(keras.layers.Dense(num_classes)(x))
    return keras.Model(inputs=inputs, outputs=outputs)


class SubclassedMLP(keras.Model):
    def __init__(self, hidden_units, num_classes, **kwargs):
        hidden_units = _check_hidden_units(hidden_units)
        num_classes = _positive_int(num_classes, "num_classes")
        super().__init__(**kwargs)
        self.body = keras.Sequential(
            [keras.layers.Flatten()]
            + [keras.layers.Dense(u, activation="relu") for u in hidden_units]
            + [keras.layers.Dense(num_classes, activation="softmax")]
        )

    def call(self, inputs):
        return self.body(inputs)
