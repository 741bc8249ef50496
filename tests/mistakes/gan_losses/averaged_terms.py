"""Averages the real and fake terms, (real + fake) / 2, instead of adding them: the loss is half
the contract's (ln 2 instead of 2·ln 2 for an undecided discriminator).

Rejected by: test_discriminator_loss_of_an_undecided_discriminator_is_two_ln_two, test_discriminator_loss_matches_closed_form
"""


def discriminator_loss(real_logits, fake_logits, real_label=1.0, fake_label=0.0):
    real_label = _label(real_label, "real_label")
    fake_label = _label(fake_label, "fake_label")
    real_logits = _float_tensor(real_logits, "real_logits")
    fake_logits = _float_tensor(fake_logits, "fake_logits", dtype=real_logits.dtype)
    total = _bce_from_logits(real_logits, real_label) + _bce_from_logits(fake_logits, fake_label)
    return total / 2.0
