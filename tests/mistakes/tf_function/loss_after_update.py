"""Returns the loss recomputed after the update instead of the one the gradient came from.

Rejected by: test_step_returns_the_scalar_loss_before_the_update, test_compiled_step_computes_what_the_eager_step_computes
"""


def make_train_step(model, optimizer, loss_fn):
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, not {type(model).__name__}")
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(f"optimizer must be a keras optimizer, not {type(optimizer).__name__}")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, not {type(loss_fn).__name__}")
    if not getattr(model, "inputs", None):
        raise ValueError("model must have a known input shape")
    x_spec = tf.TensorSpec(shape=[None, *model.inputs[0].shape[1:]], dtype=tf.float32)
    y_spec = tf.TensorSpec(shape=[None, *model.outputs[0].shape[1:]], dtype=tf.float32)
    if not optimizer.built:
        optimizer.build(model.trainable_variables)

    @tf.function(input_signature=[x_spec, y_spec])
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss_fn(y, model(x, training=True))

    return train_step
