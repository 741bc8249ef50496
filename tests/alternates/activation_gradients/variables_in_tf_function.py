"""The input copied into a tf.Variable (watched automatically, no tape.watch), and the loss gradients
computed by tf.function-compiled steps; inputs are checked eagerly, before the compiled code."""


def _elementwise_grad(fn, x):
    x = _as_float(x, "x")
    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = fn(v)
    return tape.gradient(y, v)


@tf.function(reduce_retracing=True)
def _ce_grad(logits, labels):
    with tf.GradientTape() as tape:
        tape.watch(logits)
        onehot = tf.one_hot(labels, tf.shape(logits)[1], dtype=logits.dtype)
        log_probs = tf.nn.log_softmax(logits)
        loss = -tf.reduce_sum(onehot * log_probs) / tf.cast(tf.shape(logits)[0], logits.dtype)
    return tape.gradient(loss, logits)


def softmax_cross_entropy_grad(logits, labels):
    logits = _as_float(logits, "logits")
    if logits.shape.rank != 2:
        raise ValueError(f"logits must have shape [B, C], got {logits.shape.as_list()}")
    batch, classes = logits.shape
    return _ce_grad(logits, _as_labels(labels, batch, classes))


@tf.function(reduce_retracing=True)
def _mse_grad(y_pred, y_true):
    with tf.GradientTape() as tape:
        tape.watch(y_pred)
        loss = tf.reduce_mean(tf.math.squared_difference(y_pred, y_true))
    return tape.gradient(loss, y_pred)


def mse_grad(y_pred, y_true):
    y_pred = _as_float(y_pred, "y_pred")
    y_true = tf.cast(_as_float(y_true, "y_true"), y_pred.dtype)
    if y_pred.shape != y_true.shape:
        raise ValueError(
            f"y_pred {y_pred.shape} and y_true {y_true.shape} must have the same shape"
        )
    return _mse_grad(y_pred, y_true)
