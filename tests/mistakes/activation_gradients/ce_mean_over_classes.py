"""Averages the per-class terms of the one-hot cross-entropy (tf.reduce_mean over [B, C]) instead
of summing over classes and averaging over the batch: the gradient is C times too small.

Rejected by: test_softmax_cross_entropy_grad_is_softmax_minus_onehot_over_batch, test_softmax_cross_entropy_grad_matches_keras_loss
"""


def softmax_cross_entropy_grad(logits, labels):
    logits = _as_float(logits, "logits")
    if logits.shape.rank != 2:
        raise ValueError(f"logits must have shape [B, C], got {logits.shape.as_list()}")
    batch, classes = logits.shape
    labels = _as_labels(labels, batch, classes)
    onehot = tf.one_hot(labels, classes, dtype=logits.dtype)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.reduce_mean(-onehot * tf.nn.log_softmax(logits))
    return tape.gradient(loss, logits)
