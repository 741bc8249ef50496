"""Keras's own activations and losses (from_logits=True, in the logits' dtype), differentiated on one
persistent tape; the mean squared error written as a sum divided by the element count."""

import keras


def _convert(value, name):
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be tensor-like, not text")
    tensor = tf.convert_to_tensor(value)
    return tensor if tensor.dtype.is_floating else tf.cast(tensor, tf.float32)


def sigmoid_grad(x):
    return _all_activation_grads(x)[0]


def tanh_grad(x):
    return _all_activation_grads(x)[1]


def relu_grad(x):
    return _all_activation_grads(x)[2]


def _all_activation_grads(x):
    x = _convert(x, "x")
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        outputs = [
            keras.activations.sigmoid(x),
            keras.activations.tanh(x),
            keras.activations.relu(x),
        ]
    grads = [tape.gradient(out, x) for out in outputs]
    del tape
    return grads


def softmax_cross_entropy_grad(logits, labels):
    logits = _convert(logits, "logits")
    if len(logits.shape) != 2:
        raise ValueError("logits must be [B, C]")
    labels = np.asarray(labels)
    if labels.shape != (logits.shape[0],):
        raise ValueError("labels must be [B]")
    if not np.array_equal(labels, np.round(labels)):
        raise ValueError("labels must be whole class ids")
    if labels.size and (labels.min() < 0 or labels.max() >= logits.shape[1]):
        raise ValueError("labels out of range")
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype=logits.dtype.name)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = loss_fn(labels, logits)
    return tape.gradient(loss, logits)


def mse_grad(y_pred, y_true):
    y_pred = _convert(y_pred, "y_pred")
    y_true = tf.cast(_convert(y_true, "y_true"), y_pred.dtype)
    if y_pred.shape != y_true.shape:
        raise ValueError("y_pred and y_true: shapes differ")
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        loss = tf.reduce_sum(tf.square(y_pred - y_true)) / tf.cast(tf.size(y_pred), y_pred.dtype)
    return tape.gradient(loss, y_pred)
