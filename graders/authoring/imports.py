"""What Python source imports, read from its syntax tree (never run): how a student's release
(:mod:`graders.authoring.release`) and a Gradescope bundle (:mod:`graders.authoring.gradescope`)
work out which modules and which distributions they must hold.

>>> sorted(imported_names("import numpy as np\\nfrom .helpers import f\\n", "ch06"))
['ch06.helpers', 'ch06.helpers.f', 'numpy']
>>> sorted(imported_names("from typing import TYPE_CHECKING\\nif TYPE_CHECKING:\\n    import rich\\n", "x",
...                       type_checking=False))
['typing', 'typing.TYPE_CHECKING']
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterable, Mapping


def imported_names(source: str, package: str, *, type_checking: bool = True,
                   module_level_only: bool = False) -> set[str]:
    """Every module, or name from a module, that ``source`` (a module of ``package``) imports,
    anywhere in it (functions included), as absolute dotted names: ``import a.b`` gives ``a.b``;
    ``from a import b`` gives ``a`` and ``a.b``; relative imports are resolved against ``package``.
    ``type_checking=False`` leaves out what ``if TYPE_CHECKING:`` blocks import (never imported
    when the code runs); ``module_level_only`` what functions and classes import (not imported
    when the module is)."""
    found: set[str] = set()

    def visit(nodes: Iterable[ast.AST]) -> None:
        for node in nodes:
            if not type_checking and isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
            if module_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            visit(ast.iter_child_nodes(node))

    visit(ast.parse(source).body)
    return found


def module_file(name: str, roots: Mapping[str, Path]) -> Path | None:
    """The file of the module or package ``name`` whose top-level package is one of ``roots``
    (``{"graders": Path(...)}``, each the package's folder): its ``__init__.py`` or its ``.py``;
    None for any other module, or a name that is not a module (``graders.grading.engine.grade``)."""
    top, _, rest = name.partition(".")
    base = roots.get(top)
    if base is None:
        return None
    path = base.joinpath(*rest.split(".")) if rest else base
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return path.with_suffix(".py") if path.with_suffix(".py").is_file() else None


def package_of(name: str, path: Path) -> str:
    """The package relative imports of the module ``name`` (file ``path``) resolve against."""
    return name if path.name == "__init__.py" else name.rpartition(".")[0]
