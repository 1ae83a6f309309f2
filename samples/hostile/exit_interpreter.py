# target: ch06/optim.py
# attacks: ch06.optimizers
# outcome: loses-points
# statuses: crashed student_error passed
# message: exited \(status 0\)|called exit\(\) \(code 3\)
"""momentum_step ends the worker process (os._exit) and adam_step raises SystemExit."""
import os
import sys


def momentum_step(theta, V, grad, eta, beta):
    os._exit(0)


def adam_step(theta, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8):
    sys.exit(3)
