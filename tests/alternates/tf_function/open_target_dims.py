"""Writes the signature from model.input_shape and model.output_shape, leaving every dimension of
the targets open (only their rank is fixed: Keras losses need it), wraps a plain function with
tf.function(...) instead of decorating it, and updates with optimizer.apply."""


def make_train_step(model, optimizer, loss_fn):
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {model!r}")
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"optimizer must be a keras optimizer, got {optimizer!r}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, got {loss_fn!r}")
    try:
        feature_shape = tuple(model.input_shape[1:])
    except (AttributeError, ValueError):
        raise ValueError("model has no known input shape") from None
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    signature = (
        tf.TensorSpec((None, *feature_shape), tf.float32),
        tf.TensorSpec([None] * len(model.output_shape), tf.float32),
    )

    def train_step(x, y):
        with tf.GradientTape() as tape:
            predictions = model(x, training=True)
            loss = loss_fn(y, predictions)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply(grads, model.trainable_variables)
        return loss

    return tf.function(train_step, input_signature=signature)
