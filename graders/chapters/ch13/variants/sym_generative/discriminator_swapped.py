"""Optimal discriminator q/(p + q): the densities swapped."""


def optimal_discriminator():
    return "q/(p + q)"
