"""geodl graders: the grading engine (protocol, sandbox, runner, scoring, reports, CLI) and one
grader spec per chapter under ``graders.chapters``.

Importing it keeps jsonschema (which nbformat and nbgrader import) from building its RFC 3987
parsers: where the optional ``rfc3987-syntax`` is installed (jupyter-events requires it), jsonschema
compiles three Earley grammars for the ``iri`` formats at import, 1 s of a 1.1 s import of
nbformat, paid by every geodl process that reads a notebook or opens the gradebook (the batch's
own process among them, while the grading processes want the cores). No schema geodl or nbformat
validates has an IRI format; without the package, jsonschema leaves those formats unchecked.
"""
import sys

__version__ = "0.1.0"

sys.modules.setdefault("rfc3987_syntax", None)  # an import of it now fails, as if it were not installed
