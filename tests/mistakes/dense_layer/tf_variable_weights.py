"""Creates the weights as bare tf.Variables (the TF 1.x / early TF 2 habit): Keras 3 does not
track them, so the layer has no trainable weights and nothing trains or saves.

Rejected by: test_dense_builds_kernel_and_bias_with_add_weight, test_dense_trains_in_a_model
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def build(self, input_shape):
        self.kernel = tf.Variable(
            self.kernel_initializer((input_shape[-1], self.units)), name="kernel"
        )
        self.bias = (
            tf.Variable(self.bias_initializer((self.units,)), name="bias")
            if self.use_bias
            else None
        )
