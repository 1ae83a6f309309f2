"""An image whose size P does not divide is cropped silently instead of raising ValueError."""


def patchify(img, P):
    B, C, H, W = img.shape
    h, w = H // P, W // P
    img = img[:, :, :h * P, :w * P]
    patches = img.reshape(B, C, h, P, w, P).permute(0, 2, 4, 1, 3, 5)
    return patches.reshape(B, h * w, C * P * P)
