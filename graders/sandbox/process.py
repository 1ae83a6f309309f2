"""The process backend: the worker as a plain subprocess, for a student's self-check on any OS.

It is *not* a security boundary. Student code still runs in another process than the checks
(so the verdict is still computed outside it), with the session rlimits, a private scratch
folder and a clean environment, but it can see the file system and the network.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

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


class ProcessSandbox(Sandbox):
    name = "process"
    isolates_pids = False

    def unavailable_reason(self) -> str | None:
        return None if os.name == "posix" else "the process backend needs a POSIX system (fork)"

    def start(self, options: WorkerOptions, limits: SandboxLimits, *, slot: int = 0) -> SandboxProcess:
        scratch = Path(tempfile.mkdtemp(prefix=f"geodl-worker-{slot}-"))
        sites = sorted({str(entry.parent) for entry in current_layout().site_entries})
        ours, theirs = socket.socketpair()
        stderr = tempfile.TemporaryFile()
        argv = [sys.executable, "-P", "-s", "-S", str(WORKER_DIR / WORKER_MAIN), "--control-fd", str(theirs.fileno()),
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
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        return SandboxProcess(popen, backend=self.name, control=ours, stderr=stderr, cleanup_paths=(scratch,),
                              limits=limits)
