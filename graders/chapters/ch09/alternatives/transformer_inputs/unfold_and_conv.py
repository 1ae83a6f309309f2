"""patchify by Tensor.unfold along H then W; the patch embedding as a strided conv2d with W_E reshaped."""


def sinusoidal_pe(n_pos, d):
    if d % 2:
        raise ValueError("d should be even")
    pe = torch.empty(n_pos, d, dtype=torch.float64)
    for n in range(n_pos):
        for i in range(d // 2):
            angle = n / 10000 ** (2 * i / d)
            pe[n, 2 * i], pe[n, 2 * i + 1] = math.sin(angle), math.cos(angle)
    return pe


def patchify(img, P):
    B, C, H, W = img.shape
    if H % P or W % P:
        raise ValueError("P should divide H and W")
    patches = img.unfold(2, P, P).unfold(3, P, P)             # (B, C, h, w, P, P)
    return patches.permute(0, 2, 3, 1, 4, 5).reshape(B, -1, C * P * P)


def vit_embed(img, W_E, cls, pos):
    B, C, H, W = img.shape
    P = math.isqrt(W_E.shape[0] // C)
    if H % P or W % P:
        raise ValueError("P should divide H and W")
    D = W_E.shape[1]
    tokens = torch.nn.functional.conv2d(img, W_E.T.reshape(D, C, P, P), stride=P).flatten(2).transpose(1, 2)
    return torch.cat([cls.reshape(1, 1, D).repeat(B, 1, 1), tokens], dim=1) + pos
