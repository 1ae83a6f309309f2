"""Bias with the statistics sign E f̂(x0) − f(x0) = −λx0ᵀ(XXᵀ + λI)⁻¹β, not the book's."""

_reference_closed_form = ridge_bias_var


def ridge_bias_var(X, beta, sigma2, lam, x0):
    bias, var = _reference_closed_form(X, beta, sigma2, lam, x0)
    return -bias, var
