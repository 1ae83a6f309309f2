"""The encodings computed in torch's default float32 (torch.arange without a dtype), then cast to float64."""


def sinusoidal_pe(n_pos, d):
    if d % 2:
        raise ValueError("d should be even")
    n = torch.arange(n_pos)[:, None].float()
    i = torch.arange(d // 2).float()
    angles = n / 10000.0 ** (2 * i / d)
    pe = torch.empty(n_pos, d)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(angles), torch.cos(angles)
    return pe.double()
