"""Optimal discriminator written as the density ratio p/q."""


def optimal_discriminator():
    return p / q
