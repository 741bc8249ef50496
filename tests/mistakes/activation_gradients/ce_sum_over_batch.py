"""Sums the per-example cross-entropies instead of averaging them: the gradient is B times too big.

Rejected by: test_softmax_cross_entropy_grad_is_softmax_minus_onehot_over_batch, test_softmax_cross_entropy_grad_worked_example
"""


def softmax_cross_entropy_grad(logits, labels):
    logits = _as_float(logits, "logits")
    if logits.shape.rank != 2:
        raise ValueError(f"logits must have shape [B, C], got {logits.shape.as_list()}")
    batch, classes = logits.shape
    labels = _as_labels(labels, batch, classes)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        loss = tf.reduce_sum(per_example)
    return tape.gradient(loss, logits)
