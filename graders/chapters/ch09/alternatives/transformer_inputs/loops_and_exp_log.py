"""The frequencies as exp(−2i·ln(10000)/d) (the PyTorch-tutorial form), patches cut with explicit loops,
the [CLS] row written into a preallocated tensor."""


def sinusoidal_pe(n_pos, d):
    if d % 2:
        raise ValueError("d should be even")
    position = torch.arange(n_pos, dtype=torch.float64).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(10000.0) / d))
    pe = torch.zeros(n_pos, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe


def patchify(img, P):
    B, C, H, W = img.shape
    if H % P or W % P:
        raise ValueError("P should divide H and W")
    rows = []
    for r in range(H // P):
        for s in range(W // P):
            rows.append(img[:, :, r * P:(r + 1) * P, s * P:(s + 1) * P].reshape(B, -1))
    return torch.stack(rows, dim=1)


def vit_embed(img, W_E, cls, pos):
    B, C, H, W = img.shape
    P = math.isqrt(W_E.shape[0] // C)
    if H % P or W % P:
        raise ValueError("P should divide H and W")
    tokens = patchify(img, P) @ W_E
    out = torch.empty(B, tokens.shape[1] + 1, W_E.shape[1], dtype=img.dtype)
    out[:, 0] = cls
    out[:, 1:] = tokens
    return out + pos
