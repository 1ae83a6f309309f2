"""The matrix gradients returned as formula strings (the docstring allows text), with Inverse and .T."""


def grad_quadratic_form():
    return "B*x + B.T*x"


def grad_trace_AXB():
    return "(B*A).T"


def grad_logdet():
    return "Inverse(X.T)"


def grad_least_squares():
    return "A.T*(A*w) - A.T*b"


def quad_minimizer():
    return "Inverse(S)*c"
