"""Computes both losses in one forward pass and then applies both updates (two tapes at once):
the generator step is taken against the old discriminator, not after the discriminator's step.

Rejected by: test_gan_train_step_is_a_discriminator_step_then_a_generator_step
"""


def gan_train_step(generator, discriminator, g_optimizer, d_optimizer, real_batch, noise):
    _check_model(generator, "generator")
    _check_model(discriminator, "discriminator")
    _check_optimizer(g_optimizer, "g_optimizer")
    _check_optimizer(d_optimizer, "d_optimizer")
    if g_optimizer is d_optimizer:
        raise ValueError("g_optimizer and d_optimizer must be two different optimizer objects")
    real_batch = _float_tensor(real_batch, "real_batch")
    noise = _float_tensor(noise, "noise")
    with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
        fakes = generator(noise, training=True)
        real_logits = discriminator(real_batch, training=True)
        fake_logits = discriminator(fakes, training=True)
        g_loss = generator_loss(fake_logits)
        d_loss = discriminator_loss(real_logits, fake_logits)
    d_vars, g_vars = discriminator.trainable_variables, generator.trainable_variables
    d_optimizer.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars, strict=True))
    g_optimizer.apply_gradients(zip(g_tape.gradient(g_loss, g_vars), g_vars, strict=True))
    return d_loss, g_loss
