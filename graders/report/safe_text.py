"""Untrusted text (what a student's code printed or returned, names taken from folder names, file
names) made safe to show: :func:`visible` escapes every character that could act on a terminal or
hide what the text says, and :func:`safe_text` wraps the result in a ``rich.text.Text``, which
rich never parses as markup.

Escaped, as Python writes them in a string literal (``\\x1b``, ``\\r``, ``\\u202e``): the C0
controls but tab (and newline, unless ``newlines=False``) and DEL as ``\\xNN``; the C1 controls
(so ESC and CSI, OSC and DCS sequences lose their first byte and show as text), the format
characters (bidi embeddings, overrides and isolates, zero-width spaces and joiners, the BOM,
invisible tags), the line and paragraph separators and blank-looking fillers as ``\\uNNNN``;
lone surrogates, which no UTF-8 terminal or file can encode: a byte that was not UTF-8 (what
``surrogateescape`` reads from a non-UTF-8 file name) as ``\\xNN`` with ``NN`` of 80 or more
(the form geodl shows such a name in), any other as ``\\udNNN``.
Everything else, every printable letter, symbol and ``[`` of any script, is kept as it is. A
backslash is not doubled: a student may write ``\\x1b`` literally and it reads the same as an
escaped ESC, which harms nobody.

Data exports (CSV, JSON) keep the raw value; this is for what a person reads.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from graders.grading.names import escape_char

if TYPE_CHECKING:  # rich on first use: a student's self-check needs only visible()
    from rich.style import StyleType
    from rich.text import Text

#: Anything but printable ASCII, tab and newline is looked at (the common case is all ASCII).
_SUSPECT = re.compile(r"[^\t\n\x20-\x7e]")
_SUSPECT_SINGLE_LINE = re.compile(r"[^\t\x20-\x7e]")

def _escape_match(match: re.Match) -> str:
    return escape_char(match.group(0))


_SURROGATES = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with only its lone surrogates escaped (as :func:`visible` does): what a UTF-8
    file can hold of a non-UTF-8 name, everything else raw (for data files, not terminals).

    >>> without_surrogates("caf\\udce9\\x1b")
    'caf\\\\xe9\\x1b'
    """
    return _SURROGATES.sub(_escape_match, text)


def visible(text: object, *, newlines: bool = True) -> str:
    """``text`` (``str()`` of it) with every control, format and invisible character escaped.

    Parameters
    ----------
    text : object
        Untrusted text; anything else is turned into text first.
    newlines : bool
        Keep line breaks (a message, a counterexample, printed output); ``False`` escapes them
        too, for what must stay on one line (a name, a table cell).

    Returns
    -------
    str
        Printable text that a terminal shows as written: no escape sequence, no carriage
        return, no bidi override, no zero-width character, no surrogate.

    Examples
    --------
    >>> visible("\\x1b[2Jcleared")
    '\\\\x1b[2Jcleared'
    >>> visible("txt.\\u202eexe")
    'txt.\\\\u202eexe'
    >>> visible("a\\nb\\r38 / 38"), visible("a\\nb", newlines=False)
    ('a\\nb\\\\r38 / 38', 'a\\\\nb')
    >>> visible("café [/bold] ∑ 日本")
    'café [/bold] ∑ 日本'
    """
    string = text if isinstance(text, str) else str(text)
    pattern = _SUSPECT if newlines else _SUSPECT_SINGLE_LINE
    return pattern.sub(_escape_match, string)


def safe_text(text: object, style: StyleType = "", *, newlines: bool = True) -> Text:
    """Untrusted text as a ``rich`` ``Text``: never parsed as markup, escaped by :func:`visible`.

    Use it for every student-controlled string that goes to a console or into a table cell
    (``Table.add_row`` and ``Console.print`` parse markup in a ``str``).

    >>> safe_text("[/bold] \\x1b]8;;javascript:x\\x07", style="red").plain
    '[/bold] \\\\x1b]8;;javascript:x\\\\x07'
    """
    from rich.text import Text

    return Text(visible(text, newlines=newlines), style=style)
