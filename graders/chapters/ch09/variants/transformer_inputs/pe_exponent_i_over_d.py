"""The exponent i/d instead of 2i/d (the pair index used as the column index)."""


def sinusoidal_pe(n_pos, d):
    if d % 2:
        raise ValueError("d should be even")
    n = torch.arange(n_pos, dtype=torch.float64)[:, None]
    i = torch.arange(d // 2, dtype=torch.float64)
    angles = n / 10000.0 ** (i / d)
    pe = torch.empty(n_pos, d, dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(angles), torch.cos(angles)
    return pe
