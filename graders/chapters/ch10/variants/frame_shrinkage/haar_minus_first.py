"""Haar wavelets with − on the first half of the block and + on the second."""

_haar_plus_first = haar_matrix


def haar_matrix(N):
    H = _haar_plus_first(N)
    H[1:] *= -1
    return H
