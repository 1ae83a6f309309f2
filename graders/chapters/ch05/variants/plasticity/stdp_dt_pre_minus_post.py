"""STDP with Δt = t_pre − t_post: the window mirrored (pre-before-post depresses)."""


def stdp_dw(dt, A_plus=0.01, A_minus=0.012, tau_plus=20.0, tau_minus=20.0):
    dt = -np.asarray(dt, dtype=float)
    return np.where(dt > 0, A_plus * np.exp(-dt / tau_plus), np.where(dt < 0, -A_minus * np.exp(dt / tau_minus), 0.0))
