# target: ch06/mlp.py
"""mlp_forward never returns."""


def mlp_forward(params, X, act="relu", last_linear=False):
    while True:
        pass
