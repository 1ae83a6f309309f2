# target: ch06/convmat.py
# attacks: ch06.conv_as_matrix
# outcome: loses-points
# statuses: student_error passed
# message: ran out of memory \(the limit is 1024 MiB\)
"""conv1d_matrix allocates without bound."""


def conv1d_matrix(h, d):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 2**20))
