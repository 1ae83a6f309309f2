"""Code similarity of a class's submissions, per exercise: winnowed fingerprints of a normalised
token stream (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document
fingerprinting", SIGMOD 2003, the method of Moss), ranked pairs, a terminal table and an HTML page
with the matched lines side by side.

What makes two submissions look alike here survives the usual disguises:

- **renaming and literals**: Python's :mod:`tokenize` reads the code; every identifier becomes
  ``V`` unless it is a keyword, a builtin or an attribute (``np.dot`` reads ``V . dot``: the
  library calls are kept, the alias is not), every number ``N`` and every string ``S``;
- **reformatting and comments**: comments, blank lines, line breaks inside brackets and
  docstrings (a statement that is a lone string) are dropped; indentation only delimits blocks;
- **statement reordering**: the statements of every block are put in a canonical order (sorted
  by their normalised text, a compound statement with its whole body, ``elif``/``else``/
  ``except``/``finally`` kept with their statement and decorators with their definition), so two
  orders of the same statements give the same stream.

The k-grams of the canonical stream (``k`` tokens) are hashed (BLAKE2b, stable from run to run),
and winnowing keeps the smallest hash of every window of ``window`` consecutive hashes: any run
of at least ``k + window - 1`` tokens that two submissions share yields a shared fingerprint.
Fingerprints of the released stub (every k-gram of it, not just the winnowed ones) never count.
A pair's score is the Jaccard index of the two fingerprint sets, in [0, 1].

Code that does not tokenize (a syntax error, an unclosed bracket, bad indentation) is read by a
plain regular expression, one line a statement, in its written order. Nothing is executed or
imported; bytes that are not UTF-8 read as U+FFFD, NUL bytes are dropped, and each file is cut at
:data:`MAX_SOURCE_CHARS`.
"""
from __future__ import annotations

import ast
import builtins
import dataclasses
import hashlib
import io
import itertools
import keyword
import re
import tokenize
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from graders.report.safe_text import safe_text, visible

#: Tokens in a k-gram.
DEFAULT_K = 8
#: Hashes in a winnowing window: a shared run of ``k + window - 1`` tokens always matches.
DEFAULT_WINDOW = 4
#: The part of a file that is read (a student's file may be of any size).
MAX_SOURCE_CHARS = 200_000
#: Pairs listed per exercise by default.
DEFAULT_TOP = 10

_KEPT_NAMES = frozenset(dir(builtins)) | frozenset(keyword.kwlist)
_CLAUSES = frozenset({"elif", "else", "except", "finally"})
_OPEN, _CLOSE, _END = "{", "}", ";"
_FALLBACK_TOKEN = re.compile(r"[A-Za-z_]\w*|\d[\w.]*|'''.*?'''|\"\"\".*?\"\"\"|'[^'\n]*'?|\"[^\"\n]*\"?|#.*"
                             r"|\*\*=?|//=?|->|<<=?|>>=?|\.\.\.|[-+*/%&|^@<>=!:]=|\S")


@dataclasses.dataclass(frozen=True)
class Token:
    """One normalised token and the source line (1-based) it was read from."""

    text: str
    line: int


@dataclasses.dataclass
class _Statement:
    """A statement with its clauses: each clause is (header tokens, the statements of its body)."""

    clauses: list[tuple[list[Token], list[_Statement]]]


@dataclasses.dataclass(frozen=True)
class Fingerprinted:
    """One submission's code for one exercise, read and fingerprinted.

    Attributes
    ----------
    student : str
    source : str
        The code as read (decoded, NUL bytes dropped, cut at :data:`MAX_SOURCE_CHARS`).
    prints : mapping of int to frozenset of int
        Each fingerprint (stub fingerprints removed) to the source lines its k-gram came from.
    """

    student: str
    source: str
    prints: Mapping[int, frozenset[int]]


@dataclasses.dataclass(frozen=True)
class PairSimilarity:
    """Two submissions of one exercise, how alike they are, and where.

    Attributes
    ----------
    a, b : str
        The students, ``a < b``.
    score : float
        Jaccard index of their fingerprint sets, in [0, 1].
    shared : int
        Fingerprints they share.
    lines_a, lines_b : frozenset of int
        The source lines (1-based) of ``a`` and of ``b`` that the shared fingerprints cover.
    """

    a: str
    b: str
    score: float
    shared: int
    lines_a: frozenset[int]
    lines_b: frozenset[int]


@dataclasses.dataclass(frozen=True)
class ExerciseSimilarity:
    """The ranked pairs of one exercise (most similar first) and the code they were read from."""

    exercise: str
    module_file: str
    pairs: tuple[PairSimilarity, ...]
    sources: Mapping[str, str]

    def top(self, n: int) -> tuple[PairSimilarity, ...]:
        return self.pairs[:n]


# --------------------------------------------------------------------------------------------
# Reading code into a normalised, canonically ordered token stream


def read_source(data: bytes | str) -> str:
    """Untrusted file content as text: UTF-8 with U+FFFD for bad bytes, no NUL, at most
    :data:`MAX_SOURCE_CHARS` characters."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return text[:MAX_SOURCE_CHARS].replace("\0", "")


def normalized_tokens(source: str) -> list[Token]:
    """The canonical token stream of ``source`` (see the module's docstring).

    >>> [t.text for t in normalized_tokens("total = np.sum(x)  # sum it\\n")]
    ['V', '=', 'V', '.', 'sum', '(', 'V', ')', ';']
    >>> a = normalized_tokens("a = 1\\nb = f(2)\\n")
    >>> b = normalized_tokens("y = g(7)\\n\\n\\nx = 3\\n")
    >>> [t.text for t in a] == [t.text for t in b]
    True
    """
    try:
        block = _parse_block(_logical_lines(source))
    except (tokenize.TokenError, SyntaxError, ValueError):  # IndentationError is a SyntaxError
        return _fallback_tokens(source)
    return _serialize_block(block)


def _logical_lines(source: str) -> Iterable[tuple[int, list[Token]]]:
    """``(depth, tokens)`` of each logical line, tokens normalised, docstrings left out."""
    depth, after_dot = 0, False
    line: list[Token] = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        kind, text = tok.type, tok.string
        if kind == tokenize.INDENT:
            depth += 1
        elif kind == tokenize.DEDENT:
            depth -= 1
        elif kind == tokenize.NEWLINE:
            if line and [t.text for t in line] != ["S"]:
                yield depth, line
            line = []
        elif kind in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER):
            continue
        elif kind == tokenize.ERRORTOKEN and not text.strip():
            continue
        else:
            line.append(Token(_normal_text(kind, text, after_dot), tok.start[0]))
            after_dot = text == "."
    if line:
        yield depth, line


def _normal_text(kind: int, text: str, after_dot: bool) -> str:
    if kind == tokenize.NAME:
        return text if after_dot or text in _KEPT_NAMES else "V"
    if kind == tokenize.NUMBER:
        return "N"
    if kind == tokenize.STRING:
        return "S"
    return text


def _parse_block(lines: Iterable[tuple[int, list[Token]]]) -> list[_Statement]:
    """The logical lines as nested statements: a line deeper than the one before opens the body
    of the last clause; ``elif``/``else``/``except``/``finally`` join the statement before them;
    decorators join the definition after them."""
    root: list[_Statement] = []
    stack: list[list[_Statement]] = [root]  # stack[d]: the statements at depth d
    decorators: list[Token] = []
    for depth, tokens in lines:
        if depth >= len(stack):  # the body of the previous statement's last clause
            parent = stack[-1][-1] if stack[-1] else None
            if parent is None:
                raise ValueError("indented block without a statement")
            body: list[_Statement] = parent.clauses[-1][1]
            stack.append(body)
        del stack[depth + 1:]
        siblings = stack[depth]
        if tokens[0].text == "@":
            decorators += tokens
        elif tokens[0].text in _CLAUSES and siblings:
            siblings[-1].clauses.append((tokens, []))
        else:
            siblings.append(_Statement([(decorators + tokens, [])]))
            decorators = []
    return root


def _serialize_block(block: list[_Statement]) -> list[Token]:
    parts = sorted((_serialize(s) for s in block), key=lambda tokens: [t.text for t in tokens])
    return list(itertools.chain.from_iterable(parts))


def _serialize(statement: _Statement) -> list[Token]:
    out: list[Token] = []
    for header, body in statement.clauses:
        out += header
        if body:
            out += [Token(_OPEN, header[-1].line), *_serialize_block(body), Token(_CLOSE, header[-1].line)]
        else:
            out.append(Token(_END, header[-1].line))
    return out


def _fallback_tokens(source: str) -> list[Token]:
    """Tokens of code that does not tokenize: a regular expression reads each physical line as a
    statement, its indentation gives the blocks, and the blocks are ordered as
    :func:`normalized_tokens` orders them."""
    lines: list[tuple[int, list[Token]]] = []
    indents = [0]
    for number, text in enumerate(source.splitlines(), start=1):
        tokens: list[Token] = []
        for match in _FALLBACK_TOKEN.finditer(text):
            word = match.group(0)
            if word[0] == "#":
                break
            if word[0].isalpha() or word[0] == "_":
                word = word if word in _KEPT_NAMES or (tokens and tokens[-1].text == ".") else "V"
            elif word[0].isdigit():
                word = "N"
            elif word[0] in "'\"":
                word = "S"
            tokens.append(Token(word, number))
        if not tokens or [t.text for t in tokens] == ["S"]:
            continue
        indent = len(text) - len(text.lstrip())
        if indent > indents[-1] and lines:
            indents.append(indent)
        while len(indents) > 1 and indent < indents[-1]:
            indents.pop()
        lines.append((len(indents) - 1, tokens))
    return _serialize_block(_parse_block(lines))


def exercise_source(source: str, names: Sequence[str]) -> str:
    """The part of ``source`` that defines ``names`` (top-level functions, classes and assigned
    names, decorators included), other lines blanked so line numbers stay; the whole of
    ``source`` where it does not parse or defines none of them.

    >>> print(exercise_source("def f():\\n    return 1\\n\\ndef g():\\n    return 2\\n", ["g"]), end="")
    <BLANKLINE>
    <BLANKLINE>
    <BLANKLINE>
    def g():
        return 2
    """
    if not names:
        return source
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return source
    wanted, keep = set(names), set[int]()
    for node in tree.body:
        if _defines(node) & wanted:
            first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
            keep.update(range(first, (node.end_lineno or node.lineno) + 1))
    if not keep:
        return source
    lines = source.splitlines()
    return "\n".join(line if number in keep else "" for number, line in enumerate(lines, start=1)) + "\n"


def _defines(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {t.id for t in targets if isinstance(t, ast.Name)}
    return set()


# --------------------------------------------------------------------------------------------
# Fingerprints


def _kgram_hashes(tokens: Sequence[Token], k: int) -> list[tuple[int, frozenset[int]]]:
    """``(hash, source lines)`` of every k-gram (one gram of all tokens where there are fewer)."""
    texts = [t.text for t in tokens]
    grams = []
    for start in range(max(len(tokens) - k + 1, 1 if tokens else 0)):
        gram = "\x1f".join(texts[start:start + k]).encode()
        value = int.from_bytes(hashlib.blake2b(gram, digest_size=8).digest(), "big")
        grams.append((value, frozenset(t.line for t in tokens[start:start + k])))
    return grams


def winnow(hashes: Sequence[int], window: int) -> list[int]:
    """Positions winnowing selects: the rightmost smallest hash of every window of ``window``
    consecutive hashes (each position once). Every hash is kept where there are fewer.

    >>> winnow([77, 74, 42, 17, 98, 50, 17, 98, 8, 88, 67, 39, 77, 74, 42, 17, 98], 4)
    [3, 6, 8, 11, 15]
    """
    if window < 1:
        raise ValueError(f"window={window!r} must be at least 1")
    if len(hashes) <= window:
        return [min(range(len(hashes)), key=lambda i: (hashes[i], -i))] if hashes else []
    chosen: list[int] = []
    for start in range(len(hashes) - window + 1):
        best = min(range(start, start + window), key=lambda i: (hashes[i], -i))
        if not chosen or chosen[-1] != best:
            chosen.append(best)
    return chosen


def stub_fingerprints(stub: str, *, k: int = DEFAULT_K) -> frozenset[int]:
    """Every k-gram hash of the released stub's code (what never counts as a match)."""
    return frozenset(h for h, _ in _kgram_hashes(normalized_tokens(read_source(stub)), k))


def fingerprint(student: str, data: bytes | str, *, excluded: frozenset[int] = frozenset(),
                k: int = DEFAULT_K, window: int = DEFAULT_WINDOW) -> Fingerprinted:
    """One submission's fingerprints (those in ``excluded`` left out), with their source lines."""
    source = read_source(data)
    grams = _kgram_hashes(normalized_tokens(source), k)
    prints: dict[int, set[int]] = defaultdict(set)
    for position in winnow([h for h, _ in grams], window):
        value, lines = grams[position]
        if value not in excluded:
            prints[value] |= lines
    return Fingerprinted(student, source, {h: frozenset(lines) for h, lines in prints.items()})


def compare(first: Fingerprinted, second: Fingerprinted) -> PairSimilarity:
    """The similarity of two fingerprinted submissions (students ordered by name)."""
    a, b = sorted((first, second), key=lambda d: d.student)
    shared = a.prints.keys() & b.prints.keys()
    union = len(a.prints.keys() | b.prints.keys())
    score = len(shared) / union if union else 0.0
    lines_a = frozenset().union(*(a.prints[h] for h in shared))
    lines_b = frozenset().union(*(b.prints[h] for h in shared))
    return PairSimilarity(a.student, b.student, score, len(shared), lines_a, lines_b)


def rank_pairs(documents: Iterable[Fingerprinted]) -> list[PairSimilarity]:
    """Every pair that shares a fingerprint, most similar first (ties by name). A pair that shares
    none has score 0 and is left out. An index from fingerprint to documents finds the pairs."""
    docs = {d.student: d for d in documents}
    holders: dict[int, list[str]] = defaultdict(list)
    for student, doc in docs.items():
        for value in doc.prints:
            holders[value].append(student)
    candidates = {pair for students in holders.values() for pair in itertools.combinations(sorted(students), 2)}
    pairs = [compare(docs[a], docs[b]) for a, b in candidates]
    return sorted(pairs, key=lambda p: (-p.score, p.a, p.b))


def exercise_similarity(exercise: str, module_file: str, submissions: Mapping[str, bytes | str], *,
                        stub: str = "", names: Sequence[str] = (), k: int = DEFAULT_K,
                        window: int = DEFAULT_WINDOW) -> ExerciseSimilarity:
    """Ranked pairs of one exercise.

    Parameters
    ----------
    exercise : str
        ``"ch06.mlp_backprop"``.
    module_file : str
        ``"ch06/mlp.py"``, for the report.
    submissions : mapping of str to bytes or str
        Each student's content of ``module_file`` (untrusted).
    stub : str
        The released stub of ``module_file``: its code never counts as a match.
    names : sequence of str
        The exercise's functions: only their definitions are compared (where a file defines none
        of them, the whole file is), so exercises that share a module are told apart.
    k, window : int
        Winnowing's k-gram length and window, in tokens (both at least 1).
    """
    for name, value in (("k", k), ("window", window)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name}={value!r} must be a positive number of tokens")
    excluded = stub_fingerprints(exercise_source(read_source(stub), names), k=k) if stub else frozenset()
    docs = [fingerprint(student, exercise_source(read_source(data), names), excluded=excluded, k=k, window=window)
            for student, data in sorted(submissions.items())]
    return ExerciseSimilarity(exercise, module_file, tuple(rank_pairs(docs)), {d.student: d.source for d in docs})


# --------------------------------------------------------------------------------------------
# Reports


def similarity_table(report: ExerciseSimilarity, *, top: int = DEFAULT_TOP):
    """A rich table of the ``top`` pairs of one exercise (names shown escaped, never as markup)."""
    from rich.table import Table

    title = safe_text(f"{report.exercise} ({report.module_file}): {len(report.sources)} submissions",
                      "table.title", newlines=False)
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("student")
    table.add_column("student")
    table.add_column("similarity", justify="right")
    table.add_column("shared", justify="right")
    for rank, pair in enumerate(report.top(top), start=1):
        table.add_row(str(rank), safe_text(pair.a, newlines=False), safe_text(pair.b, newlines=False),
                      f"{pair.score:.2f}", str(pair.shared))
    if not report.pairs:
        table.add_row("", safe_text("no pair shares code beyond the stub", "dim"), "", "", "")
    return table


@dataclasses.dataclass(frozen=True)
class _SideBySideLine:
    number_a: str
    text_a: str
    matched_a: bool
    number_b: str
    text_b: str
    matched_b: bool


def side_by_side(pair: PairSimilarity, sources: Mapping[str, str]) -> list[_SideBySideLine]:
    """The two files line by line, each line marked where a shared fingerprint covers it."""
    left = sources.get(pair.a, "").splitlines()
    right = sources.get(pair.b, "").splitlines()
    rows = []
    for i in range(max(len(left), len(right))):
        rows.append(_SideBySideLine(
            str(i + 1) if i < len(left) else "", left[i] if i < len(left) else "", i + 1 in pair.lines_a,
            str(i + 1) if i < len(right) else "", right[i] if i < len(right) else "", i + 1 in pair.lines_b))
    return rows


def write_html(reports: Sequence[ExerciseSimilarity], out: str | Path, *, assignment: str,
               top: int = DEFAULT_TOP) -> Path:
    """The similarity page: per exercise, the ``top`` pairs and each pair's files side by side
    with the matched lines highlighted. Every value is escaped (autoescape, and control and
    invisible characters shown as escapes)."""
    import jinja2
    import markupsafe

    def finalize(value):
        return visible(value) if isinstance(value, str) and not isinstance(value, markupsafe.Markup) else value

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                     lstrip_blocks=True, finalize=finalize)
    sections = [{"report": r, "pairs": [(p, side_by_side(p, r.sources)) for p in r.top(top)]} for r in reports]
    page = environment.get_template("similarity.html.j2").render(assignment=assignment, sections=sections, top=top)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8", errors="replace")
    return path
