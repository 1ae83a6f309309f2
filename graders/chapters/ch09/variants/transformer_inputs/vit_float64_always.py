"""Everything cast to float64: the dtype of float32 inputs is not kept."""


def vit_embed(img, W_E, cls, pos):
    img, W_E, cls, pos = (x.double() for x in (img, W_E, cls, pos))
    B, C = img.shape[:2]
    P = math.isqrt(W_E.shape[0] // C)
    return torch.cat([cls.expand(B, 1, -1), patchify(img, P) @ W_E], dim=1) + pos
