"""Creates self.bias only when use_bias is set and tests use_bias again in call: without a bias
the layer has no `bias` attribute at all, where keras.layers.Dense has `bias = None`.

Rejected by: test_dense_builds_kernel_and_bias_with_add_weight, test_dense_passes_keras_own_dense_test
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.units), initializer=self.kernel_initializer
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.units,), initializer=self.bias_initializer
            )

    def call(self, inputs):
        outputs = tf.matmul(inputs, self.kernel)
        if self.use_bias:
            outputs = outputs + self.bias
        return self.activation(outputs)
