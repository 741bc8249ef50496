"""compute_output_shape assumes a rank-2 input and returns (batch, units), wrong for sequences
and images.

Rejected by: test_dense_output_shape_for_any_rank
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)
