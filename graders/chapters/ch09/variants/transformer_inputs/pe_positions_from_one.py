"""Positions counted from 1 (row 0 encodes position 1)."""


def sinusoidal_pe(n_pos, d):
    if d % 2:
        raise ValueError("d should be even")
    n = torch.arange(1, n_pos + 1, dtype=torch.float64)[:, None]
    i = torch.arange(d // 2, dtype=torch.float64)
    angles = n / 10000.0 ** (2 * i / d)
    pe = torch.empty(n_pos, d, dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(angles), torch.cos(angles)
    return pe
