# target: ch06/mlp.py
# attacks: ch06.mlp_backprop
# outcome: full-marks
# statuses: passed
"""mlp_forward leaves a daemon process and a file behind, hoping the next submission meets them."""
import os
import subprocess
import sys

_reference_forward = mlp_forward
_planted = []


def mlp_forward(params, X, act="relu", last_linear=False):
    if not _planted:
        _plant()
        _planted.append(True)
    return _reference_forward(params, X, act, last_linear)


def _plant():
    with open("/tmp/left-behind.txt", "w") as fh:
        fh.write("I was here")
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            import time
            while True:
                time.sleep(1)
        os._exit(0)
    os.wait()
