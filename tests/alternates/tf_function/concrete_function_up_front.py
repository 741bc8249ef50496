"""Traces the step once up front: a tf.function without an input signature, then
get_concrete_function with batch dimension None, which later calls of any batch size reuse (the
trace for the more general shape matches them); the optimizer is built before that trace."""


def make_train_step(model, optimizer, loss_fn):
    if not isinstance(model, keras.Model):
        raise TypeError(f"make_train_step: model must be a keras.Model, got {type(model)}")
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"make_train_step: optimizer must be a keras Optimizer, got {optimizer!r}")
    if not callable(loss_fn):
        raise TypeError(f"make_train_step: loss_fn is not callable: {loss_fn!r}")
    try:
        x_shape, y_shape = model.inputs[0].shape, model.outputs[0].shape
    except (AttributeError, ValueError, IndexError, TypeError):
        raise ValueError("make_train_step: model needs a known input shape (keras.Input)") from None
    if not optimizer.built:
        optimizer.build(model.trainable_variables)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        variables = model.trainable_variables
        optimizer.apply_gradients(list(zip(tape.gradient(loss, variables), variables, strict=True)))
        return loss

    step.get_concrete_function(
        tf.TensorSpec([None, *x_shape[1:]], tf.float32),
        tf.TensorSpec([None, *y_shape[1:]], tf.float32),
    )
    return step
