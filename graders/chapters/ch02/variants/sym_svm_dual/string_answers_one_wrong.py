"""Every answer given as a string; only the margin is wrong (‖w‖/2 for 2/‖w‖)."""


def dual_objective():
    return "a1 + a2 + a3 - (5*a1**2 + a2**2 + 2*a3**2 - 2*a1*a2 - 2*a1*a3 - 2*a2*a3)/2"


def reduced_dual_objective():
    return "2*a2 + 2*a3 - (5*(a2 + a3)**2 + a2**2 + 2*a3**2 - 2*(a2 + a3)*a2 - 2*(a2 + a3)*a3 - 2*a2*a3)/2"


def primal_weight():
    return "a1*x1 - a2*x2 - a3*x3"


def decision_function():
    return "z1 + z2/2 - 3/2"


def margin():
    return "sqrt(5/4)/2"
