"""The architecture of graders/, held as a test: no import cycles anywhere, each side imports only
the sides beneath it, and the worker (all that enters the sandbox) imports nothing of the grader."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from graders.authoring.imports import imported_names, package_of

GRADERS = Path(__file__).resolve().parents[2] / "graders"

#: What each side may import of graders (besides itself). ``errors`` is the one module every
#: side shares; ``__init__`` holds only the version.
ALLOWED = {
    "worker": set(),
    "errors": set(),
    "sandbox": {"worker", "errors"},
    "grading": {"worker", "sandbox", "errors", "__init__"},
    # The Gradescope bundle (authoring/gradescope.py) embeds a result written by report's writer.
    "authoring": {"grading", "sandbox", "worker", "errors", "chapters", "report"},
    "chapters": {"authoring", "grading", "errors"},
    "batch": {"grading", "sandbox", "worker", "errors", "chapters", "__init__"},
    "report": {"grading", "errors"},
    "cli": {"authoring", "batch", "chapters", "grading", "report", "sandbox", "worker", "errors", "__init__"},
}
#: What the worker may import besides the standard library (torch and sympy on first need).
WORKER_THIRD_PARTY = {"numpy", "msgpack", "torch", "sympy"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in GRADERS.rglob("*.py"):
        if "variants" in path.parts or "alternatives" in path.parts:
            continue  # wrong variants and correct alternatives are student code, never imported by the grader
        parts = path.relative_to(GRADERS.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, *, module_level_only: bool) -> set[str]:
    """What ``name`` imports (absolute dotted names; relative imports resolved), leaving out what
    is imported for type checking only."""
    path = MODULES[name]
    return imported_names(path.read_text(), package_of(name, path), type_checking=False,
                          module_level_only=module_level_only)


def _side(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_no_module_imports_itself_back():
    """Tarjan's strongly connected components over the module-level imports of graders/."""
    graph = {name: {m for m in _imports(name, module_level_only=True) if m in MODULES and m != name}
             for name in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in graph:
        if name not in index:
            connect(name)
    assert cycles == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_side_imports_only_the_sides_beneath_it(name):
    side = _side(name)
    if side == "__init__":
        return
    wrong = sorted(m for m in _imports(name, module_level_only=False)
                   if m.startswith("graders") and m in MODULES and _side(m) not in ALLOWED[side] | {side})
    assert wrong == [], f"{name} ({side}) imports {wrong}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _side(n) == "worker"))
def test_the_worker_imports_only_the_standard_library_numpy_and_msgpack(name):
    outside = sorted(m for m in _imports(name, module_level_only=False)
                     if m.split(".")[0] not in sys.stdlib_module_names | WORKER_THIRD_PARTY
                     and not m.startswith("graders.worker") and m.split(".")[0] != "worker")
    assert outside == [], f"{name} imports {outside}: everything it imports must exist in the sandbox"


def test_the_sandbox_binds_the_worker_folder_whole():
    from graders.sandbox.base import WORKER_DIR, WORKER_MAIN, SandboxLimits, WorkerOptions
    from graders.sandbox.bwrap import BwrapSandbox
    assert WORKER_DIR == GRADERS / "worker" and (WORKER_DIR / WORKER_MAIN).is_file()
    argv = BwrapSandbox("bwrap").command(WorkerOptions(), SandboxLimits(), slot=0, rlimit_nproc=False, control_fd=3)
    binds = [(argv[i + 1], argv[i + 2]) for i, arg in enumerate(argv) if arg == "--ro-bind"]
    ours = [source for source, _ in binds if source.startswith(str(GRADERS))]
    assert ours == [str(WORKER_DIR)], "nothing of graders/ but the worker folder enters the sandbox"
