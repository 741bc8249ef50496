"""Skips the convolutions: Dense(28·28, tanh) reshaped to 28×28×1. Right shape and range, but no
upsampling at all.

Rejected by: test_generator_upsamples_with_transposed_convolutions_or_upsampling, test_generator_has_the_layers_the_docstring_lists
"""


def build_generator(latent_dim=100):
    _check_positive_int(latent_dim, "latent_dim")
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            keras.layers.Dense(256),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Dense(28 * 28, activation="tanh"),
            keras.layers.Reshape((28, 28, 1)),
        ]
    )
