"""Ends the discriminator with Dense(1, activation="sigmoid"): it outputs probabilities, not the
logits that a from_logits loss expects.

Rejected by: test_discriminator_outputs_logits_not_probabilities
"""


def build_discriminator(input_shape=(28, 28, 1)):
    _check_input_shape(input_shape)
    return keras.Sequential(
        [
            keras.Input(shape=tuple(input_shape)),
            keras.layers.Conv2D(64, 5, strides=2, padding="same"),
            keras.layers.LeakyReLU(),
            keras.layers.Dropout(0.3),
            keras.layers.Conv2D(128, 5, strides=2, padding="same"),
            keras.layers.LeakyReLU(),
            keras.layers.Dropout(0.3),
            keras.layers.Flatten(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
