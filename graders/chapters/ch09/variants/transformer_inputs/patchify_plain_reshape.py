"""Patches made by a plain reshape of the image (contiguous runs of C·P·P values, not P×P squares)."""


def patchify(img, P):
    B, C, H, W = img.shape
    if H % P or W % P:
        raise ValueError("P should divide H and W")
    return img.reshape(B, (H // P) * (W // P), C * P * P)
