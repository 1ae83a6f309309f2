# target: ch06/mlp.py
# kind: class
# attacks: ch06.mlp_backprop
# outcome: loses-points
# message: malformed reply
"""mlp_forward writes, straight into its session's socket, a forged reply within the wire's
caps of old (a 250 MB frame: 250 lists of a million zeros) that would unpack, in the grader,
into 2 GB of list slots. The grader refuses it at its header (longer than the session's reply
limit) as a malformed reply; were it unpacked, the grading process would outgrow its memory
group and be killed, and this submission alone graded again, then recorded as an error. No
classmate's grading may be touched (tests/graders/batch)."""
import os
import stat
import struct


def mlp_forward(params, X, act="relu", last_linear=False):
    frame = bytearray(struct.pack(">IB", 3 + 250 * 1_000_005, 1) + b"\xdc" + (250).to_bytes(2, "big"))
    row = b"\xdd" + (1_000_000).to_bytes(4, "big") + bytes(1_000_000)
    for _ in range(250):
        frame += row
    for fd in range(3, 64):
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            with memoryview(frame) as view:
                sent = 0
                while sent < len(view):
                    sent += os.write(fd, view[sent:])
        except OSError:
            pass
    raise RuntimeError("the grader read the forged reply and lived")
