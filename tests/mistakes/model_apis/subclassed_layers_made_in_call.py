"""Creates the subclassed model's Dense layers inside call: every call makes fresh layers with
new random weights, so the model forgets what it learned (and what it was given).

Rejected by: test_the_three_apis_agree_on_parameters_and_outputs, test_each_api_outputs_probabilities_from_flatten_relu_dense_softmax
"""

import keras


class SubclassedMLP(keras.Model):
    def __init__(self, hidden_units, num_classes, **kwargs):
        hidden_units = _check_hidden_units(hidden_units)
        num_classes = _positive_int(num_classes, "num_classes")
        super().__init__(**kwargs)
        self.hidden_units = hidden_units
        self.num_classes = num_classes

    def call(self, inputs):
        x = keras.layers.Flatten()(inputs)
        for units in self.hidden_units:
            x = keras.layers.Dense(units, activation="relu")(x)
        return keras.layers.Dense(self.num_classes, activation="softmax")(x)
