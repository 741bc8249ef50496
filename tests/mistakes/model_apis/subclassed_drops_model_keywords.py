"""SubclassedMLP takes **kwargs but calls super().__init__() without them: name= (or any other
keras.Model keyword) is silently dropped.

Rejected by: test_subclassed_mlp_passes_keras_model_keywords_on
"""

import keras


class SubclassedMLP(keras.Model):
    def __init__(self, hidden_units, num_classes, **kwargs):
        hidden_units = _check_hidden_units(hidden_units)
        num_classes = _positive_int(num_classes, "num_classes")
        super().__init__()
        self.hidden_units = hidden_units
        self.num_classes = num_classes
        self.flatten = keras.layers.Flatten()
        self.hidden = [keras.layers.Dense(units, activation="relu") for units in hidden_units]
        self.classifier = keras.layers.Dense(num_classes)
        self.softmax = keras.layers.Softmax()

    def call(self, inputs):
        x = self.flatten(inputs)
        for layer in self.hidden:
            x = layer(x)
        return self.softmax(self.classifier(x))
