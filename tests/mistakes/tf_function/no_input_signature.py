"""Decorates the step with a bare @tf.function: every new batch size is a new input signature,
so the step is traced again for each one.

Rejected by: test_step_is_traced_once_for_all_batch_sizes
"""


def make_train_step(model, optimizer, loss_fn):
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, not {type(model).__name__}")
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"optimizer must be a keras optimizer, not {type(optimizer).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, not {type(loss_fn).__name__}")
    if not model.built:
        raise ValueError("model must be built")
    if not optimizer.built:
        optimizer.build(model.trainable_variables)

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return train_step
