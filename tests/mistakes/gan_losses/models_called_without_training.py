"""Calls the generator and the discriminator without training=True: Dropout and
BatchNormalization inside them run in inference mode during the train step.

Rejected by: test_gan_train_step_calls_both_models_in_training_mode
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

    d_vars = discriminator.trainable_variables
    with tf.GradientTape() as tape:
        fakes = generator(noise)
        d_loss = discriminator_loss(discriminator(real_batch), discriminator(fakes))
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_vars), d_vars, strict=True))

    g_vars = generator.trainable_variables
    with tf.GradientTape() as tape:
        fakes = generator(noise)
        g_loss = generator_loss(discriminator(fakes))
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars, strict=True))
    return d_loss, g_loss
