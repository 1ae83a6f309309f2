"""Positional encodings laid out as [sin…, cos…] (all sines, then all cosines) instead of interleaved pairs."""


def sinusoidal_pe(n_pos, d):
    n = torch.arange(n_pos, dtype=torch.float64)[:, None]
    i = torch.arange(d // 2, dtype=torch.float64)
    angles = n / 10000.0 ** (2 * i / d)
    return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)
