# target: ch06/mlp.py
# attacks: ch06.mlp_backprop
# outcome: loses-points
# statuses: timeout
# message: exceeded the 3 s time limit calling mlp_forward\(|used up its 12 s time budget
"""mlp_forward never returns."""


def mlp_forward(params, X, act="relu", last_linear=False):
    while True:
        pass
