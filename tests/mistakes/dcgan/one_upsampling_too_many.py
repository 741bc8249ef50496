"""Starts from 7×7 and doubles the side three times (three strided transposed convolutions):
the images come out 56×56 instead of 28×28.

Rejected by: test_generator_maps_default_noise_to_28x28x1_images
"""


def build_generator(latent_dim=100):
    _check_positive_int(latent_dim, "latent_dim")
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            keras.layers.Dense(7 * 7 * 256, use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Reshape((7, 7, 256)),
            keras.layers.Conv2DTranspose(128, 5, strides=2, padding="same", use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh"),
        ]
    )
