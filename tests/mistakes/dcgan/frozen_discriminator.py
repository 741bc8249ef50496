"""Freezes the discriminator (`trainable = False`), as in the Keras 2 recipe that compiles it
first and then freezes it inside a combined model: here nothing trains it at all.

Rejected by: test_every_weight_is_trainable_except_batchnorm_moving_statistics
"""

_reference_build_discriminator = build_discriminator


def build_discriminator(input_shape=(28, 28, 1)):
    model = _reference_build_discriminator(input_shape)
    model.trainable = False
    return model
