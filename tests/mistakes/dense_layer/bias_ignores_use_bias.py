"""Always creates and adds the bias, ignoring use_bias=False.

Rejected by: test_dense_builds_kernel_and_bias_with_add_weight, test_dense_matches_keras_dense
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.units), initializer=self.kernel_initializer
        )
        self.bias = self.add_weight(
            name="bias", shape=(self.units,), initializer=self.bias_initializer
        )
