# target: ch06/variational.py
# attacks: ch06.variational_bp
# outcome: loses-points
# statuses: student_error passed
# message: local_ls_update raised (ConnectionRefusedError|OSError|TimeoutError|gaierror)
"""local_ls_update phones home: it connects to a TCP port on the host's loopback, sends the
grader's secrets, and returns whatever answer comes back (GEODL_TEST_PORT, default 45678)."""
import os
import socket


def local_ls_update(delta, o_prev):
    port = int(os.environ.get("GEODL_TEST_PORT", "45678"))
    with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
        conn.sendall(b"exfiltrated")
        return conn.recv(100)
