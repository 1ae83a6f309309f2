"""The ``geodl`` command: one table maps each command to (module, summary); modules are imported
only when their command runs (pip's ``commands_dict`` habit), and a typo gets a suggestion."""
from __future__ import annotations

import argparse
import atexit
import dataclasses
import difflib
import importlib
import os
import sys

from graders import __version__


@dataclasses.dataclass(frozen=True)
class CommandInfo:
    module: str
    summary: str


COMMANDS: dict[str, CommandInfo] = {
    "grade": CommandInfo("graders.cli.grade", "grade one submission and print (or save) its result"),
    "check": CommandInfo("graders.cli.check", "self-check: run the public checks on the code in this folder"),
    "batch": CommandInfo("graders.cli.batch", "grade a whole class into the results store and the gradebook"),
    "export": CommandInfo("graders.cli.export", "export the results store as CSV or Gradescope results.json"),
    "report": CommandInfo("graders.cli.report", "write per-student HTML feedback and the class summary"),
    "release": CommandInfo("graders.cli.release", "write a chapter's student stubs (or its worked solution)"),
    "validate": CommandInfo("graders.cli.validate", "prove the graders: solution full marks, stub zero, variants lose"),
    "build": CommandInfo("graders.cli.build", "regenerate assignments/ and solutions/ from geodl_ref"),
    "gradescope": CommandInfo("graders.cli.gradescope", "write a chapter's Gradescope autograder zip (staff only)"),
    "similarity": CommandInfo("graders.cli.similarity", "rank pairs of a class's submissions by code similarity"),
    "repro": CommandInfo("graders.cli.repro", "write a failed check's failing case as a Python file to run"),
}


def entry() -> None:
    """The ``geodl`` executable: :func:`main`, then a quick exit. Every exit handler still runs
    (temporary folders, pools, logging) and the output is flushed; only the interpreter's
    teardown of the imported modules is skipped, which takes more than a second once torch is
    imported (most commands import it with the graders). An unexpected exception leaves the
    usual way, with its traceback."""
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (geodl ... | head) or stream
            code = code or 1
    os._exit(code)


def skip_iri_parsers() -> None:
    """Keep jsonschema (which nbformat and nbgrader import) from building its RFC 3987 parsers.

    Where the optional ``rfc3987-syntax`` is installed (jupyter-events requires it), jsonschema compiles
    three Earley grammars for the ``iri`` formats as it is imported: most of the time an import of
    nbformat takes (``benchmarks/README.md``, "Figures behind the code"), paid by every command that
    reads a notebook or opens the gradebook (the batch's own process among them, while the grading
    processes want the cores). No schema geodl or nbformat validates has an IRI format; without the
    package, jsonschema leaves those formats unchecked. Called first by every ``geodl`` command; a
    library user may call it too.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # its import now fails, as if not installed


def main(argv: list[str] | None = None) -> int:
    skip_iri_parsers()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0
    if argv[0] == "--version":
        print(f"geodl {__version__}")
        return 0
    name, rest = argv[0], argv[1:]
    from graders.grading.threads import limit_threads
    limit_threads()
    if name not in COMMANDS:
        close = difflib.get_close_matches(name, COMMANDS, n=1)
        hint = f" Did you mean 'geodl {close[0]}'?" if close else ""
        print(f"geodl: unknown command {name!r}.{hint}\n\n{_usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name].module)
    parser = argparse.ArgumentParser(prog=f"geodl {name}", description=COMMANDS[name].summary)
    module.add_arguments(parser)
    args = parser.parse_args(rest)
    from graders.errors import GeodlError
    try:
        return int(module.run(args) or 0)
    except GeodlError as exc:  # its message may quote a submission (a file name, what its code said)
        from graders.report.safe_text import visible
        print(f"geodl {name}: error [{exc.reference}]: {visible(exc)}\n{exc.origin}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"geodl {name}: interrupted", file=sys.stderr)
        return 130


def _usage() -> str:
    width = max(len(n) for n in COMMANDS)
    lines = [f"geodl {__version__} — autograder for 'Geometry of Deep Learning'", "",
             "usage: geodl COMMAND [options]", ""]
    lines += [f"  {n.ljust(width)}  {info.summary}" for n, info in COMMANDS.items()]
    lines += ["", "Run 'geodl COMMAND --help' for the options of a command."]
    return "\n".join(lines)
