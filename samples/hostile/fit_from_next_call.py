# target: ch06/optim.py
# attacks: ch06.optimizers
# outcome: loses-points
# at-most: 6
# message: after (momentum|recursive) step 1
"""A momentum_step that does not know the formula: it finds the batch its call came in (one
ctx.map of many steps) and answers each step with the next step's input state. Fed a
trajectory, where step k + 1 starts where step k should end, it would earn the points; the
checks draw every step's state independently, so it gains nothing."""
import sys

_honest_momentum_step = momentum_step  # noqa: F821 - the worked solution's, defined above this one


def _batch_of(theta):
    """The calls of the batch this call came in, and this call's index there (None outside one)."""
    frame = sys._getframe(1)
    while frame is not None:
        request = frame.f_locals.get("request")
        calls = request.get("calls") if isinstance(request, dict) else None
        if isinstance(calls, list):
            for index, call in enumerate(calls):
                args = call.get("args", []) if isinstance(call, dict) else []
                if args and args[0] is theta:
                    return calls, index
        frame = frame.f_back
    return None, None


def momentum_step(theta, V, grad, eta, beta):
    calls, index = _batch_of(theta)
    if calls is None or index + 1 >= len(calls):
        return theta, V  # no step taken: wrong, as a student who cannot derive it would be
    following = calls[index + 1]["args"]
    return following[0], following[1]
