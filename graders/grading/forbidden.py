"""Static detection of forbidden imports and calls in a student's source (grader side).

The source is parsed with :mod:`ast`, never executed. A forbidden name is a module
(``"sklearn"``: any import of it or of a submodule) or a library attribute (``"numpy.kron"``:
``np.kron``, ``from numpy import kron``, ``numpy.kron``, also through ``import numpy as xp``).
Dynamic tricks (``getattr(np, "kr" + "on")``, ``__import__("skl" + "earn")``) escape this
scan; the worker's runtime traps catch the callables among them, and its module ban
(``session.ModuleBan``) the imports.

>>> find_forbidden("import numpy as np\\nK = np.kron(A, B)\\n", ("numpy.kron",), filename="ch01/linalg.py")
[Finding(name='numpy.kron', filename='ch01/linalg.py', line=2)]
>>> find_forbidden("from sklearn.svm import SVC\\n", ("sklearn",), filename="x.py")
[Finding(name='sklearn', filename='x.py', line=1)]
"""
from __future__ import annotations

import ast
import dataclasses
import functools

#: Calls that several libraries offer: forbidding one forbids its twins in every other library
#: (a student told not to use ``numpy.kron`` may not use ``torch.kron`` either). A twin in a
#: library the chapter's sandbox does not hold is moot; the static scan finds every twin, the
#: worker's runtime traps those whose library is loaded when the exercise starts.
TWINS: tuple[frozenset[str], ...] = (
    frozenset({"numpy.kron", "torch.kron", "scipy.linalg.kron"}),
    frozenset({"numpy.linalg.pinv", "torch.linalg.pinv", "torch.pinverse", "scipy.linalg.pinv"}),
    frozenset({"numpy.linalg.lstsq", "torch.linalg.lstsq", "scipy.linalg.lstsq"}),
    frozenset({"numpy.linalg.inv", "torch.linalg.inv", "torch.inverse", "scipy.linalg.inv"}),
    frozenset({"numpy.linalg.solve", "torch.linalg.solve", "scipy.linalg.solve"}),
    frozenset({"numpy.convolve", "scipy.signal.convolve", "scipy.ndimage.convolve1d", "torch.conv1d",
               "torch.nn.functional.conv1d"}),
    frozenset({"scipy.special.comb", "scipy.special.binom", "sympy.binomial"}),
    frozenset({"scipy.special.softmax", "torch.softmax", "torch.nn.functional.softmax", "torch.special.softmax"}),
    frozenset({"scipy.special.logsumexp", "torch.logsumexp", "torch.special.logsumexp"}),
    frozenset({"scipy.special.expit", "torch.sigmoid", "torch.special.expit", "torch.nn.functional.sigmoid"}),
    frozenset({"scipy.linalg.toeplitz", "scipy.linalg.convolution_matrix"}),
    frozenset({"torch.nn.functional.batch_norm", "torch.batch_norm", "torch.native_batch_norm",
               "torch.nn.BatchNorm1d", "torch.nn.BatchNorm2d", "torch.nn.BatchNorm3d"}),
    frozenset({"torch.nn.functional.layer_norm", "torch.layer_norm", "torch.native_layer_norm", "torch.nn.LayerNorm"}),
    frozenset({"torch.nn.functional.instance_norm", "torch.instance_norm", "torch.nn.InstanceNorm1d",
               "torch.nn.InstanceNorm2d", "torch.nn.InstanceNorm3d"}),
    frozenset({"torch.nn.functional.group_norm", "torch.group_norm", "torch.native_group_norm", "torch.nn.GroupNorm"}),
    frozenset({"torch.nn.MultiheadAttention", "torch.nn.functional.multi_head_attention_forward"}),
)


def with_twins(forbidden: tuple[str, ...]) -> tuple[str, ...]:
    """``forbidden`` and, after each name, its :data:`TWINS` (sorted) that no forbidden module
    covers already, without duplicates.

    >>> with_twins(("sklearn", "numpy.kron"))
    ('sklearn', 'numpy.kron', 'scipy.linalg.kron', 'torch.kron')
    >>> with_twins(("torch", "numpy.kron"))
    ('torch', 'numpy.kron', 'scipy.linalg.kron')
    """
    out: list[str] = []
    for name in forbidden:
        out.append(name)
        for group in TWINS:
            if name in group:
                out.extend(twin for twin in sorted(group - {name})
                           if not any(twin.startswith(f + ".") for f in forbidden))
    return tuple(dict.fromkeys(out))


@dataclasses.dataclass(frozen=True)
class Finding:
    name: str
    filename: str
    line: int

    def describe(self, exercise_id: str) -> str:
        return f"uses {self.name} ({self.filename} line {self.line}), which {exercise_id} does not allow"


def find_forbidden(source: str, forbidden: tuple[str, ...], *, filename: str) -> list[Finding]:
    """Forbidden modules and attributes used in ``source``; ``[]`` if it does not parse."""
    if not forbidden:
        return []
    tree = _parse(source)
    if tree is None:
        return []  # the import itself will report the syntax error
    aliases: dict[str, str] = {}  # local name -> dotted origin
    findings: list[Finding] = []

    def flag(dotted: str, node: ast.AST) -> None:
        for name in forbidden:
            if dotted == name or dotted.startswith(name + "."):
                findings.append(Finding(name, filename, getattr(node, "lineno", 0)))
                return

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                flag(alias.name, node)
                aliases[alias.asname or alias.name.split(".")[0]] = (alias.name if alias.asname
                                                                     else alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            flag(node.module, node)
            for alias in node.names:
                flag(f"{node.module}.{alias.name}", node)
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Call) and (module := _dynamic_import(node)) is not None:
            flag(module, node)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node, aliases)
            if dotted:
                flag(dotted, node)
    unique = {(f.name, f.line): f for f in findings}
    return sorted(unique.values(), key=lambda f: (f.line, f.name))


def local_imports(source: str, package: str) -> set[str]:
    """Modules of ``package`` (the chapter) that ``source`` imports: ``{"ch06.helpers"}``."""
    tree = _parse(source)
    if tree is None:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == package)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package if node.module is None else f"{package}.{node.module}"
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)
            elif node.module and node.module.split(".")[0] == package:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


@functools.lru_cache(maxsize=64)
def _parse(source: str) -> ast.Module | None:
    """The syntax tree of ``source``, None if it does not parse. Cached (the trees are only read):
    grading a submission visits a file once per exercise that imports it, and a class shares
    many files."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _dotted(node: ast.Attribute, aliases: dict[str, str]) -> str | None:
    parts = []
    current: ast.AST = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if isinstance(current, ast.Call) and (module := _dynamic_import(current)) is not None:
        return ".".join([module, *reversed(parts)])
    if not isinstance(current, ast.Name) or current.id not in aliases:
        return None
    return ".".join([aliases[current.id], *reversed(parts)])


def _dynamic_import(node: ast.Call) -> str | None:
    """The module a call ``__import__("x")`` or ``import_module("x")`` imports, if it is one."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name in ("__import__", "import_module") and node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None
