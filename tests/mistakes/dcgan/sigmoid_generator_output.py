"""Ends the generator with a sigmoid, as for [0, 1] images: its pixels never go below 0, while
the real images are scaled to [−1, 1] (tanh).

Rejected by: test_generator_pixels_lie_in_tanh_range_and_use_both_signs
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
            keras.layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(),
            keras.layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="sigmoid"),
        ]
    )
