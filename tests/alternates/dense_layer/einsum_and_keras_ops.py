"""Written with keras.ops: einsum over the last axis, operator.index for the units check, the
config serialized with keras.saving.serialize_keras_object, the bias set to None in build when
unused, and the mask handed on by a compute_mask of its own."""

import operator

import keras


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(keras.layers.Layer):
    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        try:
            if isinstance(units, bool):
                raise TypeError
            units = operator.index(units)
        except TypeError:
            raise ValueError(f"Dense: units must be a positive integer, got {units!r}") from None
        if units < 1:
            raise ValueError(f"Dense: units must be a positive integer, got {units}")
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer=self.kernel_initializer,
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), initializer=self.bias_initializer, name="bias"
            )

    def compute_mask(self, inputs, mask=None):
        return mask  # each position is transformed on its own: its mask still holds

    def call(self, inputs):
        outputs = keras.ops.einsum("...i,ij->...j", inputs, self.kernel)
        if self.bias is not None:
            outputs = keras.ops.add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[-1] = self.units
        return tuple(shape)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": keras.saving.serialize_keras_object(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": keras.saving.serialize_keras_object(self.kernel_initializer),
            "bias_initializer": keras.saving.serialize_keras_object(self.bias_initializer),
        }
