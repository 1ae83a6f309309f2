"""The p×p Gram matrix XᵀX for the kernel, as a string: −eᵀXᵀXe does not fit the shapes (N ≠ p)."""


def ntk_lyapunov_rate():
    return "-(e.T*X.T*X*e)"
