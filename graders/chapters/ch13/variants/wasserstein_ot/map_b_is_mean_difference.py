"""Offset b = m2 − m1 instead of m2 − A m1."""

_map_right = gaussian_ot_map


def gaussian_ot_map(m1, S1, m2, S2):
    A, _ = _map_right(m1, S1, m2, S2)
    return A, np.asarray(m2, dtype=float) - np.asarray(m1, dtype=float)
