"""File and folder names, and how geodl stores and shows them.

Names are any bytes on Linux; Python reads them with surrogate escapes (``os.fsdecode``).
:func:`encode_name` gives the text form geodl stores and shows them under (a student's name is
her folder's name in that form: :mod:`graders.batch.discovery`), :func:`decode_name` gives the
bytes back, and :func:`display_name` the form a person reads (:func:`escape_char` is its rule for
one character, which :mod:`graders.report.safe_text` applies to any untrusted text).
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata

_ESCAPES = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")


def encode_name(raw: str | bytes) -> str:
    r"""The text form of a file or folder name: lossless, unique, and valid UTF-8 without NUL.

    A name that is valid UTF-8 and holds no backslash and no NUL is kept as it is. Any other name
    is written with its backslashes doubled (``\\``) and each byte that is not part of valid
    UTF-8, and each NUL, as ``\xNN`` (two lower-case hex digits); everything else stays as it
    is. Every name of the second kind holds a backslash and no name of the first kind does, and
    within the second kind the escapes read back one way: two different names never get the
    same form, and :func:`decode_name` gives the bytes back.

    Parameters
    ----------
    raw : str or bytes
        The name as bytes, or as ``os.fsdecode`` reads it (``str`` with surrogate escapes).

    Examples
    --------
    >>> encode_name("alice"), encode_name("José"), encode_name(b"caf\xe9"), encode_name("a\\b")
    ('alice', 'José', 'caf\\xe9', 'a\\\\b')
    >>> encode_name(os.fsdecode(b"caf\xe9")) == encode_name(b"caf\xe9")
    True
    """
    data = os.fsencode(raw) if isinstance(raw, str) else bytes(raw)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    else:
        if "\\" not in text and "\0" not in text:
            return text
    text = data.decode("utf-8", "surrogateescape").replace("\\", "\\\\").replace("\0", "\\x00")
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else c for c in text)


def decode_name(name: str) -> bytes:
    r"""The bytes of a name :func:`encode_name` wrote (``os.fsdecode`` of them: the ``str``
    Python reads the name as); raises :class:`ValueError` for text it cannot have written.

    >>> decode_name("caf\\xe9"), decode_name("José"), decode_name("a\\\\b")
    (b'caf\xe9', b'Jos\xc3\xa9', b'a\\b')
    """
    if "\\" not in name:
        return name.encode("utf-8", "surrogateescape")
    parts, at = [], 0
    for match in _ESCAPES.finditer(name):
        if "\\" in name[at:match.start()]:
            break
        parts += [name[at:match.start()].encode("utf-8"),
                  b"\\" if match.group(1) == "\\" else bytes([int(match.group(1)[1:], 16)])]
        at = match.end()
    if "\\" in name[at:]:
        raise ValueError(f"{name!r} holds a backslash that is not an escape of encode_name")
    return b"".join(parts) + name[at:].encode("utf-8")


#: Unicode categories never shown as they are: controls, format characters (bidi overrides,
#: zero-width characters), surrogates, line and paragraph separators.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: Letters that render as blank space (a known way to fake an empty or different name).
INVISIBLE_LETTERS = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"})
_SUSPECT = re.compile(r"[^\x20-\x7e]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@functools.lru_cache(maxsize=4096)
def escape_char(char: str) -> str:
    """One character as a person reads it: itself, or escaped as in a Python string literal
    (``\\n``, ``\\r``, ``\\t``; other ASCII controls and DEL as ``\\xNN``; a byte that was not
    UTF-8, as ``surrogateescape`` reads it, as ``\\xNN`` with ``NN`` of 80 or more; C1 controls,
    format characters, separators, blank-looking letters and other surrogates as ``\\uNNNN``)."""
    if char in _NAMED:
        return _NAMED[char]
    if unicodedata.category(char) not in HIDDEN_CATEGORIES and char not in INVISIBLE_LETTERS:
        return char
    code = ord(char)
    if code < 0x80:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def display_name(name: str) -> str:
    r"""A name as a person reads it: one line, every control and invisible character escaped.

    ``name`` is a name in :func:`encode_name`'s form (what discovery and the results store
    give; one holding surrogate escapes, as ``os.fsdecode`` reads it, is put in that form
    first). Escaped as in a Python string literal: ``\n``, ``\r``, ``\t``, other ASCII
    controls and DEL as ``\xNN``; C1 controls, format characters (bidi overrides, zero-width
    spaces), line and paragraph separators and blank-looking letters as ``\uNNNN``. A ``\xNN``
    with ``NN`` of 80 or more is always a byte that was not UTF-8, never a character, so two
    names never display alike. Letters, digits, symbols and spaces of any script stay.

    >>> display_name("alice"), display_name("a\nb"), display_name(encode_name(b"caf\xe9"))
    ('alice', 'a\\nb', 'caf\\xe9')
    >>> display_name("txt\u202eexe"), display_name("\x1b[2J")
    ('txt\\u202eexe', '\\x1b[2J')
    """
    if any("\ud800" <= c <= "\udfff" for c in name):
        name = encode_name(name)
    return _SUSPECT.sub(lambda match: escape_char(match.group(0)), name)


def name_refusal(name: str) -> str | None:
    """Why a file or folder name cannot be a module's or a package's, or None."""
    if any("\udc80" <= c <= "\udcff" for c in name):
        return "its name is not valid UTF-8"
    if any(unicodedata.category(c) in HIDDEN_CATEGORIES for c in name):
        return "its name holds control characters"
    return None
