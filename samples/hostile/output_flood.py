# target: ch06/convmat.py
"""diag_net_grads prints without end before answering."""


def diag_net_grads(w_diags, x, y):
    while True:
        print("spam " * 1000)
