"""Leaves the discriminator's first Conv2D at Keras's default "valid" padding: 28 shrinks to 12
instead of 14, and the Dense reads 6·6·128 features instead of 7·7·128.

Rejected by: test_discriminator_has_the_layers_the_docstring_lists
"""


def build_discriminator(input_shape=(28, 28, 1)):
    _check_input_shape(input_shape)
    return keras.Sequential(
        [
            keras.Input(shape=tuple(input_shape)),
            keras.layers.Conv2D(64, 5, strides=2),
            keras.layers.LeakyReLU(),
            keras.layers.Dropout(0.3),
            keras.layers.Conv2D(128, 5, strides=2, padding="same"),
            keras.layers.LeakyReLU(),
            keras.layers.Dropout(0.3),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ],
        name="discriminator",
    )
