"""The matrix gradients written another way: expanded products, transposes moved outside, .I for the inverse."""


def grad_quadratic_form():
    return B * x + B.T * x


def grad_trace_AXB():
    return (B * A).T


def grad_logdet():
    return X.T.I


def grad_least_squares():
    return A.T * A * w - A.T * b


def quad_minimizer():
    return S.I * c
