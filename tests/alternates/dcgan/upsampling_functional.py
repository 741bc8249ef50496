"""Grows the image with UpSampling2D + Conv2D instead of transposed convolutions, writes the
activations as Activation layers or inside the convolutions, and builds both models with the
functional API (the discriminator's logit is a named linear Dense)."""


def build_generator(latent_dim=100):
    _check_positive_int(latent_dim, "latent_dim")
    z = keras.Input(shape=(latent_dim,))
    x = keras.layers.Dense(7 * 7 * 256, use_bias=False)(z)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.Activation("leaky_relu")(x)
    x = keras.layers.Reshape((7, 7, 256))(x)
    x = keras.layers.Conv2D(128, 5, padding="same", use_bias=False)(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.LeakyReLU()(x)
    x = keras.layers.UpSampling2D(2)(x)
    x = keras.layers.Conv2D(64, 5, padding="same", use_bias=False)(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.LeakyReLU()(x)
    x = keras.layers.UpSampling2D(2)(x)
    x = keras.layers.Conv2D(1, 5, padding="same")(x)
    image = keras.layers.Activation("tanh")(x)
    return keras.Model(z, image, name="upsampling_generator")


def build_discriminator(input_shape=(28, 28, 1)):
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in input_shape):
        raise ValueError(f"input_shape must hold three positive ints, got {input_shape!r}")
    image = keras.Input(shape=tuple(input_shape))
    x = image
    for filters in (64, 128):
        x = keras.layers.Conv2D(filters, 5, strides=2, padding="same", activation="leaky_relu")(x)
        x = keras.layers.Dropout(0.3)(x)
    logit = keras.layers.Dense(1, name="logit")(keras.layers.Flatten()(x))
    return keras.Model(image, logit, name="functional_discriminator")
