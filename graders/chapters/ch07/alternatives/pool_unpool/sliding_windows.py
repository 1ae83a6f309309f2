"""Vectorised with sliding_window_view: the windows as a (..., Ho, Wo, k·k) array; the adjoint as a
sparse pooling matrix per axis (avgpool = A_H X A_Wᵀ, so its adjoint is A_Hᵀ Y A_W)."""


def _windows(x, k, s):
    v = np.lib.stride_tricks.sliding_window_view(np.asarray(x, float), (k, k), axis=(2, 3))[:, :, ::s, ::s]
    return v.reshape(*v.shape[:4], k * k)                        # (N, C, Ho, Wo, k·k)


def maxpool2d(x, k, s):
    W = np.shape(x)[3]
    win = _windows(x, k, s)
    local = win.argmax(axis=-1)
    Ho, Wo = win.shape[2:4]
    rows = s * np.arange(Ho)[:, None] + local // k
    cols = s * np.arange(Wo)[None, :] + local % k
    return win.max(axis=-1), (rows * W + cols).astype(np.int64)


def maxunpool2d(y, idx, out_hw):
    y, idx = np.asarray(y, float), np.asarray(idx, dtype=np.int64)
    N, C = y.shape[:2]
    x = np.zeros((N * C, out_hw[0] * out_hw[1]))
    x[np.arange(N * C)[:, None], idx.reshape(N * C, -1)] = y.reshape(N * C, -1)
    return x.reshape(N, C, *out_hw)


def avgpool2d(x, k, s):
    return _windows(x, k, s).mean(axis=-1)


def _pool_matrix(n, k, s):
    """(⌊(n − k)/s⌋ + 1, n): row i averages entries s·i .. s·i + k − 1 along one axis (1/k each)."""
    m = (n - k) // s + 1
    A = np.zeros((m, n))
    for i in range(m):
        A[i, s * i:s * i + k] = 1.0 / k
    return A


def avgpool2d_adjoint(y, k, s, in_hw):
    AH, AW = _pool_matrix(in_hw[0], k, s), _pool_matrix(in_hw[1], k, s)
    return np.einsum("ih,ncij,jw->nchw", AH, np.asarray(y, float), AW)
