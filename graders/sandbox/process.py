"""The process backend: the worker as a plain subprocess, for a student's self-check on any OS.

It is *not* a security boundary. Student code still runs in another process than the checks
(so the verdict is still computed outside it), with the session rlimits, a private scratch
folder and a clean environment, but it can see the file system and the network.

Where the grader runs as root with no other sandbox (a Gradescope container without user
namespaces), ``GEODL_PROCESS_USER`` (a user name, such as ``nobody``) makes the worker run as
that user, so that the files root keeps to itself (the answers, the results) are out of the
student code's reach and root's exemption from the process limit does not apply; the worker's
interpreter must then be one that user can run (``GEODL_PROCESS_PYTHON``, by default the
grader's own).
"""
from __future__ import annotations

import os
import pwd
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from graders.errors import ConfigurationError
from graders.sandbox.base import (
    WORKER_DIR,
    WORKER_MAIN,
    Sandbox,
    SandboxLimits,
    SandboxProcess,
    WorkerOptions,
    worker_env,
)
from graders.sandbox.environment import current_layout

#: The user the worker runs as when the grader runs as root (unset: the grader's own).
USER_VARIABLE = "GEODL_PROCESS_USER"
#: The interpreter of the worker (unset: the grader's own, ``sys.executable``).
PYTHON_VARIABLE = "GEODL_PROCESS_PYTHON"


def worker_user() -> tuple[int, int] | None:
    """``(uid, gid)`` the worker drops to: :data:`USER_VARIABLE`'s user where the grader runs as
    root, else None. An unknown user is a :class:`~graders.errors.ConfigurationError`."""
    name = os.environ.get(USER_VARIABLE, "")
    if not name or os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise ConfigurationError(f"{USER_VARIABLE}={name!r} is not a user of this system", reference="process-user",
                                 hint="name an unprivileged user such as nobody") from None
    if entry.pw_uid == 0:
        raise ConfigurationError(f"{USER_VARIABLE}={name!r} is root", reference="process-user",
                                 hint="name an unprivileged user such as nobody")
    return entry.pw_uid, entry.pw_gid


class ProcessSandbox(Sandbox):
    name = "process"
    isolates_pids = False

    def unavailable_reason(self) -> str | None:
        return None if os.name == "posix" else "the process backend needs a POSIX system (fork)"

    def start(self, options: WorkerOptions, limits: SandboxLimits, *, slot: int = 0) -> SandboxProcess:
        user = worker_user()
        scratch = Path(tempfile.mkdtemp(prefix=f"geodl-worker-{slot}-"))
        if user is not None:
            os.chown(scratch, *user)
        sites = sorted({str(entry.parent) for entry in current_layout().site_entries})
        ours, theirs = socket.socketpair()
        stderr = tempfile.TemporaryFile()
        python = os.environ.get(PYTHON_VARIABLE) or sys.executable
        argv = [python, "-P", "-s", "-S", str(WORKER_DIR / WORKER_MAIN), "--control-fd", str(theirs.fileno()),
                "--scratch", str(scratch), *options.warden_args()]
        for site in sites:
            argv += ["--site", site]
        env = worker_env(limits)
        env["PATH"] = os.environ.get("PATH", env["PATH"])
        try:
            popen = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                pass_fds=(theirs.fileno(),),
                env=env,
                cwd=scratch,
                start_new_session=True,
                close_fds=True,
                user=None if user is None else user[0],
                group=None if user is None else user[1],
                extra_groups=None if user is None else [],
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        return SandboxProcess(popen, backend=self.name, control=ours, stderr=stderr, cleanup_paths=(scratch,),
                              limits=limits)
