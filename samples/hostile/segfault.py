# target: ch06/mlp.py
"""mlp_backward crashes the interpreter with a segmentation fault."""
import ctypes


def mlp_backward(params, cache, Y):
    ctypes.string_at(0)
