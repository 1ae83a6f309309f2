"""The discriminator loss as the average of its two BCE terms, ½(BCE_real + BCE_fake)."""


def d_loss_bce(real_logits, fake_logits):
    zero = real_logits.new_zeros(())
    return 0.5 * (torch.logaddexp(zero, -real_logits).mean() + torch.logaddexp(zero, fake_logits).mean())
