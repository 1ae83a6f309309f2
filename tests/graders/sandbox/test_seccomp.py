"""graders/sandbox/seccomp.py: the BPF program is well formed and its tables are the kernel's; loaded
into a process it denies what it lists (EPERM, clone3 ENOSYS, x32 killed) and allows the rest; and
inside a real bwrap worker no nested namespace, ptrace, mount or bpf works while numpy, torch
and threads do, and a chapter's forbidden package is not there at all."""
from __future__ import annotations

import errno
import os
import re
import signal
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from graders.sandbox import seccomp

pytestmark = pytest.mark.sandbox

MACHINE = seccomp.MACHINES.get(os.uname().machine.lower())
needs_known_arch = pytest.mark.skipif(MACHINE is None or not sys.platform.startswith("linux"),
                                      reason="the filter knows x86_64 and aarch64 Linux only")
HEADERS = {"x86_64": Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
           "aarch64": Path("/usr/include/asm-generic/unistd.h")}


# ============================================================================ the program itself
def test_the_program_checks_the_architecture_first_and_ends_in_returns():
    data = seccomp.program()
    assert len(data) % 8 == 0 and 0 < len(data) // 8 <= seccomp.BPF_MAXINSNS
    insns = [struct.unpack_from("=HBBI", data, i) for i in range(0, len(data), 8)]
    assert insns[0] == (seccomp.LD_W_ABS, 0, 0, seccomp.OFFSET_ARCH)
    assert insns[-1][0] == seccomp.RET_K
    for at, (code, jt, jf, _) in enumerate(insns):
        assert code in (seccomp.LD_W_ABS, seccomp.JEQ_K, seccomp.JGE_K, seccomp.JSET_K, seccomp.RET_K)
        if code != seccomp.RET_K and code != seccomp.LD_W_ABS:
            assert at + 1 + max(jt, jf) < len(insns), f"instruction {at} jumps past the end"
    returns = {k for code, _, _, k in insns if code == seccomp.RET_K}
    assert returns == {seccomp.SECCOMP_RET_ALLOW, seccomp.SECCOMP_RET_KILL_PROCESS,
                       seccomp.SECCOMP_RET_ERRNO | errno.EPERM, seccomp.SECCOMP_RET_ERRNO | errno.ENOSYS}
    text = "\n".join(seccomp.disassemble(data))
    assert f"jeq {seccomp.AUDIT_ARCH_X86_64:#x}" in text and f"jeq {seccomp.AUDIT_ARCH_AARCH64:#x}" in text


def test_the_assembler_refuses_what_it_cannot_encode():
    with pytest.raises(ValueError, match="undefined label"):
        seccomp.assemble([(seccomp.JEQ_K, 1, "nowhere", None), (seccomp.RET_K, 0, None, None)])
    far = [(seccomp.JEQ_K, 1, "end", None)] + [(seccomp.RET_K, 0, None, None)] * 300 + ["end",
                                                                                      (seccomp.RET_K, 0, None, None)]
    with pytest.raises(ValueError, match="out of range"):
        seccomp.assemble(far)
    with pytest.raises(ValueError, match="out of range"):  # backwards
        seccomp.assemble(["top", (seccomp.RET_K, 0, None, None), (seccomp.JEQ_K, 1, "top", None)])


@pytest.mark.parametrize("arch", sorted(seccomp.SYSCALLS))
def test_the_syscall_tables_are_the_kernels(arch):
    header = HEADERS[arch]
    if not header.exists():
        pytest.skip(f"{header} is not installed (Debian package linux-libc-dev)")
    defined = dict(re.findall(r"^#define __NR_(\w+)\s+(\d+)\s*$", header.read_text(), re.M))
    table = seccomp.SYSCALLS[arch]
    for name, number in table.items():
        assert int(defined[name]) == number, (arch, name)
    for name in seccomp.DENIED:
        assert name in table or name not in defined, f"{name} exists on {arch} but the filter has no number for it"


# ============================================================================ loaded into a process
LOADER = r'''
import ctypes, errno, json, os, sys, threading
program = bytes.fromhex(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]

class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

buffer = ctypes.create_string_buffer(program, len(program))
fprog = SockFprog(len(program) // 8, ctypes.addressof(buffer))
assert libc.prctl(38, 1, 0, 0, 0) == 0                                  # PR_SET_NO_NEW_PRIVS
if libc.prctl(22, 2, ctypes.addressof(fprog), 0, 0) != 0:               # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
    sys.exit(f"the kernel refused the filter: {os.strerror(ctypes.get_errno())}")

def raw(nr, *args):
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(nr), *(ctypes.c_long(a) for a in args))
    if result == 0 and nr == NR["clone"]:
        os._exit(0)  # a child the filter should not have let be born
    return result, ctypes.get_errno()

NR = json.loads(sys.argv[2])
out = {}
if sys.argv[3] == "x32":
    raw(NR["getpid"] | 0x40000000)
    sys.exit("an x32 system call came back")
out["unshare_user"] = raw(NR["unshare"], 0x10000000)
out["unshare_files"] = raw(NR["unshare"], 0x400)                    # even a harmless unshare
out["clone_user"] = raw(NR["clone"], 0x10000000 | 17, 0, 0, 0, 0)
out["clone_net"] = raw(NR["clone"], 0x40000000 | 17, 0, 0, 0, 0)
out["clone3"] = raw(NR["clone3"], 0, 0)
out["mount"] = raw(NR["mount"], 0, 0, 0, 0, 0)
out["ptrace"] = raw(NR["ptrace"], 16, os.getppid(), 0, 0)
out["bpf"] = raw(NR["bpf"], 0, 0, 0)
out["keyctl"] = raw(NR["keyctl"], 0, 0, 0, 0, 0)
out["userfaultfd"] = raw(NR["userfaultfd"], 0)
out["perf_event_open"] = raw(NR["perf_event_open"], 0, 0, -1, -1, 0)
out["io_uring_setup"] = raw(NR["io_uring_setup"], 1, 0)
out["personality_norandom"] = raw(NR["personality"], 0x0040000)
out["personality_query"] = raw(NR["personality"], 0xFFFFFFFF)
out["personality_default"] = raw(NR["personality"], 0)
out["getpid"] = [os.getpid(), 0]
seen = []
threads = [threading.Thread(target=seen.append, args=(i,)) for i in range(4)]
for t in threads: t.start()
for t in threads: t.join()
out["threads"] = [sorted(seen), 0]
child = os.fork()
if child == 0:
    os._exit(3)
out["fork"] = [os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]), 0]
import subprocess
out["subprocess"] = [subprocess.run(["/bin/sh", "-c", "exit 5"]).returncode, 0]
print(json.dumps(out))
'''


def _nr() -> dict:
    numbers = dict(seccomp.SYSCALLS[MACHINE])
    numbers["getpid"] = {"x86_64": 39, "aarch64": 172}[MACHINE]
    return numbers


def _run_filtered(mode: str) -> subprocess.CompletedProcess:
    import json
    return subprocess.run([sys.executable, "-c", LOADER, seccomp.program().hex(), json.dumps(_nr()), mode],
                          capture_output=True, text=True, timeout=60)


@needs_known_arch
def test_a_filtered_process_is_denied_the_listed_calls_and_keeps_the_rest():
    import json
    run = _run_filtered("calls")
    assert run.returncode == 0, run.stderr
    got = {name: tuple(value) for name, value in json.loads(run.stdout).items()}
    for name in ("unshare_user", "unshare_files", "clone_user", "clone_net", "mount", "ptrace", "bpf", "keyctl",
                 "userfaultfd", "perf_event_open", "io_uring_setup", "personality_norandom"):
        assert got[name] == (-1, errno.EPERM), (name, got[name])
    assert got["clone3"] == (-1, errno.ENOSYS)  # so that glibc falls back to clone
    assert got["personality_query"][0] == 0 and got["personality_default"][0] == 0
    assert got["getpid"][0] > 0 and got["threads"][0] == [0, 1, 2, 3]
    assert got["fork"][0] == 3 and got["subprocess"][0] == 5


@needs_known_arch
def test_an_x32_system_call_kills_the_process():
    if MACHINE != "x86_64":
        pytest.skip("the x32 ABI exists on x86_64 only")
    run = _run_filtered("x32")
    assert run.returncode == -signal.SIGSYS, (run.returncode, run.stderr)


# ============================================================================ inside a real worker
PROBE = b'''
import ctypes, os, threading

libc = ctypes.CDLL(None, use_errno=True)


def _errno_of(result):
    return 0 if result == 0 else ctypes.get_errno()


def escapes():
    """The errno of each attempt (0: it worked)."""
    out = {}
    unshare = getattr(os, "unshare", None)
    if unshare is not None:  # Python 3.12
        try:
            unshare(os.CLONE_NEWUSER)
            out["os.unshare"] = 0
        except OSError as exc:
            out["os.unshare"] = exc.errno
    out["unshare(CLONE_NEWUSER)"] = _errno_of(libc.unshare(0x10000000))
    out["unshare(CLONE_NEWUSER|CLONE_NEWNS)"] = _errno_of(libc.unshare(0x10020000))
    out["ptrace(PTRACE_ATTACH)"] = _errno_of(libc.ptrace(ctypes.c_long(16), ctypes.c_long(os.getppid()), None, None))
    out["ptrace(PTRACE_TRACEME)"] = _errno_of(libc.ptrace(ctypes.c_long(0), ctypes.c_long(0), None, None))
    out["mount"] = _errno_of(libc.mount(b"none", b"/tmp", b"tmpfs", ctypes.c_ulong(0), None))
    bpf = {"x86_64": 321, "aarch64": 280}.get(os.uname().machine)
    if bpf is not None:
        out["bpf"] = _errno_of(libc.syscall(ctypes.c_long(bpf), ctypes.c_long(0), None, ctypes.c_long(0)))
    status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
    out["seccomp mode"] = int(status["Seccomp"])
    return out


def numerics():
    import numpy as np
    seen = []
    threads = [threading.Thread(target=lambda i=i: seen.append(float(np.linalg.norm(np.full(4, i))))) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    a = np.random.default_rng(0).standard_normal((200, 200))
    return {"threads": sorted(seen), "solve": float(np.abs(np.linalg.solve(a, a) - np.eye(200)).max())}


def with_torch(threads):
    import torch
    torch.set_num_threads(threads)  # an intra-op pool of real threads: pthread_create past the filter
    x = torch.randn(256, 256, dtype=torch.float64, requires_grad=True)
    (x @ x).sum().backward()
    # d/dX of 1'XX1 is 1(X1)' + (X'1)1': its entries sum to 2 n sum(X)
    return {"threads": torch.get_num_threads(), "grad": float(x.grad.sum()), "expected": 2 * 256 * float(x.sum())}


def only_threads():
    seen = []
    threads = [threading.Thread(target=seen.append, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return seen


def only_solve():
    import numpy as np
    a = np.random.default_rng(0).standard_normal((200, 200))
    return float(np.abs(np.linalg.solve(a, a) - np.eye(200)).max())


def import_torch_unhooked():
    import sys
    sys.meta_path[:] = [f for f in sys.meta_path
                        if getattr(f, "__module__", "") in ("_frozen_importlib", "_frozen_importlib_external")]
    try:
        __import__("to" + "rch")
    except ImportError as exc:
        return f"{type(exc).__name__}: {exc}"
    return "imported"
'''


def _worker(packages, slot, *, syscall_filter=True):
    from graders.grading.client import Worker
    from graders.sandbox import WorkerOptions
    from graders.sandbox.bwrap import BwrapSandbox
    sandbox = BwrapSandbox(syscall_filter=syscall_filter)
    reason = sandbox.unavailable_reason()
    if reason:
        pytest.skip(f"the bwrap sandbox cannot run here: {reason}")
    worker = Worker(sandbox, options=WorkerOptions(preload=("numpy",), packages=packages), slot=slot)
    worker.start()
    return worker


def _call(worker, function, *args, timeout_s=60):
    session = worker.open_session()
    try:
        assert session.request("load", {"files": {"ch99/probe.py": PROBE}}, timeout_s=10).ok
        assert session.request("import", {"module": "ch99.probe"}, timeout_s=30).ok
        reply = session.request("call", {"target": {"module": "ch99.probe", "path": [function]}, "args": list(args)},
                                timeout_s=timeout_s)
    finally:
        session.close()
    assert reply.ok, reply.error
    return reply.value


@pytest.fixture(scope="module")
def torch_worker():
    """A bwrap worker of a chapter that allows torch (every worker distribution bound)."""
    worker = _worker(("numpy", "scipy", "torch", "sympy", "msgpack"), slot=12)
    yield worker
    worker.stop()


@needs_known_arch
def test_no_namespace_ptrace_mount_or_bpf_inside_a_worker(torch_worker):
    got = _call(torch_worker, "escapes")
    assert got.pop("seccomp mode") == 2, "the worker runs without a seccomp filter"
    assert got and all(value == errno.EPERM for value in got.values()), got
    assert "no seccomp filter" not in torch_worker.process.limits_note


@needs_known_arch
def test_numpy_torch_and_threads_work_under_the_filter(torch_worker):
    got = _call(torch_worker, "numerics")
    assert got["threads"] == [0.0, 2.0, 4.0, 6.0] and got["solve"] < 1e-8
    got = _call(torch_worker, "with_torch", 4)
    assert got["threads"] == 4 and abs(got["grad"] - got["expected"]) < 1e-6 * max(1.0, abs(got["expected"]))
    assert _call(torch_worker, "import_torch_unhooked") == "imported"  # allowed here: it is in the sandbox


def test_without_the_filter_a_user_namespace_can_be_made():
    """What the filter is for: the same probe, unfiltered, as root (a per-slot uid, no capability)
    makes a user namespace, where it would hold every capability."""
    if os.geteuid() != 0:
        pytest.skip("unprivileged, bubblewrap's --disable-userns already forbids nested user namespaces")
    worker = _worker(None, slot=13, syscall_filter=False)
    try:
        got = _call(worker, "escapes")
        assert "no seccomp filter" in worker.process.limits_note
    finally:
        worker.stop()
    assert got["seccomp mode"] == 0
    if got["unshare(CLONE_NEWUSER)"] != 0:
        pytest.skip(f"this host allows no unprivileged user namespaces anyway (errno {got['unshare(CLONE_NEWUSER)']})")


def test_a_package_every_exercise_forbids_is_not_in_the_sandbox():
    from graders.chapters import load_chapter
    ch06 = load_chapter("ch06")
    assert "torch" not in ch06.sandbox_packages
    worker = _worker(ch06.sandbox_packages, slot=14)
    try:
        got = _call(worker, "import_torch_unhooked")
        assert _call(worker, "numerics")["threads"] == [0.0, 2.0, 4.0, 6.0]
    finally:
        worker.stop()
    assert got == "ModuleNotFoundError: No module named 'torch'"
