"""Row-layout primal (XᵀX + λI)⁻¹Xy, given as a string: the shapes of the column layout do not fit."""


def ridge_primal():
    return "(X.T*X + lam*Identity(N))**(-1)*X*y"
