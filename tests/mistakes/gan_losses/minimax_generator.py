"""Uses the literal minimax generator loss, minimizing log(1 − D(G(z))) = −BCE(fake, 0): its
gradient vanishes when the discriminator confidently rejects the fakes.

Rejected by: test_generator_loss_is_non_saturating
"""


def generator_loss(fake_logits):
    fake_logits = _float_tensor(fake_logits, "fake_logits")
    return -_bce_from_logits(fake_logits, 0.0)
