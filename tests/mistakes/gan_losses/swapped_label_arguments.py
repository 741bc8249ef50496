"""Scores the real logits against fake_label and the fake logits against real_label: with the
default labels (1, 0) the discriminator learns the opposite, and asymmetric labels expose it.

Rejected by: test_discriminator_loss_matches_closed_form
"""


def discriminator_loss(real_logits, fake_logits, real_label=1.0, fake_label=0.0):
    real_label = _label(real_label, "real_label")
    fake_label = _label(fake_label, "fake_label")
    real_logits = _float_tensor(real_logits, "real_logits")
    fake_logits = _float_tensor(fake_logits, "fake_logits", dtype=real_logits.dtype)
    return _bce_from_logits(real_logits, fake_label) + _bce_from_logits(fake_logits, real_label)
