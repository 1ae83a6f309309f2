"""JS taken as the symmetrized KL ½KL(P ‖ Q) + ½KL(Q ‖ P) instead of the KLs to the mixture M."""


def js(P, Q):
    P, Q = _check_distributions(P, Q)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_pq = np.sum(np.where(P > 0, P * np.log(P / Q), 0.0))
        kl_qp = np.sum(np.where(Q > 0, Q * np.log(Q / P), 0.0))
    return float(0.5 * kl_pq + 0.5 * kl_qp)
