"""Releases: the files a student receives for a chapter or, with ``solution=True``, the worked
solution as a submission folder.

A student release of ``chNN`` (:func:`release`) is the folder ``chNN/`` holding

* the stub modules, the shipped validation helpers (``_validation.py``), the notebook, the
  README and ``requirements.txt`` (:func:`release_files`: what ``assignments/chNN/`` of the
  repository holds too; ``geodl build`` regenerates it, and a test fails when it drifts);
* ``test_chNN_public.py``, the public self-check, run by plain ``pytest chNN``;
* ``.geodl/``, the self-check's runtime (:func:`runtime_files`), only in a release written by
  ``geodl release`` (the repository's ``assignments/`` run the self-check with the installed
  graders instead): the part of the ``graders`` package the self-check imports
  (:func:`runtime_modules`: the engine, the worker with the ``process`` backend, the check
  helpers; no reference, no chapter spec, no instructor tooling), the public checks
  (:mod:`graders.authoring.extract`) and the reference frozen for them
  (:mod:`graders.authoring.freeze`).
"""
from __future__ import annotations

import importlib.metadata
import re
import shutil
import sys
from pathlib import Path

from graders.authoring.imports import imported_names, module_file, package_of
from graders.authoring.stubs import chapter_sources
from graders.chapters import load_chapter

SELF_CHECK = '''"""Public self-check of {chapter}: {title}.

Run ``pytest {chapter}`` in the folder that holds {chapter}/ (README.md says how to install it). Every
public check of the course's graders runs against the code in this folder, in a separate worker
process; the hidden checks run only when your submission is graded.
"""
import sys
from pathlib import Path

_RUNTIME = Path(__file__).resolve().with_name(".geodl")  # the release's self-check (absent in the course's repository)
if _RUNTIME.is_dir() and str(_RUNTIME) not in sys.path:
    sys.path.insert(0, str(_RUNTIME))

from graders.cli.selfcheck import public_tests  # noqa: E402

public_tests("{chapter}", __file__, globals())
'''

HEADER = "# {chapter}/{name}: generated from geodl_ref by `geodl build`.{hint}\n"

GRADERS_DIR = Path(__file__).resolve().parents[1]

#: Where the self-check starts (the modules it imports, and what the worker runs as a script).
RUNTIME_ROOTS = ("graders.cli.selfcheck", "graders.authoring.frozen", "graders.authoring.oracles",
                 "graders.grading.engine", "graders.grading.submission", "graders.sandbox.process",
                 "graders.worker.warden", "graders.worker.session", "graders.worker.wire")
#: Modules the runtime's code names only on the repository's path (the self-check of
#: ``assignments/``, with the installed graders): a release never imports them.
REPOSITORY_ONLY = ("graders.chapters",)

#: What every self-check needs: the runtime's own imports (it reads the released notebook as
#: JSON where nbformat is absent, and needs rich only for the TA's tables).
RUNTIME_REQUIREMENTS = ("numpy", "msgpack", "hypothesis", "pytest")
#: Import names whose distribution is named otherwise.
DISTRIBUTIONS = {"sklearn": "scikit-learn", "ot": "POT", "yaml": "PyYAML"}


def release_files(chapter_id: str, *, solution: bool = False) -> dict[str, str]:
    """``{"ch06/mlp.py": text, ...}``: the text files :func:`release` writes (the worked
    solution's modules with ``solution=True``)."""
    chapter = load_chapter(chapter_id)
    files = {}
    hint = "" if solution else " Fill in the code marked YOUR CODE HERE."
    sources = chapter_sources(chapter_id, chapter.modules, solution=solution)
    for rel, text in sources.items():
        name = rel.split("/", 1)[1]
        files[rel] = HEADER.format(chapter=chapter_id, name=name, hint=hint if not name.startswith("_") else "") + text
    files[f"{chapter_id}/test_{chapter_id}_public.py"] = SELF_CHECK.format(chapter=chapter_id, title=chapter.title)
    if not solution:
        from graders.authoring.notebooks import student_notebook_text
        from graders.authoring.readme import chapter_readme

        files[f"{chapter_id}/{chapter_id}.ipynb"] = student_notebook_text(chapter_id)
        files[f"{chapter_id}/README.md"] = chapter_readme(chapter_id)
        files[f"{chapter_id}/requirements.txt"] = requirements_text(chapter_id, sources)
    return files


def runtime_files(chapter_id: str) -> dict[str, bytes]:
    """``{"ch06/.geodl/graders/...": data, "ch06/.geodl/chapter/...": ..., "ch06/.geodl/frozen.msgpack": ...}``:
    the self-check's runtime (records the reference on the worked solution: a few seconds)."""
    from graders.authoring.extract import extract_chapter
    from graders.authoring.freeze import freeze_chapter
    from graders.authoring.frozen_chapter import CHAPTER_DIR, FROZEN_FILE, RUNTIME_DIR

    chapter = load_chapter(chapter_id)
    base = f"{chapter_id}/{RUNTIME_DIR}"
    checks = extract_chapter(chapter)
    roots = [module for text in checks.values() for module in _graders_imports_in(text, "")]
    files = {f"{base}/{path}": data for path, data in runtime_package_files(roots).items()}
    files.update({f"{base}/{CHAPTER_DIR}/{name}": text.encode() for name, text in checks.items()})
    files[f"{base}/{FROZEN_FILE}"] = freeze_chapter(chapter).to_bytes()
    return files


def release(chapter_id: str, out: Path, *, solution: bool = False) -> list[Path]:
    """Write the release of ``chapter_id`` under ``out/chNN/`` (the self-check's runtime too,
    unless ``solution``); returns the written paths."""
    files: dict[str, str | bytes] = dict(release_files(chapter_id, solution=solution))
    if not solution:
        from graders.authoring.frozen_chapter import RUNTIME_DIR

        files.update(runtime_files(chapter_id))
        shutil.rmtree(out / chapter_id / RUNTIME_DIR, ignore_errors=True)  # no file of an earlier release stays
    written = []
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data)
        written.append(path)
    return written


# --------------------------------------------------------------------------- the runtime
def runtime_modules(roots: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The modules of the ``graders`` package the self-check can import: the closure of
    :data:`RUNTIME_ROOTS` and ``roots`` (what a chapter's public checks import) under every
    import of a ``graders`` module (at module level or in a function), their packages'
    ``__init__`` included, less :data:`REPOSITORY_ONLY`."""
    seen: set[str] = set()
    todo = [*RUNTIME_ROOTS, *roots]
    while todo:
        name = todo.pop()
        if name in seen or _module_file(name) is None or any(name == r or name.startswith(r + ".")
                                                              for r in REPOSITORY_ONLY):
            continue
        seen.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        todo += _graders_imports(name)
    return sorted(seen)


def runtime_package_files(roots: list[str] | tuple[str, ...] = ()) -> dict[str, bytes]:
    """``{"graders/grading/engine.py": source, ...}``: the files of :func:`runtime_modules`."""
    files = {}
    for name in runtime_modules(roots):
        path = _module_file(name)
        assert path is not None  # runtime_modules lists only modules that have a file
        files[path.relative_to(GRADERS_DIR.parent).as_posix()] = path.read_bytes()
    return files


def _module_file(name: str) -> Path | None:
    return module_file(name, {"graders": GRADERS_DIR})


def _graders_imports(name: str) -> list[str]:
    """Every ``graders`` module (or package) that the module ``name`` imports, anywhere in it."""
    path = _module_file(name)
    assert path is not None
    return _graders_imports_in(path.read_text(), package_of(name, path))


def _graders_imports_in(source: str, package: str) -> list[str]:
    """Every ``graders`` module (or package) that ``source`` (a module of ``package``) imports."""
    return sorted(module for module in imported_names(source, package) if module.split(".")[0] == "graders")


# --------------------------------------------------------------------------- requirements
def requirements_text(chapter_id: str, sources: dict[str, str] | None = None) -> str:
    """``chNN/requirements.txt``: what the self-check and the chapter's code import, pinned as
    the graders' own environment is (torch only for a chapter whose code or public checks use it)."""
    chapter = load_chapter(chapter_id)
    if sources is None:
        sources = chapter_sources(chapter_id, chapter.modules, solution=False)
    from graders.authoring.extract import extract_chapter

    imported = set(chapter.preload)
    for text in [*sources.values(), *extract_chapter(chapter).values()]:
        imported |= _third_party_imports(text)
    names = list(RUNTIME_REQUIREMENTS) + sorted({DISTRIBUTIONS.get(n, n) for n in imported} - set(RUNTIME_REQUIREMENTS))
    pins = _pins()
    lines = [f"# {chapter_id}: the self-check's environment (README.md: python3 -m venv .venv && "
             f".venv/bin/pip install -r {chapter_id}/requirements.txt)"]
    lines += [pins.get(_normalized(name), name) for name in names]
    return "\n".join(lines) + "\n"


def student_requirements() -> str:
    """The union of every chapter's ``requirements.txt`` (one requirement a line, sorted): what
    ``scripts/install`` caches the wheels of."""
    from graders.chapters import available_chapters

    lines = {line for chapter_id in available_chapters() for line in requirements_text(chapter_id).splitlines()
             if line and not line.startswith("#")}
    return "\n".join(sorted(lines))


def _third_party_imports(source: str) -> set[str]:
    """The top-level names of what ``source`` imports that are neither the standard library,
    nor the graders, nor the chapter's own modules."""
    found = {name.split(".")[0] for name in imported_names(source, _OWN_PACKAGE)}
    return {name for name in found if name not in sys.stdlib_module_names and name not in ("graders", _OWN_PACKAGE, "")
            and not re.match(r"^ch\d\d$", name)}


#: The package a chapter's own relative imports are resolved against (they name none of its requirements).
_OWN_PACKAGE = "chapter"


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    """``{"numpy": "numpy==2.4.6", ...}``: the graders' own pinned requirements."""
    try:
        requirements = importlib.metadata.requires("geodl") or []
    except importlib.metadata.PackageNotFoundError:
        return {}
    pins = {}
    for requirement in requirements:
        if ";" in requirement:
            continue
        name = re.split(r"[\s<>=!~\[(]", requirement, maxsplit=1)[0]
        pins[_normalized(name)] = requirement.replace(" ", "")
    return pins
