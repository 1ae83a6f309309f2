# target: ch06/optim.py
# kind: single
# attacks: ch06.optimizers
# outcome: loses-points
# statuses: failed passed
# message: minibatch_grad
"""minibatch_grad first tries to leave the sandbox's confinement: a user namespace of its own
with a mount namespace (``unshare(CLONE_NEWUSER | CLONE_NEWNS)``, where it would hold every
capability), a child in new namespaces (``clone`` with namespace flags), and ``ptrace`` of its
parent (the warden). Its answer is right only if one of them worked, so full marks would mean
an escape; the sandbox's seccomp filter makes each fail with EPERM, and the answers are wrong."""
import ctypes
import os

_ESCAPED = None


def _escaped():
    """Whether any attempt worked; what each returned is printed (the check's output shows it)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    clone_user, clone_newns, sigchld = 0x10000000, 0x00020000, 17
    worked = []
    result = libc.unshare(clone_user | clone_newns)
    print("unshare(CLONE_NEWUSER|CLONE_NEWNS):", result, os.strerror(ctypes.get_errno()))
    worked.append(result == 0)
    clone = {"x86_64": 56, "aarch64": 220}.get(os.uname().machine)
    if clone is not None:
        flags = clone_user | clone_newns | 0x20000000 | 0x40000000 | sigchld  # user, mount, PID, net
        pid = libc.syscall(ctypes.c_long(clone), ctypes.c_long(flags), ctypes.c_long(0), ctypes.c_long(0),
                           ctypes.c_long(0), ctypes.c_long(0))
        if pid == 0:  # the child, in its new namespaces
            os._exit(0)
        print("clone(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWNET):", pid, os.strerror(ctypes.get_errno()))
        if pid > 0:
            os.waitpid(pid, 0)
        worked.append(pid > 0)
    parent = os.getppid()
    result = libc.ptrace(ctypes.c_long(16), ctypes.c_long(parent), None, None)  # PTRACE_ATTACH
    print(f"ptrace(PTRACE_ATTACH, {parent}):", result, os.strerror(ctypes.get_errno()))
    if result == 0:
        libc.ptrace(ctypes.c_long(17), ctypes.c_long(parent), None, None)  # PTRACE_DETACH
    worked.append(result == 0)
    return any(worked)


_honest_minibatch_grad = minibatch_grad  # noqa: F821 - the worked solution's, defined above this one


def minibatch_grad(per_sample_grads, idx):
    global _ESCAPED
    if _ESCAPED is None:
        _ESCAPED = _escaped()
    answer = _honest_minibatch_grad(per_sample_grads, idx)
    return answer if _ESCAPED else answer + 1.0
