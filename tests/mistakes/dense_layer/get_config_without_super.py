"""Builds get_config from scratch instead of starting from super().get_config(): the layer's
name, dtype policy and trainable flag are lost, so from_config makes a different layer.

Rejected by: test_dense_config_round_trip
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def get_config(self):
        return {
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }
