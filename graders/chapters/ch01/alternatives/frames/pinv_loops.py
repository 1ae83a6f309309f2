"""The dual frame as the transposed pseudo-inverse, the frame operator and analysis/synthesis as loops.

The dual as the transposed pseudo-inverse (Φ⁺)ᵀ, bounds from eigh of the frame operator built as Σ_k φ_kφ_kᵀ,
analysis and synthesis as sums over the frame vectors."""


def _frame_operator(Phi):
    S = np.zeros((Phi.shape[0], Phi.shape[0]))
    for k in range(Phi.shape[1]):
        S += np.outer(Phi[:, k], Phi[:, k])
    return S


def frame_bounds(Phi):
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    lam = np.linalg.eigh(_frame_operator(Phi))[0]
    return float(max(lam.min(), 0.0)), float(lam.max())


def canonical_dual(Phi):
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    _check_spans(Phi)
    return np.linalg.pinv(Phi).T


def analyze(Phi, f):
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    f = _check_signal(f, name="f", rows=Phi.shape[0], what="f.shape[0] == Phi.shape[0] (n)")
    return np.stack([Phi[:, k] @ f for k in range(Phi.shape[1])])


def synthesize(Phi_d, c):
    Phi_d = check_array(Phi_d, name="Phi_d", ndim=2, layout="(n, K)")
    c = _check_signal(c, name="c", rows=Phi_d.shape[1], what="c.shape[0] == Phi_d.shape[1] (K)")
    out = np.zeros((Phi_d.shape[0],) + c.shape[1:])
    for k in range(Phi_d.shape[1]):
        out += np.multiply.outer(Phi_d[:, k], c[k])
    return out


def is_tight(Phi, tol=1e-10):
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    tol = check_scalar(tol, name="tol", lo=0)
    lam = np.linalg.eigh(_frame_operator(Phi))[0]
    return bool(lam[0] > 0 and lam[-1] - lam[0] <= tol * lam[-1])
