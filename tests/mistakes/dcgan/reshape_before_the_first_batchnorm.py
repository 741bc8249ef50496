"""Reshapes the Dense's output to 7×7×256 before the first BatchNorm: it then normalises 256
channels instead of the Dense's 12544 features.

Rejected by: test_generator_has_the_layers_the_docstring_lists
"""


def build_generator(latent_dim=100):
    _check_positive_int(latent_dim, "latent_dim")
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            keras.layers.Dense(7 * 7 * 256, use_bias=False),
            keras.layers.Reshape((7, 7, 256)),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh"),
        ],
        name="generator",
    )
