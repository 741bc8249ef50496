"""Grows the image with UpSampling2D + Conv2D instead of transposed convolutions, and builds both
models with the functional API (the discriminator with a 3×3 kernel stack and a separate linear
logit layer)."""


def build_generator(latent_dim=100):
    _check_positive_int(latent_dim, "latent_dim")
    z = keras.Input(shape=(latent_dim,))
    x = keras.layers.Dense(7 * 7 * 128)(z)
    x = keras.layers.Reshape((7, 7, 128))(x)
    for filters in (64, 32):
        x = keras.layers.UpSampling2D(2)(x)
        x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.Activation("relu")(x)
    image = keras.layers.Conv2D(1, 3, padding="same", activation="tanh")(x)
    return keras.Model(z, image, name="upsampling_generator")


def build_discriminator(input_shape=(28, 28, 1)):
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in input_shape):
        raise ValueError(f"input_shape must hold three positive ints, got {input_shape!r}")
    image = keras.Input(shape=tuple(input_shape))
    x = image
    for filters in (32, 64):
        x = keras.layers.Conv2D(filters, 3, strides=2, padding="same")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    logit = keras.layers.Dense(1, name="logit")(x)
    return keras.Model(image, logit, name="functional_discriminator")
