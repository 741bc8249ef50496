"""Writes the stable BCE with tf.nn.softplus (label·softplus(−x) + (1 − label)·softplus(x)) and
runs both halves of the train step through one loop over (objective, model, optimizer),
with optimizer.apply instead of apply_gradients."""


def _bce_from_logits(logits, label):
    label = tf.cast(label, logits.dtype)
    per_element = label * tf.nn.softplus(-logits) + (1 - label) * tf.nn.softplus(logits)
    return tf.reduce_sum(per_element) / tf.cast(tf.size(per_element), logits.dtype)


def gan_train_step(generator, discriminator, g_optimizer, d_optimizer, real_batch, noise):
    _check_model(generator, "generator")
    _check_model(discriminator, "discriminator")
    _check_optimizer(g_optimizer, "g_optimizer")
    _check_optimizer(d_optimizer, "d_optimizer")
    if d_optimizer is g_optimizer:
        raise ValueError("d_optimizer must not be the same object as g_optimizer")
    real_batch = _float_tensor(real_batch, "real_batch")
    noise = _float_tensor(noise, "noise")

    def d_objective():
        fakes = generator(noise, training=True)
        return discriminator_loss(
            discriminator(real_batch, training=True), discriminator(fakes, training=True)
        )

    def g_objective():
        return generator_loss(discriminator(generator(noise, training=True), training=True))

    losses = []
    for objective, model, optimizer in (
        (d_objective, discriminator, d_optimizer),
        (g_objective, generator, g_optimizer),
    ):
        with tf.GradientTape() as tape:
            loss = objective()
        optimizer.apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
        losses.append(loss)
    return losses[0], losses[1]
