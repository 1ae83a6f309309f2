# target: ch06/variational.py
# kind: single
# attacks: ch06.variational_bp
# outcome: loses-points
# statuses: timeout passed
# message: exceeded the 3 s time limit calling local_ls_update
"""local_ls_update computes the right answer, sends it itself as the reply of the running call
claiming the call took 10^9 s (so that a grader that trusts the session's durations thinks the
next call began 10^9 s later, and waits that long), then sleeps for ever."""
import sys
import time

_honest_local_ls_update = local_ls_update  # noqa: F821 - the worked solution's, defined above this append


def _session_and_request():
    """The session server serving this call and the request it is answering (its id is the one a
    reply must carry), found up the stack."""
    frame = sys._getframe(1)
    while frame is not None:
        server, request = frame.f_locals.get("self"), frame.f_locals.get("request")
        if hasattr(server, "encoder") and hasattr(server, "sock") and isinstance(request, dict) and "id" in request:
            return server, request
        frame = frame.f_back
    return None, None


def local_ls_update(delta, o_prev):
    value = _honest_local_ls_update(delta, o_prev)
    server, request = _session_and_request()
    if server is not None:
        wire = sys.modules[type(server).__module__].wire
        reply = {"id": request["id"], "ok": True, "value": value, "duration_s": 1e9, "output": ""}
        try:
            server.sock.sendall(wire.frame(wire.SESSION, server.encoder.encode(reply)))
        except OSError:
            pass
    while True:
        time.sleep(3600)
