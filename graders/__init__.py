"""geodl graders: the grading engine (protocol, sandbox, runner, scoring, reports, CLI) and one
grader spec per chapter under ``graders.chapters``."""

__version__ = "0.1.0"
