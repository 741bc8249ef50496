"""tf.tensordot over the last axis and tf.nn.bias_add, weights kept under other attribute names
(exposed as the read-only properties kernel and bias), an exact `type(units) is int` check, the
mask passed on by supports_masking, and a from_config that deserializes by hand."""

import keras
import tensorflow as tf


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
        if type(units) is not int or units <= 0:
            raise ValueError(f"`units` should be a positive int; received units={units!r}")
        super().__init__(**kwargs)
        self.units = units
        self.activation_fn = keras.activations.get(activation)
        self.use_bias = use_bias
        self.kernel_init = keras.initializers.get(kernel_initializer)
        self.bias_init = keras.initializers.get(bias_initializer)
        self.supports_masking = True

    @property
    def kernel(self):
        return self.w

    @property
    def bias(self):
        return self.b

    def build(self, input_shape):
        d = int(input_shape[-1])
        self.w = self.add_weight(name="kernel", shape=[d, self.units], initializer=self.kernel_init)
        self.b = (
            self.add_weight(name="bias", shape=[self.units], initializer=self.bias_init)
            if self.use_bias
            else None
        )

    def call(self, inputs):
        z = tf.tensordot(inputs, self.w, axes=[[inputs.shape.rank - 1], [0]])
        if self.b is not None:
            z = tf.nn.bias_add(z, self.b)
        return self.activation_fn(z)

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape[:-1]), self.units)

    def get_config(self):
        base = super().get_config()
        return dict(
            base,
            units=self.units,
            activation=keras.activations.serialize(self.activation_fn),
            use_bias=self.use_bias,
            kernel_initializer=keras.initializers.serialize(self.kernel_init),
            bias_initializer=keras.initializers.serialize(self.bias_init),
        )

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["activation"] = keras.activations.deserialize(config["activation"])
        config["kernel_initializer"] = keras.initializers.deserialize(config["kernel_initializer"])
        config["bias_initializer"] = keras.initializers.deserialize(config["bias_initializer"])
        return cls(**config)
