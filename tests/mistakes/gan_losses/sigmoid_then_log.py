"""Applies sigmoid first and takes logs of probabilities: at a logit of ±1e4 sigmoid rounds to 0
or 1 and log gives inf (and NaN gradients) instead of a finite loss.

Rejected by: test_discriminator_loss_is_finite_with_finite_gradients_at_huge_logits
"""


def _bce_from_logits(logits, label):
    p = tf.sigmoid(logits)
    return tf.reduce_mean(-(label * tf.math.log(p) + (1.0 - label) * tf.math.log(1.0 - p)))
