"""log σ taken as torch.log(torch.sigmoid(a)): −inf, and a NaN or inf loss, at logits ±1e4."""


def d_loss_bce(real_logits, fake_logits):
    return -(torch.log(torch.sigmoid(real_logits)).mean() + torch.log(1 - torch.sigmoid(fake_logits)).mean())


def g_loss_nonsat(fake_logits):
    return -torch.log(torch.sigmoid(fake_logits)).mean()
