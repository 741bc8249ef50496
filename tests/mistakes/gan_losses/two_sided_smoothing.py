"""Smooths both labels: the fake label becomes 1 − real_label (0.1 when real_label is 0.9) instead
of staying at fake_label; label smoothing for GANs is one-sided.

Rejected by: test_discriminator_loss_one_sided_label_smoothing
"""


def discriminator_loss(real_logits, fake_logits, real_label=1.0, fake_label=0.0):
    real_label = _label(real_label, "real_label")
    fake_label = _label(fake_label, "fake_label")
    real_logits = _float_tensor(real_logits, "real_logits")
    fake_logits = _float_tensor(fake_logits, "fake_logits", dtype=real_logits.dtype)
    fake_label = max(fake_label, 1.0 - real_label)
    return _bce_from_logits(real_logits, real_label) + _bce_from_logits(fake_logits, fake_label)
