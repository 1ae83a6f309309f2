"""The book's k = 1..d/2 exponent (eq 9.49 as printed): every frequency one step too low."""


def sinusoidal_pe(n_pos, d):
    if d % 2:
        raise ValueError("d should be even")
    n = torch.arange(n_pos, dtype=torch.float64)[:, None]
    k = torch.arange(1, d // 2 + 1, dtype=torch.float64)
    angles = n / 10000.0 ** (2 * k / d)
    pe = torch.empty(n_pos, d, dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(angles), torch.cos(angles)
    return pe
