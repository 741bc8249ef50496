"""The subclassed model forgets Flatten: on [B, H, W] inputs the Dense layers act on the last axis
only, so the output is [B, H, num_classes] and the first kernel is W × h1.

Rejected by: test_each_api_outputs_probabilities_from_flatten_relu_dense_softmax, test_subclassed_model_works_on_any_example_shape
"""

import keras


class SubclassedMLP(keras.Model):
    def __init__(self, hidden_units, num_classes, **kwargs):
        hidden_units = _check_hidden_units(hidden_units)
        num_classes = _positive_int(num_classes, "num_classes")
        super().__init__(**kwargs)
        self.hidden = [keras.layers.Dense(units, activation="relu") for units in hidden_units]
        self.classifier = keras.layers.Dense(num_classes, activation="softmax")

    def call(self, inputs):
        x = inputs
        for layer in self.hidden:
            x = layer(x)
        return self.classifier(x)
