# target: ch06/convmat.py
# attacks: ch06.conv_as_matrix
# outcome: loses-points
# statuses: student_error passed
# message: diag_net_grads raised OSError: .*File too large
"""diag_net_grads prints without end before answering."""


def diag_net_grads(w_diags, x, y):
    while True:
        print("spam " * 1000)
