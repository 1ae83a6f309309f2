"""What Python the worker sees: the interpreter, its standard library, and an allow-list of
installed distributions (those of numpy, scipy, torch, sympy, msgpack that the chapter allows,
and what they require).

Everything else installed next to geodl — scikit-learn, POT, networkx, nbgrader, hypothesis,
geodl itself — stays invisible to student code: the bwrap backend binds only the files listed
here into the sandbox. So does a worker distribution that every exercise of the chapter forbids
(torch in chapter 6: :attr:`graders.grading.spec.Chapter.sandbox_packages`, passed as
:attr:`graders.sandbox.base.WorkerOptions.packages`): no import finds it, whatever the student's
code does to the import system.

What this does not cover, and how it is covered instead:

* A package one exercise forbids and another of the same chapter allows (torch, in a chapter
  where one exercise must do without autograd and another uses it) is in the sandbox, since one
  worker serves the whole submission. There the ban is enforced as before: the grader's static
  scan of the source, the session's import hook (``worker.session.ModuleBan``), and the grader's
  check of what the session reports it caught.
  Code that removes the hook and imports under a computed name gets past the last two; its
  answers are still judged by the grader, outside the sandbox.
* A forbidden distribution that an allowed one requires comes in with it (sympy with torch,
  were sympy forbidden everywhere and torch not); the same three checks apply to it.
* Library callables (``numpy.kron``) are never removed: they are trapped in the session.
* The process backend is no security boundary and sees every installed package.
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import importlib.metadata as metadata
import re
import sys
import sysconfig
from pathlib import Path

#: Distributions the worker offers, with their requirements (extras excluded).
WORKER_DISTRIBUTIONS = ("numpy", "scipy", "torch", "sympy", "msgpack")
#: Those of them every sandbox holds, whatever a chapter forbids: the worker itself imports them.
REQUIRED_DISTRIBUTIONS = ("numpy", "msgpack")
#: Requirements of the above that student code must not get: grader-side oracles and tooling.
EXCLUDED_DISTRIBUTIONS = frozenset({"networkx", "setuptools", "scikit-learn", "pot", "pip", "wheel"})


@dataclasses.dataclass(frozen=True)
class PythonLayout:
    """The interpreter and the files the worker needs, as paths on the host.

    Attributes
    ----------
    executable : Path
        The real interpreter binary (symlinks resolved).
    prefix : Path
        The installation holding the standard library (``sys.base_prefix``).
    hidden : tuple of Path
        Directories under ``prefix`` to hide (its own site-packages).
    site_entries : tuple of Path
        Top-level package directories, single-file modules, shared-library folders and
        ``.dist-info`` folders of the allowed distributions.
    """

    executable: Path
    prefix: Path
    hidden: tuple[Path, ...]
    site_entries: tuple[Path, ...]


def current_layout(extra: tuple[str, ...] = (), *, packages: tuple[str, ...] = WORKER_DISTRIBUTIONS) -> PythonLayout:
    """The layout of the running interpreter with the distributions ``packages`` (of
    :data:`WORKER_DISTRIBUTIONS`; numpy and msgpack always), what they require, and ``extra``."""
    unknown = sorted(set(packages) - set(WORKER_DISTRIBUTIONS))
    if unknown:
        raise ValueError(f"{', '.join(unknown)} is not a worker distribution ({', '.join(WORKER_DISTRIBUTIONS)})")
    wanted = set(packages) | set(REQUIRED_DISTRIBUTIONS)
    return _layout(tuple(name for name in WORKER_DISTRIBUTIONS if name in wanted), tuple(sorted(set(extra))))


@functools.lru_cache(maxsize=None)
def _layout(packages: tuple[str, ...], extra: tuple[str, ...]) -> PythonLayout:
    executable = Path(sys.executable).resolve()
    prefix = Path(sys.base_prefix).resolve()
    stdlib_site = Path(sysconfig.get_paths(vars={"base": str(prefix), "platbase": str(prefix)})["purelib"])
    hidden = tuple(p for p in {stdlib_site} if p.exists() and _is_under(p, prefix))
    names = allowed_distributions(packages + extra)
    entries: set[Path] = set()
    for name in names:
        entries.update(_top_level_entries(metadata.distribution(name)))
    return PythonLayout(executable, prefix, hidden, tuple(sorted(entries)))


def allowed_distributions(roots: tuple[str, ...]) -> list[str]:
    """The requirement closure of ``roots`` that is installed, minus the excluded ones."""
    seen: dict[str, str] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        key = _normalize(name)
        if key in seen or key in EXCLUDED_DISTRIBUTIONS:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist.metadata["Name"]
        for requirement in dist.requires or []:
            if _applies(requirement):
                todo.append(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
    return sorted(seen.values())


def _applies(requirement: str) -> bool:
    """True for requirements without an extra whose environment marker holds here."""
    _, _, marker = requirement.partition(";")
    if "extra" in marker:
        return False
    if not marker.strip():
        return True
    try:
        from packaging.markers import Marker
    except ImportError:
        return True
    return Marker(marker).evaluate()


def _top_level_entries(dist: metadata.Distribution) -> set[Path]:
    """Host paths of a distribution's top-level files and folders in its site directory.

    Only the first component of each installed file's path matters, so the names are read from
    the RECORD (or SOURCES.txt) as text and each top-level entry is looked at once: making and
    stat-ing a path for each of torch's tens of thousands of files took seconds of a worker's
    start (``benchmarks/README.md``, "Figures behind the code").
    """
    site = Path(str(dist.locate_file(""))).resolve()
    tops = {name.split("/", 1)[0] for name in _installed_names(dist)}
    return {site / top for top in tops
            if top and top not in ("..", "__pycache__") and not top.endswith(".pth") and (site / top).exists()}


def _installed_names(dist: metadata.Distribution) -> list[str]:
    """The distribution's installed files as '/'-separated paths relative to its site directory."""
    record = dist.read_text("RECORD")
    if record is not None:
        return [row[0].replace("\\", "/") for row in csv.reader(record.splitlines()) if row]
    return [str(file).replace("\\", "/") for file in dist.files or []]


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _is_under(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False
