"""Never sets supports_masking: Keras warns that the layer "will destroy the mask information",
so after Embedding(mask_zero=True) the padded steps count as real ones further on.

Rejected by: test_dense_passes_a_mask_through, test_dense_passes_keras_run_layer_test
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.supports_masking = False
