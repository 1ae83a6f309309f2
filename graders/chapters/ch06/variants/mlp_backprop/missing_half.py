"""Gradients of ‖y − o‖² without the ½ (a factor 2)."""

_reference_backward = mlp_backward


def mlp_backward(params, cache, Y):
    return [(2 * dW, 2 * db) for dW, db in _reference_backward(params, cache, Y)]
