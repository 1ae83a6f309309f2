"""The identities typed as strings, expanded differently (the polynomial distance multiplied out)."""


def normalized_poly_kernel():
    return "((x*z + c)/sqrt((x**2 + c)*(z**2 + c)))**2"


def rbf_dist2():
    return "2*(1 - exp(-(x - z)**2/(2*sigma**2)))"


def poly_dist2():
    return "x**4 + z**4 - 2*x**2*z**2 + 2*c*x**2 + 2*c*z**2 - 4*c*x*z"
