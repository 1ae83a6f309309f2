"""The three formulas as strings, rearranged: ½(σ² + μ² − 1) − log σ, 1/(1 + q/p), the W2² expanded."""


def gaussian_kl_term():
    return "(sigma^2 + mu^2 - 1)/2 - log(sigma)".replace("^", "**")


def optimal_discriminator():
    return "1/(1 + q/p)"


def w2_sq_gaussian_1d():
    return "m1**2 - 2*m1*m2 + m2**2 + s1**2 - 2*s1*s2 + s2**2"
