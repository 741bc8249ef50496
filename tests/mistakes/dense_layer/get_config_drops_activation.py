"""get_config() returns only units (and the base config): from_config and a saved model come back
with a linear activation and default settings.

Rejected by: test_dense_config_round_trip
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def get_config(self):
        config = keras.layers.Layer.get_config(self)
        config.update(units=self.units)
        return config
