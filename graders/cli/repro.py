"""geodl repro (RESULT.json | --db URL --student NAME) [--check EXERCISE/CHECK] [--out DIR | --print]:
the failing case of a failed public check as a Python file to run.

RESULT.json is a result as ``geodl grade --json`` writes it; ``--db`` reads a student's latest
result from the store ``geodl batch`` wrote. Each failed public check whose result carries its
failing case (:mod:`graders.grading.repro`) becomes ``DIR/<exercise>__<check>.py`` (default
``repro/``), with an ``.npz`` beside it where its larger inputs need one; ``--print`` prints the
file instead. Run it in the folder that holds the submission's ``chNN/`` folder: it imports the
student's function as the stub does and calls it with the exact inputs the grader passed.
Hidden and after-deadline checks have no repro file.
"""
from __future__ import annotations

import argparse
import difflib
import json
from pathlib import Path

from graders.cli.options import contradictory, output_folder, shown
from graders.errors import ConfigurationError
from graders.grading.result import CheckResult, SubmissionResult
from graders.report.repro import REPRO_DIR, ReproFile, has_repro, repro_file
from graders.report.safe_text import visible


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("result", metavar="RESULT.json", nargs="?",
                        help="a result file, as 'geodl grade PATH -a chNN --json RESULT.json' writes it")
    parser.add_argument("--db", metavar="URL", help="instead of RESULT.json: the results store 'geodl batch' wrote")
    parser.add_argument("--student", help="with --db: whose latest result")
    parser.add_argument("--assignment", "-a", help="with --db: the chapter (default: the only one in the store)")
    parser.add_argument("--check", metavar="EXERCISE/CHECK",
                        help="only this check, e.g. ch06.optimizers/momentum_matches_torch_sgd (default: every "
                             "failed public check)")
    parser.add_argument("--out", default=REPRO_DIR, help=f"the folder to write into (default: {REPRO_DIR}/)")
    parser.add_argument("--print", action="store_true", dest="print_", help="print the file instead of writing it")


def run(args: argparse.Namespace) -> int:
    files, out = validate(args)
    if not files:
        print("no failed public check of this result has a repro file: nothing to write")
        return 0
    if args.print_:
        for file in files:
            print(visible(file.source), end="")
        return 0
    for file in files:
        written = file.write(out)
        print(visible(f"wrote {', '.join(str(path) for path in written)}"))
    folder = files[0].exercise.split(".", 1)[0]
    print(visible(f"run it in the folder that holds your {folder}/ folder: python {out / files[0].name}"))
    return 0


def validate(args: argparse.Namespace) -> tuple[list[ReproFile], Path]:
    """The repro files to write and where, once every argument is known good (nothing is
    printed or written before): the result, the check, the output folder."""
    if args.result and args.db:
        raise contradictory("RESULT.json", "--db", hint="give the result file or the store, not both")
    if not args.result and not args.db:
        raise ConfigurationError("no result given", reference="result-required",
                                 hint="give a result file (geodl grade PATH -a chNN --json RESULT.json) "
                                      "or --db URL --student NAME")
    if args.result and (args.student or args.assignment):
        raise contradictory("RESULT.json", "--student" if args.student else "--assignment",
                            hint="--student and --assignment choose a result in --db")
    out = output_folder(args.out, option="--out") if not args.print_ else Path(args.out)
    result = _read_result(args.result) if args.result else _stored_result(args.db, args.student, args.assignment)
    files = [repro_file(exercise, check) for exercise, check in _chosen_checks(result, args.check)]
    if args.print_ and any(file.arrays for file in files):
        name = next(file.name for file in files if file.arrays)
        raise ConfigurationError(f"{name} loads its larger inputs from an .npz, which --print cannot show",
                                 reference="repro-needs-npz", hint="write it with --out DIR instead of --print")
    return files, out


def _read_result(path: str) -> SubmissionResult:
    file = Path(path)
    hint = "write one with 'geodl grade PATH -a chNN --json RESULT.json'"
    if not file.exists():
        raise ConfigurationError(f"the result file {shown(path)} does not exist", reference="result-missing",
                                 hint=hint)
    if file.is_dir():
        raise ConfigurationError(f"{shown(path)} is a folder, not a result file", reference="result-is-a-folder",
                                 hint="a feedback folder holds its repro files already, in <student>/repro/; "
                                      "or " + hint)
    try:
        return SubmissionResult.from_json(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigurationError(f"{shown(path)} is not a geodl result: {reason}", reference="not-a-result",
                                 hint=hint) from None


def _stored_result(db: str, student: str | None, assignment: str | None) -> SubmissionResult:
    from graders.cli.export import latest_results

    if not student:
        raise ConfigurationError("--db needs --student", reference="student-required",
                                 hint="name whose result to read, e.g. --student alice")
    chosen, rows = latest_results(db, assignment)
    results = dict(rows)
    if student not in results:
        close = difflib.get_close_matches(student, list(results), n=3)
        hint = f"did you mean {', '.join(shown(s) for s in close)}?" if close else \
            f"the store holds {len(results)} students of {chosen}"
        raise ConfigurationError(f"the results store holds no result of student={shown(student)} in {chosen}",
                                 reference="unknown-student", hint=hint)
    return results[student]


def _chosen_checks(result: SubmissionResult, wanted: str | None) -> list[tuple[str, CheckResult]]:
    """``(exercise id, check)`` of every check that has a repro file, or of the one ``wanted``
    names (``EXERCISE/CHECK``, ``EXERCISE::CHECK``, or a check name alone where only one
    exercise has it), with an error saying why it has none."""
    checks = [(exercise.id, check) for exercise in result.exercises for check in exercise.checks]
    if wanted is None:
        return [(exercise, check) for exercise, check in checks if has_repro(check)]
    exercise_id, check_name = _split_check(wanted)
    matches = [(e, c) for e, c in checks if c.name == check_name and exercise_id in (None, e)]
    if len(matches) != 1:
        names = [f"{e}/{c.name}" for e, c in checks]
        if matches:
            hint = f"name its exercise: {', '.join(f'{e}/{c.name}' for e, c in matches)}"
            raise ConfigurationError(f"--check={shown(wanted)} names a check of several exercises",
                                     reference="ambiguous-check", hint=hint)
        close = difflib.get_close_matches(wanted, names, n=3) or difflib.get_close_matches(
            check_name, [c.name for _, c in checks], n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "write it as EXERCISE/CHECK, e.g. " + (
            names[0] if names else "ch06.optimizers/momentum_matches_torch_sgd")
        raise ConfigurationError(f"the result has no check --check={shown(wanted)}", reference="unknown-check",
                                 hint=hint)
    exercise, check = matches[0]
    label = f"{exercise}/{check.name}"
    if check.visibility != "public":
        raise ConfigurationError(f"{label} is a {check.visibility.replace('_', '-')} check: no repro file is "
                                 "made for it", reference="hidden-check", hint="choose a public check")
    if check.passed:
        raise ConfigurationError(f"{label} passed: there is no failing case to reproduce",
                                 reference="check-passed", hint="choose a check that failed")
    if not has_repro(check):
        raise ConfigurationError(f"{label} failed without a recorded failing case ({_why_none(check)})",
                                 reference="no-repro", hint="its message says what went wrong: "
                                                            + visible(check.message[:120], newlines=False))
    return [(exercise, check)]


def _split_check(text: str) -> tuple[str | None, str]:
    for separator in ("/", "::"):
        if separator in text:
            exercise, _, check = text.rpartition(separator)
            return exercise, check
    return None, text


def _why_none(check: CheckResult) -> str:
    if check.status == "grader_error":
        return "the grader itself failed"
    if not check.counterexample:
        return "no call of your code failed: e.g. the module did not import, or a function is still the stub"
    return "its inputs were too large to record, or built by calls the grader no longer held"
