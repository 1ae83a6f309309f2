"""Frame bounds from the singular values of Φ (σ²), the dual with an explicit inverse, einsum analysis/synthesis."""


def frame_bounds(Phi):
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    n, K = Phi.shape
    s = np.linalg.svd(Phi, compute_uv=False)
    squared = np.concatenate([s**2, np.zeros(max(0, n - K))])   # n eigenvalues of ΦΦᵀ (zeros when K < n)
    return max(float(squared.min()), 0.0), float(squared.max())


def canonical_dual(Phi):
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    _check_spans(Phi)
    return np.linalg.inv(Phi @ Phi.T) @ Phi


def analyze(Phi, f):
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    f = _check_signal(f, name="f", rows=Phi.shape[0], what="f.shape[0] == Phi.shape[0] (n)")
    return np.einsum("nk,n...->k...", Phi, f)


def synthesize(Phi_d, c):
    Phi_d = check_array(Phi_d, name="Phi_d", ndim=2, layout="(n, K)")
    c = _check_signal(c, name="c", rows=Phi_d.shape[1], what="c.shape[0] == Phi_d.shape[1] (K)")
    return np.einsum("nk,k...->n...", Phi_d, c)


def is_tight(Phi, tol=1e-10):
    Phi = check_array(Phi, name="Phi", ndim=2, layout="(n, K)")
    tol = check_scalar(tol, name="tol", lo=0)
    alpha, beta = frame_bounds(Phi)
    return bool(alpha > 0 and beta - alpha <= tol * beta)
