"""K_test read as (n, m), one column per test point: K_testᵀ (α ⊙ y) + b."""


def kernel_svm_decision(K_test, alpha, y, b):
    K_test = np.asarray(K_test, dtype=float)
    return K_test.T @ (np.asarray(alpha, dtype=float) * np.asarray(y, dtype=float)) + b
