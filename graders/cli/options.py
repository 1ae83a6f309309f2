"""Options shared by several commands, and turning them into a worker and settings."""
from __future__ import annotations

import argparse
from pathlib import Path

from graders.errors import ConfigurationError
from graders.grading.client import Worker
from graders.grading.settings import get_profile
from graders.grading.spec import Chapter
from graders.sandbox import BACKENDS, SandboxLimits, WorkerOptions, default_backend, require
from graders.sandbox.base import gpu_present


def add_sandbox(parser: argparse.ArgumentParser, default: str = "auto") -> None:
    parser.add_argument("--sandbox", choices=["auto", *sorted(BACKENDS)], default=default,
                        help="where student code runs (auto: bwrap where bubblewrap works, else process)")


def add_settings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=None, help="base seed of the generated examples (recorded)")
    parser.add_argument("--profile", default=None, help="settings profile: grading, local or ci")


def settings_from(args: argparse.Namespace, *, profile: str, include_hidden: bool | None = None):
    settings = get_profile(getattr(args, "profile", None) or profile)
    if getattr(args, "seed", None) is not None:
        settings = settings.replace(seed=args.seed)
    if include_hidden is not None:
        settings = settings.replace(include_hidden=include_hidden)
    return settings


def sandbox_name(args: argparse.Namespace) -> str:
    return default_backend() if args.sandbox == "auto" else args.sandbox


def make_worker(args: argparse.Namespace, chapter: Chapter | None = None, *,
                preload: tuple[str, ...] | None = None, slot: int = 0) -> Worker:
    """A worker on the chosen backend (``SandboxUnavailable`` says why one cannot run here).

    For a ``chapter``: its sandbox holds the chapter's packages
    (:attr:`~graders.grading.spec.Chapter.sandbox_packages`), gets the GPU where an exercise needs
    one, and preloads ``preload`` (default: the chapter's warm preload). Without one (``geodl
    validate`` of several chapters): every worker package, the default preload, no GPU."""
    sandbox = require(sandbox_name(args))
    if chapter is None:
        options = WorkerOptions(preload=preload) if preload else WorkerOptions()
        return Worker(sandbox, options=options, slot=slot)
    options = WorkerOptions(preload=preload or chapter.warm_preload, packages=chapter.sandbox_packages)
    return Worker(sandbox, limits=SandboxLimits(gpu=chapter.needs_gpu and gpu_present()), options=options, slot=slot)


# -- validating a command's arguments before it prints or writes anything -----------------------------------
def existing_folder(path: str, *, what: str, hint: str) -> Path:
    """``path`` as a :class:`~pathlib.Path`, once it is known to be a folder; a
    :class:`~graders.errors.ConfigurationError` naming it (and ``what`` it should be) otherwise."""
    folder = Path(path)
    if not folder.exists():
        raise ConfigurationError(f"{what} {shown(path)} does not exist", reference="folder-missing", hint=hint)
    if not folder.is_dir():
        raise ConfigurationError(f"{what} {shown(path)} is a file, not a folder", reference="not-a-folder", hint=hint)
    return folder


def output_folder(path: str, *, option: str) -> Path:
    """``path``, a folder to write into: absent (it will be made) or a folder, never a file."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ConfigurationError(f"{option}={shown(path)} is a file; it should name a folder to write into",
                                 reference="output-not-a-folder", hint=f"give {option} a folder's path")
    return folder


def output_file(path: str, *, option: str) -> Path:
    """``path``, a file to write: absent or a file, never a folder, and under folders that exist
    or can be made (no file where one of them should be)."""
    file = Path(path)
    if file.is_dir():
        raise ConfigurationError(f"{option}={shown(path)} is a folder; it should name a file to write",
                                 reference="output-is-a-folder", hint=f"give {option} a file's path, e.g. "
                                                                      f"{shown(str(file / 'grades.csv'))}")
    blocked = next((p for p in file.parents if p.exists() and not p.is_dir()), None)
    if blocked is not None:
        raise ConfigurationError(f"{option}={shown(path)}: {shown(str(blocked))} is a file, not a folder",
                                 reference="output-folder-is-a-file", hint=f"give {option} a path under a folder")
    return file


def known_assignment(assignment: str) -> Chapter:
    """The chapter ``--assignment`` names (a :class:`~graders.errors.ConfigurationError` with a
    suggestion where no grader has that name)."""
    from graders.chapters import load_chapter
    return load_chapter(assignment)


def contradictory(first: str, second: str, *, hint: str) -> ConfigurationError:
    """The error for two options that cannot go together."""
    return ConfigurationError(f"{first} and {second} contradict each other", reference="contradictory-options",
                              hint=hint)


def shown(text: str) -> str:
    """A path or value as an error quotes it: on one line, control characters escaped."""
    return repr(str(text))
