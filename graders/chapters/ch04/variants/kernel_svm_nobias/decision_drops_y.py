"""Decision values Σ λ_j k(x_j, x): α = λ, the labels dropped."""


def ksvm_nobias_decision(K_test, lam, y):
    return np.asarray(K_test, dtype=float) @ np.asarray(lam, dtype=float)
