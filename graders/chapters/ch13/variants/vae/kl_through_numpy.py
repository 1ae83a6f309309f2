"""The KL computed in numpy and wrapped back in a tensor: right values, but no gradient reaches μ or logvar."""
import numpy as np  # noqa: E402


def gaussian_kl(mu, logvar):
    m, lv = mu.detach().cpu().numpy(), logvar.detach().cpu().numpy()
    return torch.as_tensor(0.5 * (np.exp(lv) + m ** 2 - lv - 1).sum(axis=1), dtype=mu.dtype)
