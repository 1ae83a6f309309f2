"""W X instead of X W, as a string (the shapes do not fit)."""


def gin_preactivation():
    return "W*((1 + eps)*Identity(n) + A)*X"
