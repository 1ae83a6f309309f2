"""graders/report/safe_text.py: untrusted text reaches a terminal escaped, as text, never as markup;
and every terminal table and line of graders/report/terminal.py uses it."""
from __future__ import annotations

import sys
import unicodedata
from types import SimpleNamespace

import pytest
from rich.table import Table
from rich.text import Text

from graders.report.safe_text import safe_text, visible
from graders.report.terminal import class_table, print_result, result_table, validation_table
from tests.graders.report._hostile import (
    HOSTILE,
    HOSTILE_NAME,
    PIECES,
    SHOWN,
    SURROGATE,
    assert_shows,
    assert_terminal_safe,
    hostile_result,
    printed,
    terminal_console,
)

_UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}


# --- visible / safe_text ----------------------------------------------------------------------------

@pytest.mark.parametrize("raw, shown", [*PIECES.values(), SURROGATE], ids=[*PIECES, "lone surrogate"])
def test_each_hostile_piece_is_shown_escaped(raw, shown):
    assert visible(raw) == shown
    assert safe_text(raw).plain == shown


def test_every_control_format_and_surrogate_character_is_escaped_and_nothing_else():
    """All of Unicode at once: every control (but tab and newline), format, surrogate and
    separator character becomes an ASCII escape; every other character is kept as it is
    (the five blank-looking fillers aside)."""
    every = [chr(code) for code in range(sys.maxunicode + 1)]
    fillers = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
    unsafe = "".join(c for c in every if c not in "\t\n" and (unicodedata.category(c) in _UNSAFE or c in fillers))
    kept = "".join(c for c in every if c in "\t\n" or (unicodedata.category(c) not in _UNSAFE and c not in fillers))
    escaped = visible(unsafe)
    assert escaped.isascii() and escaped.count("\\") == len(unsafe)
    assert visible(kept) == kept
    visible("".join(every)).encode("utf-8")  # no lone surrogate left: any terminal or file takes it


def test_escapes_read_like_python_literals_and_printable_text_is_untouched():
    assert visible("\x1b\x7f\x85\u2028\U000e0041\ud800") == "\\x1b\\x7f\\u0085\\u2028\\U000e0041\\ud800"
    plain = "café [/bold] ∑ 日本 ≤ — \\x1b (a literal backslash) 😀 🇫🇷 [red]x[/red]"
    assert visible(plain) == plain
    assert visible("tab\tand\nnewline") == "tab\tand\nnewline"
    assert visible("a\nb", newlines=False) == "a\\nb"
    assert visible(42) == "42" and visible(ValueError("x\x1b")) == "x\\x1b"


def test_safe_text_is_never_parsed_as_markup():
    text = safe_text("[bold]x[/bold] [/] [link=javascript:alert(1)]y[/link] :smile:", "red")
    assert isinstance(text, Text) and text.plain == "[bold]x[/bold] [/] [link=javascript:alert(1)]y[/link] :smile:"
    assert [span.style for span in text.spans] == [] and text.style == "red"
    console = terminal_console()
    console.print(text)
    out = printed(console)
    assert "[/]" in out and "javascript" in out and "\x1b]8" not in out  # no hyperlink, no emoji
    assert_terminal_safe(out)


def test_printing_every_hostile_piece_leaves_only_rich_styling():
    console = terminal_console()
    for raw in [*(raw for raw, _ in PIECES.values()), SURROGATE[0], HOSTILE_NAME]:
        console.print(safe_text(raw, "bold"))
        console.print(safe_text(raw, newlines=False))
    out = printed(console)
    assert_terminal_safe(out)
    assert_shows(out, *SHOWN, SURROGATE[1])


def test_a_str_cell_would_be_markup_which_is_why_cells_are_text():
    """The hazard itself, kept as a test: rich reads a str cell as markup (an unbalanced closing
    tag raises; a ``[hidden]`` tag hides what follows)."""
    from rich.errors import MarkupError
    table = Table()
    table.add_column("x")
    table.add_row("[/bold]")
    with pytest.raises(MarkupError):
        terminal_console().print(table)


# --- the terminal tables -------------------------------------------------------------------------------

@pytest.mark.parametrize("show_hidden", [True, False])
def test_print_result_shows_hostile_text_escaped(show_hidden):
    console = terminal_console()
    print_result(hostile_result(), console=console, show_hidden=show_hidden)
    out = printed(console)
    assert_terminal_safe(out)
    assert_shows(out, *SHOWN, SURROGATE[1])                     # message, exercise message, call, note
    assert "Failing test case: f(\\x1b[2J" in out              # the counterexample, on one line (soft wrap)
    assert "note: \\x1b[2J" in out
    assert ("(hidden check)" in out) == (not show_hidden)
    assert "hidden_one [hidden]" in out                         # a label, not a markup tag that hid itself


def test_print_result_renders_the_same_with_and_without_a_terminal():
    """On a pipe rich writes no styling; the text must be the same escaped text."""
    import io

    from rich.console import Console
    pipe = Console(file=io.StringIO(), force_terminal=False, width=250)
    print_result(hostile_result(), console=pipe)
    out = printed(pipe)
    assert "\x1b" not in out and "\\x1b[2J" in out
    assert_terminal_safe(out)


def test_result_table_of_a_clean_result_is_unchanged_in_look():
    from tests.graders._results import make_result
    console = terminal_console(width=120)
    console.print(result_table(make_result()))
    out = printed(console)
    assert "\x1b[3mch06: 2 / 3" in out                         # the title keeps rich's table.title style
    assert_shows(out, "book_ex_6_4", "forward_output", "wrong")


def test_class_table_escapes_student_names():
    rows = [(HOSTILE_NAME, hostile_result()), ("=cmd|calc", hostile_result(multiline=False)),
            ("[red]ann", hostile_result())]
    console = terminal_console(width=400)
    console.print(class_table(rows))
    out = printed(console)
    assert_terminal_safe(out)
    assert_shows(out, *SHOWN, SURROGATE[1], "=cmd|calc", "[red]ann")


def test_validation_table_escapes_every_cell():
    rows = [SimpleNamespace(gate=HOSTILE, subject=HOSTILE_NAME, detail=f"{HOSTILE}\n{HOSTILE}", passed=False,
                            duration_s=1.25),
            SimpleNamespace(gate="solution", subject="ch06.mlp_backprop", detail="[/bold] full marks", passed=True,
                            duration_s=0.5)]
    console = terminal_console(width=400)
    console.print(validation_table(rows))
    out = printed(console)
    assert_terminal_safe(out)
    assert_shows(out, *SHOWN, SURROGATE[1], "[/bold]fullmarks", "1.2")


def test_hostile_text_covers_every_piece():
    assert all(raw in HOSTILE for raw, _ in PIECES.values())
