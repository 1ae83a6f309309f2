"""Position embeddings added to the patches only (pos[:N]), the [CLS] token left without one."""


def vit_embed(img, W_E, cls, pos):
    B, C = img.shape[:2]
    P = math.isqrt(W_E.shape[0] // C)
    tokens = patchify(img, P) @ W_E + pos[:-1]
    return torch.cat([cls.expand(B, 1, -1), tokens], dim=1)
