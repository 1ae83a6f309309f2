"""The [CLS] token appended after the patches instead of put in front."""


def vit_embed(img, W_E, cls, pos):
    B, C = img.shape[:2]
    P = math.isqrt(W_E.shape[0] // C)
    tokens = patchify(img, P) @ W_E
    return torch.cat([tokens, cls.expand(B, 1, -1)], dim=1) + pos
