"""The decision function without the labels: Σ α_i k(x_i, x) + b."""


def kernel_svm_decision(K_test, alpha, y, b):
    return np.asarray(K_test, dtype=float) @ np.asarray(alpha, dtype=float) + b
