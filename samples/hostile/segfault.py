# target: ch06/mlp.py
# attacks: ch06.mlp_backprop
# outcome: loses-points
# statuses: crashed passed
# message: segmentation fault
"""mlp_backward crashes the interpreter with a segmentation fault."""
import ctypes


def mlp_backward(params, cache, Y):
    ctypes.string_at(0)
