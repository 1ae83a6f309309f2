"""The hard threshold v·[|v| > λ] instead of the soft one."""


def soft_threshold():
    return v * (sp.sign(sp.Abs(v) - lam) + 1) / 2
