# target: ch06/mlp.py
# attacks: ch06.mlp_backprop
# outcome: loses-points
# statuses: failed
# message: ^not graded: imports torch, which ch06.mlp_backprop does not allow$
"""mlp_backward imports torch (which chapter 6 forbids) under a computed name that no static
scan can read, as a first step to handing the derivation to autograd."""

_honest_backward = mlp_backward  # noqa: F821 - the worked solution's, defined above this one


def mlp_backward(params, cache, Y):
    autograd = __import__("".join(["to", "rch"]))  # would be torch.autograd, were it allowed
    del autograd
    return _honest_backward(params, cache, Y)
