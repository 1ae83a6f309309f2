# target: ch06/mlp.py
# kind: single
# attacks: ch06.mlp_backprop
# outcome: loses-points
# statuses: student_error
# message: No module named 'torch'
"""The module takes every import hook that is not Python's own (the worker's ban on torch
among them) out of sys.meta_path, then imports torch under a computed name that no static scan
can read, to hand mlp_backward's derivation to autograd. Chapter 6 forbids torch in every
exercise, so no file of torch is in its sandbox: the import fails whatever the student's code
does to the import system, and the module cannot be imported at all."""
import sys

sys.meta_path[:] = [finder for finder in sys.meta_path
                    if getattr(finder, "__module__", "") in ("_frozen_importlib", "_frozen_importlib_external")]
_autograd = __import__("".join(["to", "rch"])).autograd  # would be torch.autograd, were it there

_honest_backward = mlp_backward  # noqa: F821 - the worked solution's, defined above this one


def mlp_backward(params, cache, Y):
    return _honest_backward(params, cache, Y)  # a first step; autograd would do the rest
