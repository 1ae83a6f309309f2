"""mf_embedding puts all of Σ in U: U = U_d Σ_d, V = V_d."""


def mf_embedding(A, d):
    left, sigma, right_t = np.linalg.svd(np.asarray(A, float))
    return left[:, :d] * sigma[:d], right_t[:d].T
