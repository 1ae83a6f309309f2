"""The last layer treated as linear: A = W1 D0 W0, D1 missing."""


def local_slope():
    return W1 * D0 * W0
