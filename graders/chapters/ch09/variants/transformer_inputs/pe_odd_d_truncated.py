"""An odd d accepted silently: ⌈d/2⌉ pairs computed and the last cosine column dropped."""


def sinusoidal_pe(n_pos, d):
    half = (d + 1) // 2
    n = torch.arange(n_pos, dtype=torch.float64)[:, None]
    i = torch.arange(half, dtype=torch.float64)
    angles = n / 10000.0 ** (2 * i / (2 * half))
    pe = torch.empty(n_pos, 2 * half, dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(angles), torch.cos(angles)
    return pe[:, :d]
