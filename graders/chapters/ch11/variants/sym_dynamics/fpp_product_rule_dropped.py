"""Product rule dropped in (6 sin x cos x)′, as a string: 2 + 6 cos²x."""


def pl_second_derivative():
    return "2 + 6*cos(x)**2"
