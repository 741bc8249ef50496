# Kata dcgan: fill in every function below, then run `kata check dcgan`.
# Stuck? `kata hint dcgan` gives hints, from a nudge to nearly the answer.

"""Kata: the generator and discriminator of a DCGAN for 28×28 grey images.

DCGAN (Radford, Metz & Chintala, 2015) made GANs on images train reliably with a few rules:

- The generator *upsamples*: a Dense layer turns the noise vector into a small, deep feature map
  (7×7×256), then strided transposed convolutions (`Conv2DTranspose(..., strides=2)`) double its
  side twice, 7 → 14 → 28, while thinning the channels down to 1. (UpSampling2D followed by a
  Conv2D is the other common way to grow the image.)
- BatchNormalization after every generator layer but the last, and LeakyReLU activations.
- The generator ends in **tanh**, so pixels lie in [−1, 1]: real images are scaled to the same
  range, (pixel − 127.5) / 127.5.
- The discriminator is the mirror image: strided convolutions (no pooling) that halve the side,
  LeakyReLU, a little Dropout, then one Dense unit. It outputs a **logit**, not a probability:
  no sigmoid at the end. The losses apply the sigmoid themselves, stably, with
  `from_logits=True` (see the gan_losses kata).

Shape arithmetic for "same" padding: a stride-s convolution maps a side n to ceil(n / s); a
stride-s transposed convolution maps n to n·s.
"""

import keras


def build_generator(latent_dim=100):
    """The DCGAN generator: noise [B, latent_dim] -> images [B, 28, 28, 1] with pixels in [−1, 1].

    Dense(7·7·256, no bias) -> BatchNorm -> LeakyReLU -> Reshape(7, 7, 256)
    -> Conv2DTranspose(128, 5, strides 1) -> BatchNorm -> LeakyReLU            (7×7×128)
    -> Conv2DTranspose(64, 5, strides 2) -> BatchNorm -> LeakyReLU             (14×14×64)
    -> Conv2DTranspose(1, 5, strides 2, activation tanh)                       (28×28×1)
    All convolutions use "same" padding. Every weight is trainable except the BatchNormalization
    moving statistics. `latent_dim` not a positive int is a ValueError.
    """
    raise NotImplementedError("build_generator: your code here (`kata hint dcgan`)")


def build_discriminator(input_shape=(28, 28, 1)):
    """The DCGAN discriminator: images [B, *input_shape] -> one logit per image, [B, 1].

    Conv2D(64, 5, strides 2, same) -> LeakyReLU -> Dropout(0.3)
    -> Conv2D(128, 5, strides 2, same) -> LeakyReLU -> Dropout(0.3)
    -> Flatten -> Dense(1)   (no activation: a logit; the loss applies the sigmoid)
    Every weight is trainable. `input_shape` must be (height, width, channels), three positive
    ints, else ValueError.
    """
    raise NotImplementedError("build_discriminator: your code here (`kata hint dcgan`)")
