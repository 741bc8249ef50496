# Kata gan_losses: fill in every function below, then run `kata check gan_losses`.
# Stuck? `kata hint gan_losses` gives hints, from a nudge to nearly the answer.

"""Kata: the losses of a GAN and its two-player train step.

A generative adversarial network trains two models against each other. The *discriminator* D
reads a sample and outputs one logit: high for "real", low for "fake". The *generator* G turns
noise z into samples and is trained to make D say "real". Both losses are binary cross-entropies,
and both are computed **from logits**:

    BCE(x, label) = label · softplus(−x) + (1 − label) · softplus(x)     (softplus(t) = log(1 + eᵗ))

`tf.nn.sigmoid_cross_entropy_with_logits(labels=..., logits=...)` computes exactly this in a form
that stays finite for any finite logit. Applying `tf.sigmoid` first and then taking `log(p)` is the
classic trap: at a logit of −100, sigmoid rounds to 0 in float32 and log(0) is −inf.

- Discriminator loss: BCE of the real logits against 1 plus BCE of the fake logits against 0, each
  averaged over its batch. *One-sided label smoothing* (Salimans et al., 2016) uses a real label
  of 0.9 instead of 1, so that D is never pushed to infinite confidence.
- Generator loss, *non-saturating* version (Goodfellow et al., 2014): BCE of the fake logits
  against 1, i.e. −log D(G(z)). The literal minimax version minimizes log(1 − D(G(z))), whose
  gradient vanishes exactly when the generator is bad and D rejects its samples with confidence,
  which is when the generator most needs to learn. The non-saturating loss has the same fixed
  point and a strong gradient there.

The train step alternates: first a step on D's variables only (G is held fixed), then a step on
G's variables only (D, already updated, is held fixed). Each network has its own optimizer.
"""

import keras
import tensorflow as tf


def discriminator_loss(real_logits, fake_logits, real_label=1.0, fake_label=0.0):
    """The discriminator's loss: mean BCE(real_logits, real_label) + mean BCE(fake_logits, fake_label).

    Both inputs are logits (raw scores, no sigmoid applied), of any shape, e.g. [B, 1]; the two
    batches may differ in size. Each term is the mean over its own elements, and the two terms are
    added (not averaged). Computed from logits, so the loss and its gradients are finite for any
    finite logits. With all-zero logits (D undecided) the loss is 2·ln 2.

    `real_label=0.9` gives one-sided label smoothing: the real term becomes
    mean(0.9·softplus(−x) + 0.1·softplus(x)). Labels must lie in [0, 1] (ValueError naming them).
    Returns a scalar tensor with real_logits' float dtype (float32 for ints and Python numbers);
    an empty batch is a ValueError naming it.
    """
    raise NotImplementedError("discriminator_loss: your code here (`kata hint gan_losses`)")


def generator_loss(fake_logits):
    """The non-saturating generator loss: mean BCE(fake_logits, 1) = mean softplus(−x) = −log D(G(z)).

    `fake_logits` are the discriminator's logits on generated samples, any shape. The generator
    wants them classified as real, so the target is 1. Its gradient with respect to a logit x is
    −sigmoid(−x)/n: close to −1/n when D confidently rejects the fakes (x ≪ 0), so the generator
    still learns (the minimax log(1 − D(G(z))) would give almost 0 there). With all-zero logits the
    loss is ln 2. Returns a scalar tensor with the logits' float dtype; an empty batch is a
    ValueError naming fake_logits.
    """
    raise NotImplementedError("generator_loss: your code here (`kata hint gan_losses`)")


def gan_train_step(generator, discriminator, g_optimizer, d_optimizer, real_batch, noise):
    """One round of GAN training: a discriminator step, then a generator step. Returns (d_loss, g_loss).

    1. Discriminator step: fakes = generator(noise); d_loss = discriminator_loss(D(real_batch),
       D(fakes)); its gradient with respect to `discriminator.trainable_variables` only is applied
       with `d_optimizer`. The generator does not move.
    2. Generator step: with the *updated* discriminator, fakes = generator(noise) again;
       g_loss = generator_loss(D(fakes)); its gradient with respect to
       `generator.trainable_variables` only is applied with `g_optimizer`. The discriminator does
       not move.

    Both models are called with `training=True`. Each loss is the one computed before its own
    update. The two optimizers must be two different objects (an optimizer keeps per-variable
    state). Wrong kinds of objects are a TypeError naming the argument; an empty batch is a
    ValueError naming it.
    """
    raise NotImplementedError("gan_train_step: your code here (`kata hint gan_losses`)")
