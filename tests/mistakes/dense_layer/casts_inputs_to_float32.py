"""Casts the inputs to float32 in call "to be safe": a float64 layer then multiplies float32
inputs by float64 weights, and under mixed_float16 float32 inputs meet float16 weights, and
TensorFlow refuses both.

Rejected by: test_dense_output_dtype_follows_the_layer_dtype, test_dense_under_mixed_precision
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def call(self, inputs):
        outputs = tf.matmul(tf.cast(inputs, tf.float32), self.kernel)
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs)
