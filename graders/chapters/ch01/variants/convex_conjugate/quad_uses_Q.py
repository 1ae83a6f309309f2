"""The conjugate of ½xᵀQx written as ½uᵀQu instead of ½uᵀQ⁻¹u."""


def _conj_quad_Q(Q):
    Q = np.asarray(Q, dtype=float)

    def fstar(u):
        u = np.asarray(u, dtype=float)
        return _out(0.5 * np.einsum("...i,ij,...j->...", u, Q, u))

    return fstar


CONJUGATES["quad"] = _conj_quad_Q
