# Kata model_apis: fill in every function below, then run `kata check model_apis`.
# Stuck? `kata hint model_apis` gives hints, from a nudge to nearly the answer.

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


def build_sequential_mlp(input_shape, hidden_units, num_classes):
    """The MLP with the Sequential API: Input → Flatten → ReLU Dense per entry of
    `hidden_units` → Dense(num_classes) → softmax, and no other layer (no Dropout, no
    normalization). Output shape [B, num_classes].

    `input_shape` is the shape of one example (no batch axis), e.g. (28, 28). Non-positive
    sizes are ValueErrors naming the argument; `hidden_units` must be a list (anything else,
    a tuple included, is a TypeError naming hidden_units).
    """
    raise NotImplementedError("build_sequential_mlp: your code here (`kata hint model_apis`)")


def build_functional_mlp(input_shape, hidden_units, num_classes):
    """The same MLP with the functional API: layers called on a `keras.Input`, then
    `keras.Model(inputs, outputs)`. Same arguments and errors as `build_sequential_mlp`."""
    raise NotImplementedError("build_functional_mlp: your code here (`kata hint model_apis`)")


class SubclassedMLP(keras.Model):
    """The same MLP as a subclass of keras.Model: layers made in `__init__`, the forward pass in
    `call`. Works on inputs of any example shape (Flatten adapts); built on its first call.

    Arguments: `hidden_units` (list of positive ints), `num_classes` (positive int), and any
    keras.Model keyword (e.g. `name=`, `trainable=`), passed on to `keras.Model.__init__`.
    Errors as in `build_sequential_mlp`.
    """

    def __init__(self, hidden_units, num_classes, **kwargs):
        """Check the arguments, then create (but do not build) the layers."""
        raise NotImplementedError("SubclassedMLP.__init__: your code here (`kata hint model_apis`)")

    def call(self, inputs):
        """Flatten → each hidden ReLU Dense → Dense(num_classes) → softmax."""
        raise NotImplementedError("SubclassedMLP.call: your code here (`kata hint model_apis`)")
