"""Checks only `units <= 0`: 2.5 slips through, and None or "64" raise TypeError from the
comparison instead of a ValueError naming units.

Rejected by: test_dense_rejects_units_that_are_not_positive_ints
"""

_ReferenceDense = Dense


@keras.saving.register_keras_serializable(package="tfkata")
class Dense(_ReferenceDense):
    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        if units <= 0:
            raise ValueError(f"units must be a positive int, got {units!r}")
        super().__init__(1, activation, use_bias, kernel_initializer, bias_initializer, **kwargs)
        self.units = units
