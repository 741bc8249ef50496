"""Applies the activation before adding the bias: activation(x·W) + b, so a ReLU output can be
negative."""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def call(self, inputs):
        outputs = self.activation(tf.matmul(inputs, self.kernel))
        if self.use_bias:
            outputs = outputs + self.bias
        return outputs
