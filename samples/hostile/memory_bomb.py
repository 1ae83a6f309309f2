# target: ch06/convmat.py
"""conv1d_matrix allocates without bound."""


def conv1d_matrix(h, d):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 2**20))
