"""f″ without the chain-rule factor of cos 2x: 2 + 3 cos 2x."""


def pl_second_derivative():
    return 2 + 3 * sp.cos(2 * x)
