"""Casts the logits to float32 before computing the loss: float16 (or float64) logits come back
as a float32 loss instead of one in their own dtype.

Rejected by: test_losses_keep_float16_and_stay_finite_at_its_extremes
"""


def _bce_from_logits(logits, label):
    logits = tf.cast(logits, tf.float32)
    labels = tf.fill(tf.shape(logits), label)
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))
