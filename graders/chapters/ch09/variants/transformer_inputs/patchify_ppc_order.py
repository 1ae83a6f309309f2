"""Each patch flattened in (P, P, C) order (channels last, as an HWC image) instead of (C, P, P)."""


def patchify(img, P):
    B, C, H, W = img.shape
    if H % P or W % P:
        raise ValueError("P should divide H and W")
    h, w = H // P, W // P
    patches = img.reshape(B, C, h, P, w, P).permute(0, 2, 4, 3, 5, 1)
    return patches.reshape(B, h * w, C * P * P)
