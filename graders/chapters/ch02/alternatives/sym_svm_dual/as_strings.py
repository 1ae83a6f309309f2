"""The answers typed out by hand as formula strings (expanded dual polynomials, 2/‖w‖ = 4√5/5)."""


def dual_objective():
    return "a1 + a2 + a3 - 5*a1**2/2 - a2**2/2 - a3**2 + a1*a2 + a1*a3 + a2*a3"


def reduced_dual_objective():
    return "2*(a2 + a3) - 2*a2**2 - 2*a2*a3 - 5*a3**2/2"


def primal_weight():
    return "a1*x1 - (a2*x2 + a3*x3)"


def decision_function():
    return "(2*z1 + z2 - 3)/2"


def margin():
    return "4*sqrt(5)/5"
