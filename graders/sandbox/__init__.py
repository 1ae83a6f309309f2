"""Sandbox backends behind one interface: ``bwrap`` (default on Linux), ``docker``, ``process``.

>>> sorted(BACKENDS)
['bwrap', 'docker', 'process']
"""
from __future__ import annotations

from graders.errors import ConfigurationError, SandboxUnavailable
from graders.sandbox.base import DEFAULT_PRELOAD, Sandbox, SandboxLimits, SandboxProcess, WorkerOptions

BACKENDS = {
    "bwrap": ("graders.sandbox.bwrap", "BwrapSandbox"),
    "docker": ("graders.sandbox.docker", "DockerSandbox"),
    "process": ("graders.sandbox.process", "ProcessSandbox"),
}

__all__ = [
    "BACKENDS", "DEFAULT_PRELOAD", "Sandbox", "SandboxLimits", "SandboxProcess", "WorkerOptions",
    "default_backend", "get_sandbox",
]


def get_sandbox(name: str) -> Sandbox:
    """The backend called ``name``; raises ``ConfigurationError`` for an unknown name."""
    if name not in BACKENDS:
        import difflib
        close = difflib.get_close_matches(name, BACKENDS, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"choose one of {', '.join(sorted(BACKENDS))}"
        raise ConfigurationError(f"sandbox={name!r} is not a sandbox backend", reference="unknown-sandbox", hint=hint)
    import importlib
    module_name, class_name = BACKENDS[name]
    return getattr(importlib.import_module(module_name), class_name)()


def default_backend() -> str:
    """``bwrap`` where bubblewrap works here, else ``process``."""
    return "bwrap" if get_sandbox("bwrap").unavailable_reason() is None else "process"


def require(name: str) -> Sandbox:
    """The backend ``name``, or ``SandboxUnavailable`` saying why it cannot run here."""
    sandbox = get_sandbox(name)
    reason = sandbox.unavailable_reason()
    if reason:
        raise SandboxUnavailable(f"the {name} sandbox cannot run here: {reason}", reference="sandbox-unavailable")
    return sandbox
