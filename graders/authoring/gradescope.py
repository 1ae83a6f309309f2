"""A Gradescope autograder bundle of one chapter, and what its ``run_autograder`` needs to find
its way (the ``/autograder`` layout, the bundle's config, the submission, the sandbox).

Gradescope's contract (its "Autograder Specifications"): the zip is unpacked into
``/autograder/source``; ``setup.sh`` runs once, as root, when Gradescope builds the image;
``run_autograder`` (copied to ``/autograder/run_autograder``) runs once per submission, with the
student's files in ``/autograder/submission``, and must leave ``/autograder/results/results.json``.
``GEODL_AUTOGRADER_ROOT`` moves that root (the tests imitate the layout in a temporary folder).

The zip, as :func:`build_bundle` writes it::

    setup.sh                 installs Python 3.11/3.12, a venv with requirements.txt, bubblewrap
    run_autograder           grades with ``python -m graders.cli.gradescope``; writes results.json
    geodl-gradescope.json    the chapter, the sandbox choice, the seed (:class:`BundleConfig`)
    geodl-release.json       what the students received (:class:`Release`: stubs, provided files),
                             frozen at build time: making it anew needs nbgrader, which grading lacks
    results-if-grading-fails.json   what ``run_autograder`` leaves where the grader cannot start
    requirements.txt         what grading this chapter imports, pinned as requirements.lock pins it
    constraints.txt          requirements.lock itself: the pins of everything pip brings along
    graders/  geodl_ref/     the grader, with only this chapter's spec and reference

**The bundle is not for students.** It holds the chapter's reference solutions and its hidden
checks, as grading needs: Gradescope keeps an autograder private to the course's staff. Anyone
who gets the zip gets the answers; ``geodl gradescope`` says so each time it writes one, and
refuses to write it into ``assignments/``, the students' tree.

Student code still never runs where the verdict is computed: ``run_autograder`` grades in a
bubblewrap sandbox where the container allows one, else (most Gradescope containers cannot
create the namespaces) in the ``process`` backend, rlimits only, which is no security boundary;
each results.json records which (``extra_data.geodl.sandbox``), and a bundle built with
``sandbox="bwrap"`` refuses to grade without one.
"""
from __future__ import annotations

import dataclasses
import importlib.metadata as metadata
import io
import json
import os
import re
import sys
import zipfile
from pathlib import Path
from typing import Iterable

import geodl_ref
from graders.authoring.imports import imported_names, module_file, package_of
from graders.chapters import load_chapter, load_release
from graders.errors import ConfigurationError, SandboxUnavailable, SubmissionError
from graders.grading.reading import shown
from graders.grading.spec import Chapter
from graders.grading.submission import Release, Submission
from graders.report.exports import gradescope_failure
from graders.sandbox import get_sandbox

#: Where Gradescope puts everything; ``GEODL_AUTOGRADER_ROOT`` overrides it.
ROOT_ENV = "GEODL_AUTOGRADER_ROOT"
DEFAULT_ROOT = "/autograder"
CONFIG_NAME = "geodl-gradescope.json"
CONFIG_SCHEMA = "geodl.gradescope/1"
RELEASE_NAME = "geodl-release.json"
RELEASE_SCHEMA = "geodl.release/1"
FALLBACK_NAME = "results-if-grading-fails.json"
#: The student's line where the grader could not even start (run_autograder copies it in place).
FALLBACK_REASON = ("The autograder could not run (internal grader error, not your fault). "
                   "Please tell your instructor.")
#: auto: bwrap where the container can run it, else process; bwrap: refuse to grade without it.
SANDBOX_CHOICES = ("auto", "bwrap", "process")

GRADERS_DIR = Path(__file__).resolve().parents[1]
REF_DIR = Path(geodl_ref.__file__).resolve().parent
LOCK_FILE = GRADERS_DIR.parent / "requirements.lock"
#: The students' tree (DESIGN.md): a bundle is never written under it.
ASSIGNMENTS_DIR = GRADERS_DIR.parent / "assignments"
TEMPLATES_DIR = GRADERS_DIR / "authoring" / "templates" / "gradescope"
SCRIPTS = ("setup.sh", "run_autograder")

#: The modules a bundle runs besides the chapter's own (the sandbox backends are imported by
#: name): their import closure names the distributions to install (:func:`third_party_imports`).
RUNTIME_MODULES = ("graders.cli.gradescope", "graders.sandbox.bwrap", "graders.sandbox.process")
#: The instructor's tooling, which grading never runs: the closure does not follow imports into it
#: (``graders.chapters.load_release`` would bring nbgrader and the Jupyter stack along: the
#: release is frozen into the bundle instead, :data:`RELEASE_NAME`).
TOOLING_MODULES = frozenset(f"graders.authoring.{name}" for name in
                            ("build", "notebooks", "release", "samples", "stubs", "validate", "variants"))
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # a fixed time: the same sources give the same zip
_SKIPPED_PARTS = {"__pycache__", "variants"}
_MAX_SUBFOLDERS = 16


@dataclasses.dataclass(frozen=True)
class BundleConfig:
    """What ``run_autograder`` grades and how (``geodl-gradescope.json`` in the bundle)."""

    chapter: str
    sandbox: str = "auto"   #: one of SANDBOX_CHOICES
    seed: int = 0           #: the base seed of the generated examples

    def __post_init__(self):
        if not isinstance(self.chapter, str) or not re.match(r"^ch\d\d$", self.chapter):
            raise ConfigurationError(f"chapter={self.chapter!r} should look like 'ch06'", reference="bad-bundle-config")
        if self.sandbox not in SANDBOX_CHOICES:
            raise ConfigurationError(f"sandbox={self.sandbox!r} is not one of {', '.join(SANDBOX_CHOICES)}",
                                     reference="bad-bundle-config")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ConfigurationError(f"seed={self.seed!r} must be a non-negative int", reference="bad-bundle-config")

    def to_json(self) -> dict:
        return {"schema": CONFIG_SCHEMA, **dataclasses.asdict(self)}

    @classmethod
    def from_json(cls, data: object) -> "BundleConfig":
        if not isinstance(data, dict) or data.get("schema") != CONFIG_SCHEMA:
            schema = data.get("schema") if isinstance(data, dict) else None
            raise ConfigurationError(f"{CONFIG_NAME} has schema={schema!r}, not {CONFIG_SCHEMA!r}",
                                     reference="bad-bundle-config", hint="rebuild the bundle with 'geodl gradescope'")
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})

    @classmethod
    def read(cls, source: Path) -> "BundleConfig":
        """The config in the bundle folder ``source``."""
        try:
            data = json.loads((source / CONFIG_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"cannot read {source / CONFIG_NAME}: {exc}", reference="bad-bundle-config",
                                     hint="unzip the whole bundle into the source folder") from None
        return cls.from_json(data)


@dataclasses.dataclass(frozen=True)
class Bundle:
    """A bundle :func:`build_bundle` wrote."""

    path: Path
    config: BundleConfig
    files: tuple[str, ...]          #: the names in the zip, sorted
    size_bytes: int                 #: of the zip
    requirements: tuple[str, ...]   #: requirements.txt, one pin a line


@dataclasses.dataclass(frozen=True)
class AutograderPaths:
    """Gradescope's layout under one root."""

    root: Path

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def submission(self) -> Path:
        return self.root / "submission"

    @property
    def results(self) -> Path:
        return self.root / "results" / "results.json"

    @classmethod
    def from_env(cls) -> "AutograderPaths":
        """``$GEODL_AUTOGRADER_ROOT``, or ``/autograder``."""
        return cls(Path(os.environ.get(ROOT_ENV) or DEFAULT_ROOT))


# --------------------------------------------------------------------------- the release, frozen
def release_to_json(release: Release) -> dict:
    """``release`` as builtins (``geodl-release.json``): the normal forms of each stub and provided
    file, and the provided files as released (UTF-8 text, as the release writes them)."""
    return {"schema": RELEASE_SCHEMA, "assignment": release.assignment,
            "stubs": {rel: sorted(forms) for rel, forms in sorted(release.stubs.items())},
            "provided": {rel: data.decode("utf-8") for rel, data in sorted(release.provided.items())},
            "provided_forms": {rel: sorted(forms) for rel, forms in sorted(release.provided_forms.items())}}


def read_release(source: Path, chapter_id: str) -> Release:
    """The release frozen in the bundle folder ``source`` (:func:`release_to_json`), checked to be
    ``chapter_id``'s; raises :class:`ConfigurationError` where it is missing or malformed."""
    path = source / RELEASE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != RELEASE_SCHEMA or data.get("assignment") != chapter_id:
            raise ValueError(f"schema={data.get('schema')!r}, assignment={data.get('assignment')!r}; expected "
                             f"{RELEASE_SCHEMA!r} of {chapter_id!r}")
        return Release(chapter_id,
                       stubs={rel: frozenset(_texts(forms, rel)) for rel, forms in data["stubs"].items()},
                       provided={rel: _texts([text], rel)[0].encode("utf-8") for rel, text in data["provided"].items()},
                       provided_forms={rel: frozenset(_texts(forms, rel))
                                       for rel, forms in data["provided_forms"].items()})
    except (OSError, ValueError, KeyError, AttributeError, TypeError) as exc:
        raise ConfigurationError(f"cannot read {path}: {exc}", reference="bad-bundle-config",
                                 hint="rebuild the bundle with 'geodl gradescope' and unzip all of it") from None


def _texts(values: object, rel: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{rel!r} should map to text, got {type(values).__name__}")
    return values


# --------------------------------------------------------------------------- building
def build_bundle(chapter_id: str, out_zip: str | os.PathLike, *, sandbox: str = "auto", seed: int = 0) -> Bundle:
    """Write the Gradescope autograder of ``chapter_id`` to ``out_zip``.

    Parameters
    ----------
    chapter_id : str
        A chapter with a grader spec, e.g. ``"ch06"``.
    out_zip : path
        The zip to write (its folder is created; an existing file is replaced whole).
    sandbox : {'auto', 'bwrap', 'process'}
        Where ``run_autograder`` runs student code (:data:`SANDBOX_CHOICES`).
    seed : int
        The base seed of the generated examples (each check's seed derives from it).

    Returns
    -------
    Bundle
        What was written. The zip holds the chapter's reference and hidden checks: it is for
        Gradescope's staff-only autograder upload, never for students.

    Raises
    ------
    ConfigurationError
        For an unknown chapter or sandbox, a requirement ``requirements.lock`` does not pin, or
        ``out_zip`` under ``assignments/``.
    """
    chapter = load_chapter(chapter_id)
    config = BundleConfig(chapter.id, sandbox=sandbox, seed=seed)
    out = Path(out_zip)
    if out.resolve().is_relative_to(ASSIGNMENTS_DIR.resolve()):
        raise ConfigurationError(f"out_zip={os.fspath(out_zip)!r} is under {ASSIGNMENTS_DIR}, what students "
                                 "receive; the bundle holds the answers", reference="bundle-in-release",
                                 hint="write it outside the repository's assignments/ folder")
    lock = locked_versions()
    pins = bundle_requirements(chapter, lock)
    fallback = gradescope_failure(FALLBACK_REASON, extra_data={"geodl": {"chapter": chapter.id, "status": "error",
                                                                         "reference": "grader-did-not-run"}})
    entries: dict[str, tuple[bytes, int]] = {}
    for name in SCRIPTS:
        entries[name] = ((TEMPLATES_DIR / name).read_bytes(), 0o755)
    entries[CONFIG_NAME] = ((json.dumps(config.to_json(), indent=2) + "\n").encode(), 0o644)
    entries[RELEASE_NAME] = ((json.dumps(release_to_json(load_release(chapter.id)), indent=1) + "\n").encode(),
                             0o644)
    entries[FALLBACK_NAME] = ((json.dumps(fallback, indent=2) + "\n").encode(), 0o644)
    entries["requirements.txt"] = (("".join(f"{p}\n" for p in pins)).encode(), 0o644)
    entries["constraints.txt"] = (("".join(f"{n}=={v}\n" for n, v in sorted(lock.items()))).encode(), 0o644)
    for arcname, path in _package_files(chapter.id):
        entries[arcname] = (path.read_bytes(), 0o644)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for arcname in sorted(entries):
            data, mode = entries[arcname]
            info = zipfile.ZipInfo(arcname, date_time=_ZIP_TIME)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    partial.write_bytes(buffer.getvalue())
    os.replace(partial, out)
    return Bundle(out, config, tuple(sorted(entries)), out.stat().st_size, pins)


def _package_files(chapter_id: str) -> Iterable[tuple[str, Path]]:
    """``(name in the zip, file)`` of ``graders/`` and ``geodl_ref/``, with no chapter but
    ``chapter_id``, no wrong variants (the gate's, not grading's) and no bytecode."""
    for top in (GRADERS_DIR, REF_DIR):
        for path in sorted(top.rglob("*")):
            rel = path.relative_to(top)
            if not path.is_file() or path.is_symlink() or path.suffix in (".pyc", ".pyo"):
                continue
            if _SKIPPED_PARTS.intersection(rel.parts) or _other_chapter(rel, top, chapter_id) \
                    or rel.parts[:3] == ("authoring", "templates", "gradescope"):
                continue
            yield f"{top.name}/{rel.as_posix()}", path


def _other_chapter(rel: Path, top: Path, chapter_id: str) -> bool:
    """Whether ``rel`` (under ``top``) is a file of a chapter other than ``chapter_id``."""
    if top == GRADERS_DIR:
        folder = rel.parts[1] if len(rel.parts) > 2 and rel.parts[0] == "chapters" else ""
    else:
        folder = rel.parts[0] if len(rel.parts) > 1 else ""
    return re.fullmatch(r"ch\d\d", folder) is not None and folder != chapter_id


# --------------------------------------------------------------------------- requirements
def locked_versions() -> dict[str, str]:
    """``{distribution: version}`` from ``requirements.lock``; in an installed geodl without
    one, the versions installed here (those grading was tested with)."""
    if LOCK_FILE.is_file():
        found = {}
        for line in LOCK_FILE.read_text().splitlines():
            match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)", line)
            if match:
                found[match.group(1)] = match.group(2)
        return found
    return {dist.metadata["Name"]: dist.version for dist in metadata.distributions() if dist.metadata["Name"]}


def bundle_requirements(chapter: Chapter, lock: dict[str, str] | None = None) -> tuple[str, ...]:
    """The pinned distributions grading ``chapter`` imports: the grader's own (the import
    closure of :data:`RUNTIME_MODULES`, the chapter's spec and its reference), and the worker's
    (:attr:`Chapter.sandbox_packages`). torch is among them only where one of those imports it
    (ch06's checks use it as their oracle) or the sandbox offers it to student code.

    >>> from graders.chapters import load_chapter
    >>> [p.split("==")[0] for p in bundle_requirements(load_chapter("ch06"))]  # doctest: +NORMALIZE_WHITESPACE
    ['hypothesis', 'msgpack', 'nbformat', 'numpy', 'packaging', 'rich', 'scipy', 'sympy', 'threadpoolctl', 'torch']
    """
    lock = locked_versions() if lock is None else lock
    by_key = {_key(name): (name, version) for name, version in lock.items()}
    chapter_modules = [f"graders.chapters.{chapter.id}"]
    chapter_modules += [f"graders.chapters.{chapter.id}.{name}" for name in chapter.exercise_names]
    chapter_modules += [f"geodl_ref.{chapter.id}.{p.stem}" for p in sorted((REF_DIR / chapter.id).glob("*.py"))]
    wanted = {_key(d) for d in _distributions(third_party_imports([*RUNTIME_MODULES, *chapter_modules]))}
    wanted |= {_key(d) for d in chapter.sandbox_packages}
    missing = sorted(d for d in wanted if d not in by_key)
    if missing:
        raise ConfigurationError(f"requirements.lock pins no version of {', '.join(missing)}",
                                 reference="unpinned-requirement", hint="add it to requirements.lock")
    return tuple(f"{by_key[d][0]}=={by_key[d][1]}" for d in sorted(wanted))


def third_party_imports(modules: Iterable[str]) -> set[str]:
    """The top-level names outside the standard library that ``modules`` import, following every
    import (at any depth, ``TYPE_CHECKING`` blocks left out) into ``graders`` and ``geodl_ref``,
    parent packages included, as Python imports them; but not into :data:`TOOLING_MODULES`.
    A lazy import counts: the closure may hold more than one grading imports, never less
    (``tests/graders/authoring/test_gradescope.py`` holds a grading's imports to it)."""
    todo, seen, found = list(modules), set(), set()
    while todo:
        name = todo.pop()
        if name in seen or name in TOOLING_MODULES:
            continue
        seen.add(name)
        path = module_file(name, {"graders": GRADERS_DIR, "geodl_ref": REF_DIR})
        if path is None:
            continue
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        for imported in imported_names(path.read_text(encoding="utf-8"), package_of(name, path), type_checking=False):
            top = imported.split(".")[0]
            if top in ("graders", "geodl_ref"):
                todo.append(imported)
            elif top and top not in sys.stdlib_module_names and not top.startswith("_"):
                found.add(top)
    return found


def _distributions(tops: Iterable[str]) -> set[str]:
    """The installed distributions that provide the top-level modules ``tops``."""
    provided = metadata.packages_distributions()
    found: set[str] = set()
    unknown: list[str] = []
    for top in sorted(tops):
        names = provided.get(top)
        if not names:
            unknown.append(top)
        found.update(names or ())
    if unknown:
        raise ConfigurationError(f"no installed distribution provides {', '.join(unknown)}, which grading imports",
                                 reference="unknown-distribution", hint="install geodl's requirements.lock here")
    return found


def _key(name: str) -> str:
    """A distribution name as PEP 503 compares them: ``scikit_learn`` == ``scikit-learn``."""
    return re.sub(r"[-_.]+", "-", name).lower()


# --------------------------------------------------------------------------- at grading time
def choose_sandbox(requested: str) -> tuple[str, str]:
    """``(backend, why)``: the backend ``run_autograder`` grades in here, and why not bwrap
    when it is not. ``requested`` is :attr:`BundleConfig.sandbox`."""
    if requested == "process":
        return "process", "the bundle was built with sandbox='process'"
    reason = get_sandbox("bwrap").unavailable_reason()
    if reason is None:
        return "bwrap", ""
    if requested == "bwrap":
        raise SandboxUnavailable(f"the bwrap sandbox cannot run here: {reason}", reference="sandbox-unavailable",
                                 hint="the bundle was built with sandbox='bwrap'; rebuild it with sandbox='auto' "
                                      "to grade in the process backend where bubblewrap cannot run")
    return "process", f"bwrap cannot run here: {reason}"


#: The user student code runs as in the process backend when the grader runs as root.
UNPRIVILEGED_USER = "nobody"


def keep_answers_from_student_code(paths: AutograderPaths, python: str = sys.executable) -> str:
    """Where grading falls back to the process backend as root (a Gradescope container that
    cannot run bubblewrap): run the worker as :data:`UNPRIVILEGED_USER`
    (:mod:`graders.sandbox.process`) and make what it must not read or write root's alone: the
    references and checks in the bundle, the submission folder, the results. Returns what was
    done, for the staff's log. Does nothing where the grader is not root, and says so where
    that user cannot run ``python`` (student code then runs as root)."""
    import pwd
    import subprocess

    if os.geteuid() != 0:
        return "the grader does not run as root: student code runs as the grader's user"
    try:
        user = pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        return f"there is no user {UNPRIVILEGED_USER} here: student code runs as root"
    try:
        runs = subprocess.run([python, "-S", "-c", "pass"], user=user.pw_uid, group=user.pw_gid, extra_groups=[],
                              capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        runs = False
    if not runs:
        return f"{UNPRIVILEGED_USER} cannot run {python}: student code runs as root"
    for private in (paths.source / "geodl_ref", paths.source / "graders" / "chapters", paths.results.parent,
                    paths.submission):
        if private.exists():
            private.chmod(0o700)
    for passage in (paths.root, paths.source):
        passage.chmod(0o711)  # the worker's code and interpreter stay reachable, not listable
    os.environ["GEODL_PROCESS_USER"] = UNPRIVILEGED_USER
    os.environ["GEODL_PROCESS_PYTHON"] = python
    return f"student code runs as {UNPRIVILEGED_USER}; the references, the submission and the results are root's"


def find_submission(folder: Path, chapter: Chapter, release: Release) -> Submission:
    """The submission in Gradescope's submission folder: ``chNN/``, the module files, or a
    notebook there (:meth:`Submission.from_path`, which compares it with ``release`` and restores
    the provided files), or else in one of its folders (a zip of a folder unpacks one level
    deeper: ``hw6/ch06/mlp.py``, ``hw6/mlp.py``), the first in name order that holds any.
    Raises :class:`SubmissionError` where the folder cannot be read."""
    module_files = tuple(Path(e.module_file).name for e in chapter.exercises.values())
    found = Submission.from_path(folder, chapter.id, module_files=module_files, release=release)
    if _holds_code(found):
        return found
    for inner in _subfolders(folder):
        try:
            nested = Submission.from_path(inner, chapter.id, module_files=module_files, release=release)
        except SubmissionError:
            continue
        if _holds_code(nested):
            note = f"graded the folder {shown(inner.name)}/ of the submission"
            return dataclasses.replace(nested, notes=(note, *nested.notes))
    return found


def _holds_code(submission: Submission) -> bool:
    """Whether the student's side gave anything: a file not restored from the release, or a notebook."""
    return submission.origin != "modules" or any(src != "release" for src in submission.sources.values())


def _subfolders(folder: Path) -> list[Path]:
    """The folders (no links) directly in ``folder``, in name order, but hidden ones and the
    ``__MACOSX`` folder macOS adds to zips; at most :data:`_MAX_SUBFOLDERS`."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.is_dir(follow_symlinks=False)
                           and not e.name.startswith(".") and e.name != "__MACOSX")
    except OSError:
        return []
    return [folder / name for name in names[:_MAX_SUBFOLDERS]]
