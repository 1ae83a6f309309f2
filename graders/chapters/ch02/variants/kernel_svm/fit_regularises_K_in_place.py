"""kernel_svm_fit adds 1e-12·I to the caller's K in place ("for stability") before solving."""


def kernel_svm_fit(K, y, C):
    K += 1e-12 * np.eye(len(K))                           # modifies the caller's Gram matrix
    alpha = _svm_dual(K, y, float(C))
    s = K @ (alpha * y)
    return {"alpha": alpha, "b": _intercept(s, y, alpha, float(C))}
