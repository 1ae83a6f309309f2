"""geodl gradescope CHAPTER OUT.zip: a Gradescope autograder bundle of one chapter
(:func:`graders.authoring.gradescope.build_bundle`).

Run as ``python -m graders.cli.gradescope``, this module is also the bundle's grading program:
the bundle's ``run_autograder`` starts it once per submission. It grades
``$GEODL_AUTOGRADER_ROOT/submission`` (default ``/autograder``) with every check, hidden ones
included (profile ``grading``), compared with the release frozen in the bundle, and writes
``results/results.json`` with the writer of ``geodl export --format gradescope``
(:func:`graders.report.exports.gradescope_results`: a hidden check is its name, outcome and
points, shown once the grades are published). Whatever goes wrong, a results.json is written:
score 0 where it went wrong and one line the student understands. What it prints (the sandbox
used and why, a traceback if any) goes to Gradescope's stdout, shown to the staff only
(``stdout_visibility``). ``--self-test`` (what ``setup.sh`` ends with) loads the chapter and the
frozen release and starts a worker, to fail the image build rather than every submission.
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import graders
from graders import __version__
from graders.authoring.gradescope import (
    SANDBOX_CHOICES,
    AutograderPaths,
    BundleConfig,
    build_bundle,
    choose_sandbox,
    find_submission,
    keep_answers_from_student_code,
    read_release,
)
from graders.chapters import load_chapter
from graders.cli.options import make_worker
from graders.errors import GeodlError, SubmissionError, WorkerLost
from graders.grading.engine import grade
from graders.grading.result import submission_status
from graders.grading.settings import get_profile
from graders.report.exports import collapsed, format_points, gradescope_failure, gradescope_results, write_gradescope
from graders.report.safe_text import visible

if TYPE_CHECKING:
    from graders.grading.result import SubmissionResult
    from graders.grading.spec import Chapter
    from graders.grading.submission import Submission

#: Where this grader was imported from (the bundle's copy, on Gradescope).
_LOCATION = Path(graders.__file__).resolve().parent

_ASK = "Please tell your instructor."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("chapter", help="the chapter, e.g. ch06")
    parser.add_argument("out", help="the zip to write, e.g. ch06-gradescope.zip (upload it as the autograder)")
    parser.add_argument("--sandbox", choices=SANDBOX_CHOICES, default="auto",
                        help="where Gradescope runs student code (auto: bwrap where the container allows it, else "
                             "process, recorded in each result; bwrap: refuse to grade without it)")
    parser.add_argument("--seed", type=int, default=0, help="base seed of the generated examples (recorded)")


def run(args: argparse.Namespace) -> int:
    bundle = build_bundle(args.chapter, Path(args.out), sandbox=args.sandbox, seed=args.seed)
    print(visible(f"wrote {bundle.path}: the Gradescope autograder of {bundle.config.chapter} "
                  f"({len(bundle.files)} files, {bundle.size_bytes / 1024:.0f} KiB; sandbox {bundle.config.sandbox}; "
                  f"setup.sh installs {', '.join(r.split('==')[0] for r in bundle.requirements)})"))
    print(visible(f"warning: {bundle.path.name} holds the reference solutions and hidden checks of "
                  f"{bundle.config.chapter}: upload it to Gradescope as the autograder, never share it with students"))
    return 0


# --------------------------------------------------------------------------- inside the bundle
def autograde(paths: AutograderPaths) -> dict:
    """Grade the submission under ``paths`` and return Gradescope's results.json object; never
    raises for anything a submission, the sandbox or the grader does."""
    clock = time.perf_counter()
    info: dict = {"version": __version__}
    try:
        config = BundleConfig.read(paths.source)
        info["chapter"] = config.chapter
        chapter = load_chapter(config.chapter)
        backend, why = choose_sandbox(config.sandbox)
        if backend == "process":
            why += f"; {keep_answers_from_student_code(paths)}"
        info.update(sandbox=backend, sandbox_note=why)
        print(visible(f"geodl {info['version']} ({_LOCATION}): grading {chapter.id} in the {backend} sandbox"
                      + (f", which is no security boundary ({why})" if backend != "bwrap" else "")))
        submission = find_submission(paths.submission, chapter, read_release(paths.source, chapter.id))
        print(visible(f"submission: {len(submission.files)} files ({submission.origin}): "
                      f"{', '.join(sorted(submission.files)) or 'none'}"))
        result = _grade(submission, chapter, backend, config.seed)
    except SubmissionError as exc:
        print(visible(f"the submission could not be read: [{exc.reference}] {exc}"))
        return _failed(f"Your submission could not be read: {exc}", exc.reference, info, clock)
    except (Exception, WorkerLost) as exc:  # noqa: BLE001 - whatever it is, the student gets a results.json
        traceback.print_exc(file=sys.stdout)
        reference = exc.reference if isinstance(exc, GeodlError) else "internal-error"
        return _failed(f"The autograder could not grade this submission (internal grader error [{reference}], "
                       f"not your fault). {_ASK}", reference, info, clock)
    info.update(status=submission_status(result), submission_sha256=(result.submission or {}).get("sha256"))
    _print_summary(result)
    return gradescope_results(result, extra_data={"geodl": info})


def _grade(submission: Submission, chapter: Chapter, backend: str, seed: int) -> SubmissionResult:
    settings = get_profile("grading").replace(seed=seed)
    with make_worker(argparse.Namespace(sandbox=backend), chapter) as worker:
        return grade(submission, chapter, worker, settings)


def _failed(reason: str, reference: str, info: dict, clock: float) -> dict:
    """A results.json for a submission that could not be graded: score 0, one line for the student."""
    info.update(status="error", reference=reference)
    return gradescope_failure(reason, execution_time=time.perf_counter() - clock, extra_data={"geodl": info})


def _print_summary(result: SubmissionResult) -> None:
    """The staff's view on stdout: each exercise's score, and each check that lost points (a hidden
    one by name and status only, as everywhere outside the grading machine)."""
    print(f"score: {format_points(result.score)} / {format_points(result.max_score)} in {result.duration_s:.1f} s")
    for exercise in result.exercises:
        print(visible(f"  {exercise.id}: {format_points(exercise.score)} / {format_points(exercise.max_score)} "
                      f"({exercise.status})"))
        for check in () if collapsed(exercise) else exercise.checks:  # a stub's checks say nothing more
            if not check.passed:
                print(visible(f"    {check.name} [{check.visibility}]: {check.status}"))


def self_test(paths: AutograderPaths) -> int:
    """Load the bundle's chapter and start a worker where ``run_autograder`` would: 0 if it can grade."""
    config = BundleConfig.read(paths.source)
    chapter = load_chapter(config.chapter)
    read_release(paths.source, chapter.id)
    backend, why = choose_sandbox(config.sandbox)
    print(f"geodl {__version__}: {chapter.id} loads ({len(chapter.exercises)} exercises, "
          f"{format_points(chapter.max_points)} points); sandbox here: {backend}" + (f" ({why})" if why else ""))
    with make_worker(argparse.Namespace(sandbox=backend), chapter) as worker:
        print(f"the {backend} worker started (python {worker.info.get('python', '?')})")
    return 0


def main(argv: list[str] | None = None) -> int:
    from graders.cli import skip_iri_parsers
    skip_iri_parsers()
    parser = argparse.ArgumentParser(prog="python -m graders.cli.gradescope",
                                     description="grade the Gradescope submission under $GEODL_AUTOGRADER_ROOT "
                                                 "(default /autograder) into results/results.json")
    parser.add_argument("--self-test", action="store_true", help="check that this install can grade, then exit")
    args = parser.parse_args(argv)
    paths = AutograderPaths.from_env()
    if args.self_test:
        return self_test(paths)
    write_gradescope(paths.results, autograde(paths))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
