"""The patch embedding applied to (P, P, C)-flattened patches (W_E read in channels-last order)."""


def vit_embed(img, W_E, cls, pos):
    B, C, H, W = img.shape
    P = math.isqrt(W_E.shape[0] // C)
    h, w = H // P, W // P
    patches = img.reshape(B, C, h, P, w, P).permute(0, 2, 4, 3, 5, 1).reshape(B, h * w, C * P * P)
    return torch.cat([cls.expand(B, 1, -1), patches @ W_E], dim=1) + pos
