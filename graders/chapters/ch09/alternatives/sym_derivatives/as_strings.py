"""Every answer as a string, in another algebraic form (a3 spelled 1 - a1 - a2, one common denominator)."""


def softmax_jacobian():
    a3 = "(1 - a1 - a2)"
    return (f"Matrix([[a1*(a2 + {a3}), -a1*a2, -a1*{a3}], [-a1*a2, a2*(1 - a2), -a2*{a3}], "
            f"[-a1*{a3}, -a2*{a3}, {a3}*(a1 + a2)]])")


def layer_norm_grad_diag():
    return "(n - 1 - y_i^2)/(n*sigma)"


def layer_norm_grad_offdiag():
    return "-1/(n*sigma) - y_i*y_j/(n*sigma)"


def score_variance():
    return "(s_q*s_k)**2*d"


def score_scale():
    return "d**(-1/2)"
