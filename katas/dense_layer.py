# Kata dense_layer: fill in every function below, then run `kata check dense_layer`.
# Stuck? `kata hint dense_layer` gives hints, from a nudge to nearly the answer.

"""Kata: a Dense layer from scratch, the Keras 3 way.

A Keras layer is a Python object with *state* (its weights) and a *computation* (its `call`).
Keras splits a layer's life in three steps, and a custom layer fills in each of them:

- `__init__` stores the configuration: how many units, which activation, which initializers.
  It creates no weights yet, because the size of the input is not known.
- `build(input_shape)` runs once, the first time the layer sees an input (or when a model is
  built). Now the input size is known, so this is where weights are created, with
  `self.add_weight(name=..., shape=..., initializer=...)`. Weights made this way are *tracked*:
  they appear in `layer.trainable_weights`, optimizers update them, and models save them.
  (A bare `tf.Variable` stored on the layer is not tracked by Keras 3.)
- `call(inputs)` computes the output from the inputs and the weights.

A Dense layer computes `activation(inputs · kernel + bias)`. The product is taken over the last
axis of the inputs, so the same layer works on a batch of vectors [B, d], of sequences [B, T, d],
or of images [B, H, W, d]: only the last axis changes, from d to `units`.

A Dense layer works on each position of a sequence on its own, so it can let a *mask* pass:
after `Embedding(mask_zero=True)` the padded steps of a sequence are masked, and layers further
on (an LSTM, a pooling layer, the loss) skip them. Keras hands the mask on through a layer only
if the layer says it may: `self.supports_masking = True` in `__init__` (keras.layers.Dense
does this); without it Keras warns and the mask is lost.

Two more methods make the layer a good citizen:

- `compute_output_shape(input_shape)` tells Keras the output shape without running the layer.
- `get_config()` returns the constructor arguments as plain, JSON-friendly values. With it,
  `Dense.from_config(layer.get_config())` rebuilds an equivalent layer, and a model holding the
  layer can be saved to a `.keras` file. Loading that file needs to find the class by name: the
  decorator `@keras.saving.register_keras_serializable(package="tfkata")` registers it as
  "tfkata>Dense", so `keras.saving.load_model(path)` works without `custom_objects=`.

Activations and initializers may be given by name ("relu", "glorot_uniform") or as objects;
`keras.activations.get` / `keras.initializers.get` turn either into the object, and
`keras.activations.serialize` / `keras.initializers.serialize` turn the object back into
something `get_config` can return.
"""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(keras.layers.Layer):
    """A fully connected layer: `activation(inputs · kernel + bias)` over the last axis.

    Arguments:
        units: the size of the output's last axis; a positive int (anything else, including
            0, negative numbers, floats such as 2.5, None and strings such as "64", is a
            ValueError naming `units`).
        activation: None (no activation, i.e. linear), an activation's name ("relu", "tanh",
            ...) or a callable.
        use_bias: whether to add a learned bias vector.
        kernel_initializer, bias_initializer: initializers, by name or as objects.
        **kwargs: passed on to `keras.layers.Layer` (e.g. `name=`, `dtype=`).

    Weights, created in `build`: `kernel` of shape [input_dim, units] and (with `use_bias`)
    `bias` of shape [units]; as in keras.layers.Dense they are the attributes `layer.kernel` and
    `layer.bias` (None without `use_bias`). A mask on the input passes through to the output
    (`supports_masking`): a Dense after `Embedding(mask_zero=True)` keeps the mask.
    """

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        """Store the configuration (no weights yet: the input size is unknown until `build`).

        `units` must be a positive int (bool is not accepted); anything else is a ValueError
        naming `units`. The activation and initializers are resolved with
        `keras.activations.get` and `keras.initializers.get`, so names and objects both work.
        `supports_masking = True` lets an input's mask pass through to the output.
        """
        raise NotImplementedError("Dense.__init__: your code here (`kata hint dense_layer`)")

    def build(self, input_shape):
        """Create `kernel` [input_dim, units] and, with `use_bias`, `bias` [units], where
        input_dim is the last entry of `input_shape`."""
        raise NotImplementedError("Dense.build: your code here (`kata hint dense_layer`)")

    def call(self, inputs):
        """activation(inputs · kernel + bias), the product taken over the last axis.

        `tf.matmul` treats the leading axes of a rank-3 or rank-4 input as batch axes and
        broadcasts the 2-D kernel over them. The bias [units] broadcasts over every leading
        axis. Keras has already cast the inputs to the layer's compute dtype (autocasting), and
        reading a weight inside `call` gives it in that dtype too.
        """
        raise NotImplementedError("Dense.call: your code here (`kata hint dense_layer`)")

    def compute_output_shape(self, input_shape):
        """The input's shape with its last axis replaced by `units` (the batch may be None)."""
        raise NotImplementedError(
            "Dense.compute_output_shape: your code here (`kata hint dense_layer`)"
        )

    def get_config(self):
        """The base layer's config (name, dtype, trainable) plus every constructor argument,
        serialized to JSON-friendly values so that `from_config` can rebuild the layer."""
        raise NotImplementedError("Dense.get_config: your code here (`kata hint dense_layer`)")
