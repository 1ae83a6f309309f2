"""Every answer given as a string (with @, .T and inv()); only the log-det one is wrong (inv(X), not transposed)."""


def grad_quadratic_form():
    return "(B + B.T) @ x"


def grad_trace_AXB():
    return "A.T @ B.T"


def grad_logdet():
    return "inv(X)"


def grad_least_squares():
    return "A.T @ A @ w - A.T @ b"


def quad_minimizer():
    return "Inverse(S) @ c"
