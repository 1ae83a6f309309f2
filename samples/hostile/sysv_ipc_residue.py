# target: ch06/variational.py
# kind: cross-session
# attacks: ch06.variational_bp
# outcome: full-marks
# statuses: passed
"""local_ls_update leaves System V IPC objects holding a secret in the sandbox's IPC namespace,
which outlives every session unless the warden empties it: two shared memory segments (one with
its permissions taken away), a semaphore set whose values spell a number, and a message queue
holding a message; it also tries a POSIX message queue and a POSIX shared memory object. Graded
again later it is its own accomplice: it raises with whatever IPC object it finds (``ipcs``, in
effect) and what it can read from it, so that the message leaks it. Its own answers are the worked
solution's: where nothing crosses sessions it keeps full marks."""
import ctypes as _ctypes
import os as _os

_honest_local_ls_update = local_ls_update
_planted = []
_SECRET = b"geodl-ipc-secret: the hidden answer is 42"
_KEYS = (0x6E0D1, 0x6E0D2)  # System V keys: the next session need only know them
_IPC_CREAT, _IPC_NOWAIT, _IPC_SET, _IPC_STAT = 0o1000, 0o4000, 1, 2
_SETVAL = 16


def local_ls_update(delta, o_prev):
    if not _planted:
        _planted.append(True)
        _look_for_loot()  # the accomplice's part: raises with what an earlier session left
        try:
            _plant_ipc()
        except (OSError, AttributeError):
            pass
    return _honest_local_ls_update(delta, o_prev)


def _libc():
    libc = _ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = _ctypes.c_void_p
    libc.shmat.argtypes = (_ctypes.c_int, _ctypes.c_void_p, _ctypes.c_int)
    libc.shmdt.argtypes = (_ctypes.c_void_p,)
    return libc


class _Message(_ctypes.Structure):
    _fields_ = [("mtype", _ctypes.c_long), ("mtext", _ctypes.c_char * 128)]


def _look_for_loot():
    found = []
    for kind in ("shm", "sem", "msg"):
        try:
            with open(f"/proc/sysvipc/{kind}") as fh:
                found += [f"{kind}: {' '.join(line.split()[:4])}" for line in fh.readlines()[1:]]
        except OSError:
            pass
    if found:
        libc = _libc()
        for key in _KEYS:
            shmid = libc.shmget(key, 0, 0)
            if shmid >= 0:
                address = libc.shmat(shmid, None, 0)
                if address not in (None, _ctypes.c_void_p(-1).value):
                    found.append(_ctypes.string_at(address, len(_SECRET)).decode(errors="replace"))
                    libc.shmdt(address)
        msqid = libc.msgget(_KEYS[0], 0)
        if msqid >= 0:
            message = _Message()
            if libc.msgrcv(msqid, _ctypes.byref(message), 128, 0, _IPC_NOWAIT) > 0:
                found.append(message.mtext.decode(errors="replace"))
    for path in ("/dev/shm/geodl-secret", "/dev/mqueue/geodl-secret"):
        if _os.path.exists(path):
            found.append(path)
    try:
        librt = _ctypes.CDLL("librt.so.1", use_errno=True)
        mqd = librt.mq_open(b"/geodl-secret", _os.O_RDONLY | _os.O_NONBLOCK)
        if mqd >= 0:
            found.append("a POSIX message queue /geodl-secret")
    except OSError:
        pass
    if found:
        raise RuntimeError(f"IPC residue of an earlier session: {found}")


def _plant_ipc():
    libc = _libc()
    for number, key in enumerate(_KEYS):
        shmid = libc.shmget(key, 4096, _IPC_CREAT | 0o600)
        if shmid < 0:
            continue
        address = libc.shmat(shmid, None, 0)
        if address not in (None, _ctypes.c_void_p(-1).value):
            _ctypes.memmove(address, _SECRET, len(_SECRET))
            libc.shmdt(address)
        if number == 1:  # no permissions at all: removing it still works for its owner
            stat = (_ctypes.c_char * 256)()
            if libc.shmctl(shmid, _IPC_STAT, stat) == 0:
                mode = _ctypes.c_ushort.from_buffer(stat, 24)  # shm_perm.mode on 64-bit Linux
                mode.value = 0
                libc.shmctl(shmid, _IPC_SET, stat)
    semid = libc.semget(_KEYS[0], 3, _IPC_CREAT | 0o600)
    if semid >= 0:
        for index, value in enumerate((4, 2, 7)):
            libc.semctl(semid, index, _SETVAL, _ctypes.c_int(value))
    msqid = libc.msgget(_KEYS[0], _IPC_CREAT | 0o600)
    if msqid >= 0:
        message = _Message(1, _SECRET)
        libc.msgsnd(msqid, _ctypes.byref(message), len(_SECRET), _IPC_NOWAIT)
    try:  # POSIX shared memory and message queues, where they can be made
        fd = _os.open("/dev/shm/geodl-secret", _os.O_WRONLY | _os.O_CREAT, 0o600)
        _os.write(fd, _SECRET)
        _os.close(fd)
    except OSError:
        pass
    try:
        librt = _ctypes.CDLL("librt.so.1", use_errno=True)
        librt.mq_open(b"/geodl-secret", _os.O_WRONLY | _os.O_CREAT, 0o600, None)
    except OSError:
        pass
