# target: ch06/mlp.py
# attacks: ch06.mlp_backprop
# outcome: loses-points
# at-most: 0
# statuses: student_error
# message: mlp_forward raises NotImplementedError
"""A stub mlp_forward that reads the calls sent ahead with it: where the grader's stream hands
mlp_backward the cache the reference computed, it returns that cache as its own (and so earns
the gradient checks with an honest mlp_backward); where it finds none, it raises. The grader
must send a later call's arguments that come from an earlier answer as a reference to the
session's own answer, never the reference's value."""
import sys

import numpy as np


def _calls_sent_ahead():
    """The calls of the stream this call belongs to, found up the stack (none outside a stream)."""
    frame = sys._getframe(1)
    while frame is not None:
        request = frame.f_locals.get("request")
        if isinstance(request, dict) and isinstance(request.get("calls"), list):
            return request["calls"]
        frame = frame.f_back
    return []


def _same_params(a, b):
    try:
        return len(a) == len(b) and all(np.array_equal(W, V) and np.array_equal(c, d) for (W, c), (V, d) in zip(a, b))
    except (TypeError, ValueError):
        return False


def mlp_forward(params, X, act="relu", last_linear=False):
    for call in _calls_sent_ahead():
        items = call.get("calls", [call]) if isinstance(call, dict) else []
        for item in items:
            target, args = item.get("target", {}), item.get("args", [])
            if target.get("path") == ["mlp_backward"] and len(args) == 3 and _same_params(args[0], params):
                cache = args[1]
                if isinstance(cache, dict) and "o" in cache:
                    return cache
    raise NotImplementedError("mlp_forward is a stub")
