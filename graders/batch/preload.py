"""What a class's warm workers preload before they fork sessions (:class:`WardenSpec`), worked out
once by the batch from the chapter and from what the class's code names (:func:`class_preload`)."""
from __future__ import annotations

import dataclasses
from typing import Iterable

from graders.grading.spec import Chapter
from graders.grading.submission import Submission


@dataclasses.dataclass(frozen=True)
class WardenSpec:
    """How a grading process's sandbox starts: the modules its warden preloads, whether it
    gets the GPU, and the Python distributions its sandbox holds. The batch resolves it once from
    the chapter, so that a new grading process can launch its sandbox before importing the chapter
    (whose graders import torch: 2 to 3 s that the warden's own preloading would otherwise wait
    for).

    ``packages`` is the chapter's :attr:`~graders.grading.spec.Chapter.sandbox_packages` (what
    not every exercise forbids), for :attr:`graders.sandbox.base.WorkerOptions.packages`: it does
    not narrow with the preload, so a package the class's files never name is still importable,
    only not preloaded. ``None`` (a spec made by hand): those of ``preload``."""

    preload: tuple[str, ...]
    gpu: bool = False
    packages: tuple[str, ...] | None = None

    @classmethod
    def of(cls, chapter: Chapter, preload: tuple[str, ...] | None = None,
           submissions: Iterable[Submission] | None = None) -> "WardenSpec":
        """``preload`` if given, else what the class of ``submissions`` uses (:func:`class_preload`),
        else the chapter's :attr:`~graders.grading.spec.Chapter.warm_preload`; the chapter's
        packages."""
        if preload:
            return cls(tuple(preload), chapter.needs_gpu, chapter.sandbox_packages)
        return cls(chapter.warm_preload if submissions is None else class_preload(chapter, submissions),
                   chapter.needs_gpu, chapter.sandbox_packages)


def class_preload(chapter: Chapter, submissions: Iterable[Submission]) -> tuple[str, ...]:
    """What the warm workers of a class preload: of the chapter's
    :attr:`~graders.grading.spec.Chapter.warm_preload` (numpy, scipy, sympy and torch with their usual
    submodules, less what every exercise forbids), the packages the chapter's own code uses
    (:attr:`~graders.grading.spec.Chapter.preload`) and those whose name appears anywhere in the files
    some submission will be graded on (as :func:`~graders.batch.discovery.read_submission` read
    them), each with its submodules.

    A package that no one's code names costs every submission for nothing: its import is part of every
    worker's start, and every session is a fork of a warden that much bigger, so its fork, its exit
    and its first writes to shared pages cost more (for a ch06 class, whose code uses numpy alone,
    sympy and scipy were seconds of each warden's start and near half of a graded session's page
    faults: ``benchmarks/README.md``, "Figures behind the code"). A student whose code imports a
    package under a name no file spells out (a computed name) pays the import in their own session.
    The names are matched as plain bytes, in comments and strings too: a package is left out only
    where no file of the class names it."""
    candidates = chapter.warm_preload
    unnamed = {name.split(".")[0] for name in candidates}
    unnamed -= {name.split(".")[0] for name in chapter.preload}
    unnamed.discard("msgpack")  # the worker's own wire format imports it in any case
    for submission in submissions:
        for data in submission.files.values():
            unnamed = {package for package in unnamed if package.encode() not in data}
            if not unnamed:
                return candidates
    return tuple(name for name in candidates if name.split(".")[0] not in unnamed)
