"""GAN conjugate with the sign flipped: f*(t) = log(1 − eᵗ) instead of −log(1 − eᵗ)."""

_gan_right = _gan


def _gan_wrong():
    f, f_conj, f_prime = _gan_right()
    return f, (lambda t: -f_conj(t)), f_prime


_GENERATORS["gan"] = _gan_wrong
