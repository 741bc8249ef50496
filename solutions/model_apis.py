"""Kata: one network, three ways to write it in Keras.

Keras offers three APIs for building a model. Here all three build the same multilayer
perceptron: Flatten, one ReLU `Dense` per entry of `hidden_units`, a final `Dense(num_classes)`,
and a softmax that turns the scores into class probabilities (each output row sums to 1).

1. Sequential: a plain stack, one layer feeding the next.
       keras.Sequential([keras.Input(shape=input_shape), layer1, layer2, ...])
   Starting with `keras.Input` builds the model at once, so its weights exist and
   `model.summary()` / `model.count_params()` work before any data is seen.

2. Functional: call layers on symbolic tensors, then wrap inputs and outputs in a Model.
       inputs = keras.Input(shape=input_shape)
       x = keras.layers.Flatten()(inputs)
       ...
       model = keras.Model(inputs=inputs, outputs=outputs)
   The same idea scales to graphs that are not a straight line (several inputs or outputs,
   skip connections, shared layers).

3. Subclassing: create the layers in `__init__`, write the forward pass in `call`.
   The most flexible (any Python in `call`), but the model is built only when it first sees an
   input, so it has no weights before that: call it once (or `model.build((None, *shape))`).
   Layers stored as attributes, even in a list, are tracked: their weights become the model's.

Same layers, same sizes: the three hold the same number of parameters and, given the same weights,
compute the same outputs. For an input of d = prod(input_shape) features and hidden sizes
h1, ..., hk, the count is (d·h1 + h1) + (h1·h2 + h2) + ... + (hk·num_classes + num_classes).
"""

import keras


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _check_input_shape(input_shape):
    """A tuple of positive ints (the shape of one example, batch axis excluded)."""
    if isinstance(input_shape, int) and not isinstance(input_shape, bool):
        input_shape = (input_shape,)
    if not isinstance(input_shape, (tuple, list)) or not input_shape:
        raise ValueError(f"input_shape must be a non-empty tuple of ints, got {input_shape!r}")
    return tuple(_positive_int(side, "input_shape") for side in input_shape)


def _check_hidden_units(hidden_units):
    """A list of positive ints (possibly empty: then the model is a softmax regression)."""
    if not isinstance(hidden_units, list):
        raise TypeError(
            f"hidden_units must be a list of ints (one per hidden layer), got {hidden_units!r}"
        )
    return [_positive_int(units, "hidden_units") for units in hidden_units]


def build_sequential_mlp(input_shape, hidden_units, num_classes):
    """The MLP with the Sequential API: Input → Flatten → ReLU Dense per entry of
    `hidden_units` → Dense(num_classes) → softmax, and no other layer (no Dropout, no
    normalization). Output shape [B, num_classes].

    `input_shape` is the shape of one example (no batch axis), e.g. (28, 28). Non-positive
    sizes are ValueErrors naming the argument; `hidden_units` must be a list (anything else,
    a tuple included, is a TypeError naming hidden_units).
    """
    input_shape = _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    model = keras.Sequential(name="sequential_mlp")
    model.add(keras.Input(shape=input_shape))
    model.add(keras.layers.Flatten())
    for units in hidden_units:
        model.add(keras.layers.Dense(units, activation="relu"))
    model.add(keras.layers.Dense(num_classes))
    model.add(keras.layers.Softmax())
    return model


def build_functional_mlp(input_shape, hidden_units, num_classes):
    """The same MLP with the functional API: layers called on a `keras.Input`, then
    `keras.Model(inputs, outputs)`. Same arguments and errors as `build_sequential_mlp`."""
    input_shape = _check_input_shape(input_shape)
    hidden_units = _check_hidden_units(hidden_units)
    num_classes = _positive_int(num_classes, "num_classes")
    inputs = keras.Input(shape=input_shape)
    x = keras.layers.Flatten()(inputs)
    for units in hidden_units:
        x = keras.layers.Dense(units, activation="relu")(x)
    scores = keras.layers.Dense(num_classes)(x)
    outputs = keras.layers.Softmax()(scores)
    return keras.Model(inputs=inputs, outputs=outputs, name="functional_mlp")


class SubclassedMLP(keras.Model):
    """The same MLP as a subclass of keras.Model: layers made in `__init__`, the forward pass in
    `call`. Works on inputs of any example shape (Flatten adapts); built on its first call.

    Arguments: `hidden_units` (list of positive ints), `num_classes` (positive int), and any
    keras.Model keyword (e.g. `name=`, `trainable=`), passed on to `keras.Model.__init__`.
    Errors as in `build_sequential_mlp`.
    """

    def __init__(self, hidden_units, num_classes, **kwargs):
        """Check the arguments, then create (but do not build) the layers."""
        hidden_units = _check_hidden_units(hidden_units)
        num_classes = _positive_int(num_classes, "num_classes")
        super().__init__(**kwargs)
        self.hidden_units = hidden_units
        self.num_classes = num_classes
        self.flatten = keras.layers.Flatten()
        self.hidden = [keras.layers.Dense(units, activation="relu") for units in hidden_units]
        self.classifier = keras.layers.Dense(num_classes)
        self.softmax = keras.layers.Softmax()

    def call(self, inputs):
        """Flatten → each hidden ReLU Dense → Dense(num_classes) → softmax."""
        x = self.flatten(inputs)
        for layer in self.hidden:
            x = layer(x)
        return self.softmax(self.classifier(x))
