"""Applies the activation before adding the bias: activation(x·W) + b, so a ReLU output can be
negative.

Rejected by: test_dense_matches_keras_dense, test_dense_worked_example_from_keras_tests
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def call(self, inputs):
        outputs = self.activation(tf.matmul(inputs, self.kernel))
        if self.use_bias:
            outputs = outputs + self.bias
        return outputs
