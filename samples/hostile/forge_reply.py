# target: ch06/optim.py
# attacks: ch06.optimizers
# outcome: loses-points
# statuses: crashed passed
# message: malformed reply
"""adam_step writes its own 'reply' straight into every socket it can find: a forged full-marks
answer, then junk."""
import os
import struct


def adam_step(theta, m, v, grad, t, lr, b1=0.9, b2=0.999, eps=1e-8):
    for fd in range(3, 64):
        try:
            os.write(fd, struct.pack(">IB", 5, 1) + b"\xc1junk")  # a frame holding invalid msgpack
        except OSError:
            pass
    return theta, m, v
