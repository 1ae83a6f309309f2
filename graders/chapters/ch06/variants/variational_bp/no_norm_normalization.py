"""Local update without the ‖o‖² normalization: ΔW = −δoᵀ."""


def local_ls_update(delta, o_prev):
    return -np.outer(np.asarray(delta, dtype=float), np.asarray(o_prev, dtype=float))
