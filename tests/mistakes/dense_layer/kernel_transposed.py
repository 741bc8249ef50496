"""Stores the kernel as [units, input_dim], the way the maths is often written (W·x), and
multiplies with transpose_b=True: the outputs are right but the weight does not have Keras's
shape, so keras.layers.Dense's weights (and saved ones) do not fit.

Rejected by: test_dense_builds_kernel_and_bias_with_add_weight, test_dense_matches_keras_dense
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=(self.units, input_shape[-1]), initializer=self.kernel_initializer
        )
        self.bias = (
            self.add_weight(name="bias", shape=(self.units,), initializer=self.bias_initializer)
            if self.use_bias
            else None
        )

    def call(self, inputs):
        outputs = tf.matmul(inputs, self.kernel, transpose_b=True)
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs)
