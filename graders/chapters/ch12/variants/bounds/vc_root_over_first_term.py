"""The VC square root over the capacity term only, ln(4/δ)/N left outside it."""


def vc_bound(emp, d_vc, N, delta):
    return emp + math.sqrt(d_vc * (math.log(2 * N / d_vc) + 1) / N) + math.log(4 / delta) / N
