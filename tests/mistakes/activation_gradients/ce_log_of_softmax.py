"""Computes −log(softmax(logits)) by hand: softmax underflows to 0 for extreme logits, log(0) = −inf
and the gradient is NaN.

Rejected by: test_softmax_cross_entropy_grad_stays_finite_for_extreme_logits
"""


def softmax_cross_entropy_grad(logits, labels):
    logits = _as_float(logits, "logits")
    if logits.shape.rank != 2:
        raise ValueError(f"logits must have shape [B, C], got {logits.shape.as_list()}")
    batch, classes = logits.shape
    labels = _as_labels(labels, batch, classes)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        probs = tf.nn.softmax(logits)
        picked = tf.gather(probs, labels, axis=1, batch_dims=1)
        loss = tf.reduce_mean(-tf.math.log(picked))
    return tape.gradient(loss, logits)
