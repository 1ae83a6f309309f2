# target: ch06/convmat.py
# attacks: ch06.conv_as_matrix
# outcome: loses-points
# statuses: timeout passed student_error
# message: time limit calling filter_grad|time budget
"""filter_grad forks without bound (each child forks too), then waits forever."""
import os
import time


def filter_grad(x, delta, p):
    while True:
        try:
            os.fork()
        except OSError:
            time.sleep(0.01)
