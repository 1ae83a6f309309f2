"""Hostile text as a student can plant it (in what their code prints, raises or returns, in the
name of their folder), a result holding it everywhere, and the checks that what reaches a
terminal is safe and still shows it."""
from __future__ import annotations

import dataclasses
import io
import re
import unicodedata

from rich.console import Console

from graders.grading.result import SubmissionResult
from tests.graders._results import make_result

#: Each piece, and how a person must see it (escaped, or as written where it is harmless text).
PIECES = {
    "clear screen": ("\x1b[2J", "\\x1b[2J"),
    "OSC 8 hyperlink": ("\x1b]8;;javascript:alert(1)\x07click\x1b]8;;\x07",
                        "\\x1b]8;;javascript:alert(1)\\x07click\\x1b]8;;\\x07"),
    "unbalanced markup": ("[/bold]", "[/bold]"),
    "markup link": ("[link=javascript:x]y[/link]", "[link=javascript:x]y[/link]"),
    "fake progress line": ("\r38 / 38 passed", "\\r38 / 38 passed"),
    "right-to-left override": ("\u202etxt.exe\u202c", "\\u202etxt.exe\\u202c"),
    "bidi isolate": ("\u2066x\u2069", "\\u2066x\\u2069"),
    "zero-width joiner": ("a\u200db\u200bc", "a\\u200db\\u200bc"),
    "NUL": ("nul\x00", "nul\\x00"),
    "8-bit CSI": ("\x9b2J", "\\u009b2J"),
    "bell and backspace": ("\x07\x08", "\\x07\\x08"),
}
#: A lone surrogate: what ``os.listdir`` gives for a non-UTF-8 byte in a folder name.
SURROGATE = ("caf\udce9", "caf\\xe9")

#: Everything but the surrogate (which neither the results store nor the worker can carry).
HOSTILE = " ".join(raw for raw, _ in PIECES.values())
#: ... and with it.
HOSTILE_NAME = f"{HOSTILE} {SURROGATE[0]}"
SHOWN = [shown for _, shown in PIECES.values()]

_SGR = re.compile(r"\x1b\[[0-9;]*m")
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def hostile_result(text: str = HOSTILE_NAME, *, multiline: bool = True) -> SubmissionResult:
    """A graded result whose check message, counterexample, output, exercise message and
    submission message (and notes, path) all hold ``text``."""
    base = make_result()
    exercise = base.exercises[0]
    message = f"{text}\nsecond line: {text}" if multiline else text
    checks = tuple(dataclasses.replace(c, message=message, counterexample=f"Failing test case: f({text})",
                                       output=f"{text}\n" * 3) if not c.passed else c for c in exercise.checks)
    hidden = dataclasses.replace(checks[-1], name="hidden_one", visibility="hidden")
    exercise = dataclasses.replace(exercise, checks=checks + (hidden,), message=text,
                                   max_score=exercise.max_score + hidden.max_points)
    return dataclasses.replace(base, exercises=(exercise,), message=text, max_score=base.max_score + hidden.max_points,
                               submission={**base.submission, "path": f"/sub/{text}", "notes": [text]})


def terminal_console(width: int = 250) -> Console:
    """A console that believes it writes to a colour terminal (rich emits its styling)."""
    return Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=width)


def printed(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


def assert_terminal_safe(out: str) -> None:
    """Once rich's own styling (SGR ``ESC [ ... m``) is taken out, nothing is left that acts on a
    terminal or hides text: no ESC, C0 (but newline) or C1 control, bidi or zero-width
    character, or surrogate."""
    rest = _SGR.sub("", out)
    bad = sorted({f"U+{ord(c):04X}" for c in rest if c != "\n" and unicodedata.category(c) in _UNSAFE_CATEGORIES})
    assert bad == [], f"raw control or format characters reach the terminal: {bad}"
    assert "\x1b" not in rest


def squashed(out: str) -> str:
    """``out`` without styling, whitespace and table borders: text folded over several lines of a
    table cell reads as one string again."""
    return re.sub(r"[\s│┃]", "", _SGR.sub("", out))


def assert_shows(out: str, *texts: str) -> None:
    """Each of ``texts`` can be read in ``out`` (even folded in a table cell)."""
    flat = squashed(out)
    missing = [t for t in texts if re.sub(r"\s", "", t) not in flat]
    assert missing == [], f"not shown: {missing}"
