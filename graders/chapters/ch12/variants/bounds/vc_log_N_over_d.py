"""ln(N/d) in the VC bound where Vapnik's form has ln(2N/d)."""


def vc_bound(emp, d_vc, N, delta):
    return emp + math.sqrt((d_vc * (math.log(N / d_vc) + 1) + math.log(4 / delta)) / N)
