"""The bwrap sandbox's seccomp filter: a classic-BPF program, assembled here in pure Python (no
libseccomp), that bubblewrap installs (``--seccomp FD``) just before it runs the worker.

What it does, for every system call of every process and thread of the sandbox:

* an architecture other than x86_64 or aarch64 (the i386 ABI of an x86_64 kernel, arm32 of an
  aarch64 one), or an x86_64 call made through the x32 ABI (its number has bit 30 set), **kills**
  the process (``SECCOMP_RET_KILL_PROCESS``): the deny list below names system calls by their
  x86_64/aarch64 numbers, and another ABI numbers them otherwise;
* the calls of :data:`DENIED` fail with ``EPERM`` (Python raises a clean ``PermissionError``);
* ``clone`` fails with ``EPERM`` when its flags (its first argument on both architectures) ask for
  any new namespace (:data:`NAMESPACE_FLAGS`); ``clone3`` passes its flags in a struct that a
  filter cannot read, so it fails with ``ENOSYS``, and glibc (``pthread_create``, ``posix_spawn``)
  falls back to ``clone``;
* ``personality`` is allowed only to query the persona (``0xffffffff``) or set the default one
  (``PER_LINUX``, 0): nothing can turn address-space randomisation off (``ADDR_NO_RANDOMIZE``);
* every other call is allowed.

The sandbox already drops every capability, so most of these calls would fail anyway; the filter
keeps student code from the kernel code behind them (a user namespace, from which a process gets
the capabilities it otherwise lacks, is the main one: ``unshare(CLONE_NEWUSER)``), and holds where
the capability checks do not (``ptrace`` and ``process_vm_readv`` of a same-uid process, ``bpf``
and ``perf_event_open`` where the host's sysctls allow them unprivileged, ``userfaultfd``,
``io_uring``).

Allowed calls cost a dozen BPF instructions: the filter finds a call's number by a binary
search over the calls it treats specially (about 20 to 40 ns a system call on the x86_64 host it
was measured on; no measurable change in a warden's start or a session's round trip). On kernels
before 5.16, whose default ``spec_store_bypass_disable=seccomp`` turns speculative-store-bypass
mitigations on for every filtered process, compute in the sandbox may be slower too: measure there
(``/sys/devices/system/cpu/vulnerabilities/spec_store_bypass`` says which applies).

:func:`program` returns the program as bubblewrap reads it (``struct sock_filter[]``, 8 bytes an
instruction, native byte order).
"""
from __future__ import annotations

import errno
import functools
import platform
import struct

# -- struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
OFFSET_NR = 0
OFFSET_ARCH = 4
OFFSET_ARG0_LOW = 16      # the low 32 bits of args[0] (both architectures are little-endian)

AUDIT_ARCH_X86_64 = 0xC000003E
AUDIT_ARCH_AARCH64 = 0xC00000B7
X32_SYSCALL_BIT = 0x40000000
NO_SYSCALL = 0xFFFFFFFF   # syscall(-1): no call; the kernel answers ENOSYS

SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000

# -- classic BPF opcodes (linux/filter.h, linux/bpf_common.h)
LD_W_ABS = 0x20           # BPF_LD | BPF_W | BPF_ABS:  A = seccomp_data[k]
JEQ_K = 0x15              # BPF_JMP | BPF_JEQ | BPF_K:  A == k ? jt : jf
JGE_K = 0x35              # BPF_JMP | BPF_JGE | BPF_K:  A >= k ? jt : jf
JSET_K = 0x45             # BPF_JMP | BPF_JSET | BPF_K: A & k ? jt : jf
RET_K = 0x06              # BPF_RET | BPF_K:            return k
BPF_MAXINSNS = 4096

#: clone's namespace flags: CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
#: CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET. (CLONE_NEWTIME exists only for clone3 and unshare:
#: in clone's flags its bit is part of the exit signal.)
NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000
#: personality(2) arguments allowed: query the persona, or set the default one (PER_LINUX).
PERSONALITY_QUERY = 0xFFFFFFFF
PER_LINUX = 0

#: System calls that fail with EPERM, each for what it would give student code.
DENIED = (
    "unshare", "setns",                                          # new or other namespaces
    "mount", "umount2", "pivot_root", "chroot",                  # the file system's shape
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",  # the new mount API
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",  # other processes' memory and files
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",  # the kernel itself
    "keyctl", "add_key", "request_key",                          # the kernel keyrings
    "bpf", "perf_event_open", "userfaultfd",                     # kernel attack surface
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "open_by_handle_at", "name_to_handle_at",                    # files by handle, past the mount tree
    "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "lookup_dcookie", "fanotify_init",
    "iopl", "ioperm",                                            # I/O ports (x86_64 only)
)

#: System call numbers (x86_64: arch/x86/entry/syscalls/syscall_64.tbl; aarch64: the generic
#: table, include/uapi/asm-generic/unistd.h) of the calls the filter treats specially.
SYSCALLS: dict[str, dict[str, int]] = {
    "x86_64": {
        "clone": 56, "clone3": 435, "personality": 135,
        "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161,
        "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
        "mount_setattr": 442, "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
        "pidfd_getfd": 438, "kexec_load": 246, "kexec_file_load": 320, "init_module": 175, "finit_module": 313,
        "delete_module": 176, "reboot": 169, "keyctl": 250, "add_key": 248, "request_key": 249, "bpf": 321,
        "perf_event_open": 298, "userfaultfd": 323, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "open_by_handle_at": 304, "name_to_handle_at": 303, "swapon": 167,
        "swapoff": 168, "acct": 163, "quotactl": 179, "quotactl_fd": 443, "lookup_dcookie": 212,
        "fanotify_init": 300, "iopl": 172, "ioperm": 173,
    },
    "aarch64": {
        "clone": 220, "clone3": 435, "personality": 92,
        "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51,
        "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
        "mount_setattr": 442, "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "kcmp": 272,
        "pidfd_getfd": 438, "kexec_load": 104, "kexec_file_load": 294, "init_module": 105, "finit_module": 273,
        "delete_module": 106, "reboot": 142, "keyctl": 219, "add_key": 217, "request_key": 218, "bpf": 280,
        "perf_event_open": 241, "userfaultfd": 282, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "open_by_handle_at": 265, "name_to_handle_at": 264, "swapon": 224,
        "swapoff": 225, "acct": 89, "quotactl": 60, "quotactl_fd": 443, "lookup_dcookie": 18,
        "fanotify_init": 262,
    },
}
AUDIT_ARCH = {"x86_64": AUDIT_ARCH_X86_64, "aarch64": AUDIT_ARCH_AARCH64}
#: platform.machine() names of the architectures the filter knows.
MACHINES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


def unsupported_reason(machine: str | None = None) -> str | None:
    """``None`` where the filter knows this machine's system calls, else why not."""
    machine = machine or platform.machine()
    if machine.lower() not in MACHINES:
        return f"no seccomp filter for the {machine} architecture (only x86_64 and aarch64)"
    return None


@functools.lru_cache(maxsize=None)
def program() -> bytes:
    """The filter as bubblewrap's ``--seccomp FD`` reads it: ``struct sock_filter[]`` as bytes."""
    return b"".join(struct.pack("=HBBI", code, jt, jf, k) for code, jt, jf, k in assemble(_source()))


# ============================================================================ the program
#: An instruction with symbolic jumps: (opcode, k, jump-if-true label, jump-if-false label); a
#: label (a ``str``) in a program's source names the instruction after it.
Insn = tuple[int, int, str | None, str | None]


def _source() -> list:
    """The program, with symbolic jump targets (labels) instead of offsets."""
    out: list = [(LD_W_ABS, OFFSET_ARCH, None, None)]
    for arch in SYSCALLS:
        out.append((JEQ_K, AUDIT_ARCH[arch], arch, None))
    out.append((RET_K, SECCOMP_RET_KILL_PROCESS, None, None))
    for arch, numbers in SYSCALLS.items():
        out += [arch, (LD_W_ABS, OFFSET_NR, None, None)]
        if arch == "x86_64":
            out.append((JGE_K, X32_SYSCALL_BIT, "x32", None))
        rules = {numbers[name]: "eperm" for name in DENIED if name in numbers}
        rules[numbers["clone"]] = "clone"
        rules[numbers["clone3"]] = "enosys"
        rules[numbers["personality"]] = "personality"
        _search(out, sorted(rules.items()), f"{arch}.")
    out += [
        "clone",                                          # clone(flags, ...): no namespace flag
        (LD_W_ABS, OFFSET_ARG0_LOW, None, None),
        (JSET_K, NAMESPACE_FLAGS, "eperm", "allow"),
        "personality",                                    # personality(persona): query or default only
        (LD_W_ABS, OFFSET_ARG0_LOW, None, None),
        (JEQ_K, PERSONALITY_QUERY, "allow", None),
        (JEQ_K, PER_LINUX, "allow", "eperm"),
        "x32",                                            # x32 ABI (or -1, no call at all: ENOSYS)
        (JEQ_K, NO_SYSCALL, "allow", "kill"),
        "allow", (RET_K, SECCOMP_RET_ALLOW, None, None),
        "eperm", (RET_K, SECCOMP_RET_ERRNO | errno.EPERM, None, None),
        "enosys", (RET_K, SECCOMP_RET_ERRNO | errno.ENOSYS, None, None),
        "kill", (RET_K, SECCOMP_RET_KILL_PROCESS, None, None),
    ]
    return out


def _search(out: list, rules: list[tuple[int, str]], prefix: str) -> None:
    """Emit a binary search of the call number (in A) over ``rules`` (sorted ``(number, label)``):
    a call found jumps to its label, any other is allowed."""
    if len(rules) <= 4:
        out += [(JEQ_K, number, label, None) for number, label in rules]
        out.append((RET_K, SECCOMP_RET_ALLOW, None, None))
        return
    middle = len(rules) // 2
    upper = f"{prefix}{rules[middle][0]}"
    out.append((JGE_K, rules[middle][0], upper, None))
    _search(out, rules[:middle], prefix)
    out.append(upper)
    _search(out, rules[middle:], prefix)


def assemble(source: list) -> list[tuple[int, int, int, int]]:
    """Resolve labels into jump offsets: ``(code, jt, jf, k)`` per instruction. A conditional
    jump reaches at most 255 instructions ahead; one that would go further, or backwards, or to
    an unknown label, raises ``ValueError``."""
    labels: dict[str, int] = {}
    insns: list[Insn] = []
    for item in source:
        if isinstance(item, str):
            if item in labels:
                raise ValueError(f"label {item!r} defined twice")
            labels[item] = len(insns)
        else:
            insns.append(item)
    if not 0 < len(insns) <= BPF_MAXINSNS:
        raise ValueError(f"a seccomp program has 1 to {BPF_MAXINSNS} instructions, not {len(insns)}")

    def offset(at: int, label: str | None) -> int:
        if label is None:
            return 0
        if label not in labels:
            raise ValueError(f"jump to an undefined label {label!r}")
        jump = labels[label] - at - 1
        if not 0 <= jump <= 255:
            raise ValueError(f"jump from instruction {at} to {label!r} is {jump} instructions: out of range")
        return jump

    return [(code, offset(at, jt), offset(at, jf), k & 0xFFFFFFFF) for at, (code, k, jt, jf) in enumerate(insns)]


def disassemble(data: bytes) -> list[str]:
    """The program as text, one instruction a line (for reading it and for tests)."""
    names = {LD_W_ABS: "ld", JEQ_K: "jeq", JGE_K: "jge", JSET_K: "jset", RET_K: "ret"}
    lines = []
    for at in range(len(data) // 8):
        code, jt, jf, k = struct.unpack_from("=HBBI", data, at * 8)
        name = names.get(code, f"op{code:#x}")
        if code in (JEQ_K, JGE_K, JSET_K):
            lines.append(f"{at:4d} {name} {k:#x} -> {at + 1 + jt} : {at + 1 + jf}")
        else:
            lines.append(f"{at:4d} {name} {k:#x}")
    return lines
