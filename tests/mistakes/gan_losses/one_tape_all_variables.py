"""Takes the discriminator step over all the variables (generator's included), so the generator
also moves during the discriminator's step, pushed to make its fakes easier to reject.

Rejected by: test_gan_train_step_moves_only_discriminator_then_only_generator
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
    all_vars = discriminator.trainable_variables + generator.trainable_variables
    with tf.GradientTape() as tape:
        fakes = generator(noise, training=True)
        d_loss = discriminator_loss(
            discriminator(real_batch, training=True), discriminator(fakes, training=True)
        )
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, all_vars), all_vars, strict=True))
    g_vars = generator.trainable_variables
    with tf.GradientTape() as tape:
        g_loss = generator_loss(discriminator(generator(noise, training=True), training=True))
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars, strict=True))
    return d_loss, g_loss
