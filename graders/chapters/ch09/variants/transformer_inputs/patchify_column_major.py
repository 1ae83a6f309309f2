"""Patches taken in column-major order of the patch grid (down the columns first)."""


def patchify(img, P):
    B, C, H, W = img.shape
    if H % P or W % P:
        raise ValueError("P should divide H and W")
    h, w = H // P, W // P
    patches = img.reshape(B, C, h, P, w, P).permute(0, 4, 2, 1, 3, 5)
    return patches.reshape(B, h * w, C * P * P)
