"""Reading ``references/*.bib`` with pybtex, keeping the file and line of every entry.

pybtex's own ``Parser`` stops at a key defined twice and silently drops every
entry after it, and it does not remember where an entry was. So this module
drives pybtex's low-level parser itself: it records each entry's line, turns
syntax errors into located problems and reports duplicates with both places.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from pybtex.database.input.bibtex import LowLevelParser, UndefinedMacro, month_names
from pybtex.scanner import PybtexSyntaxError
from pybtex.textutils import normalize_whitespace
from pybtex.utils import CaseInsensitiveDict

from ..model.content import Notice, Reference
from ..model.patterns import DOI
from ..model.problems import FactcheckError, Problem
from ..model.records import record
from ..model.registry import BIB_FIELD, BIB_SYNTAX
from .frontmatter import decode

# Between entries BibTeX ignores any text, so a '}' too many inside an entry ends it early and
# its remaining fields are dropped without a word; what is left between entries shows it.
_STRAY = re.compile(r"\}|^[ \t]*,?[ \t]*[A-Za-z][\w-]*[ \t]*=", re.MULTILINE)


@record()
class BibFile:
    """What one ``.bib`` file yields: its entries in file order, and its problems."""

    path: str
    digest: str
    references: tuple[Reference, ...]
    problems: tuple[Problem, ...]


def parse_file(path: Path, display: str) -> BibFile:
    return parse_bytes(path.read_bytes(), display)


def parse_bytes(data: bytes, display: str) -> BibFile:
    try:
        text = decode(data, display)
    except FactcheckError as exc:
        # Read the entries all the same, with U+FFFD for the bad bytes: otherwise one stray byte
        # drops the whole file and every claim citing it gets an "unknown reference" error too.
        text = data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        bib = parse_text(text, display)
        return BibFile(display, bib.digest, bib.references, (exc.problem, *bib.problems))
    return parse_text(text, display)


def parse_text(text: str, display: str) -> BibFile:
    problems: list[Problem] = []
    references: list[Reference] = []
    # Where each command with a syntax error starts. An error belongs to the command being read
    # when it is found; counting problems instead dropped the entry *after* a repeated field, or
    # after stray "@@" text, as if it were broken, and its key then looked undefined.
    broken: set[int] = set()

    def on_error(exc: PybtexSyntaxError) -> None:
        if isinstance(exc, UndefinedMacro):
            # pybtex's message is the bare name; the field is left empty and the entry is sound.
            name = _message(exc)
            message = f"undefined macro '{name}' (text that is not a number goes in braces: {{{name}}})"
            problems.append(BIB_SYNTAX.at(display, exc.lineno or 1, f"BibTeX syntax error: {message}"))
            return
        broken.add(parser.command_start)
        message = _message(exc)
        position = exc.error_context_info[-1]
        if parser.current_entry_key and text.startswith("@", position):
            # The parser ran into the next entry: the line given is that entry's, the fault is earlier.
            start_line = text.count("\n", 0, parser.command_start) + 1
            message += f" (entry '{parser.current_entry_key}' from line {start_line} is not closed: check its braces)"
        problems.append(BIB_SYNTAX.at(display, exc.lineno or 1, f"BibTeX syntax error: {message}"))

    parser = LowLevelParser(text, macros=CaseInsensitiveDict(month_names), handle_error=on_error, filename=display)
    line, counted = 1, 0  # lines are counted on from the previous entry: once per file, not once per entry
    previous_end, previous_key = 0, ""
    for command in parser:
        start = parser.command_start
        line += text.count("\n", counted, start)
        counted = start
        _check_between(text, previous_end, start, previous_key, broken, display, problems)
        previous_end = parser.pos
        entry_type, body = command
        if start in broken:  # a syntax error inside this entry: its fields cannot be trusted
            previous_key = ""
            continue
        kind = entry_type.lower()
        if kind in ("string", "preamble", "comment"):
            previous_key = ""
            continue
        key, raw_fields = body
        previous_key = key
        reference = _reference(kind, key, raw_fields, display, line, problems)
        if reference is not None:
            references.append(reference)
    _check_between(text, previous_end, len(text), previous_key, broken, display, problems)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return BibFile(display, digest, tuple(references), tuple(problems))


def _check_between(
    text: str, start: int, end: int, key: str, broken: set[int], display: str, problems: list[Problem]
) -> None:
    """A problem if the text between two entries looks like fields cut off by a '}' too many."""
    if not key or "@" in text[start:end]:  # after a broken entry, or around an @comment: judged elsewhere
        return
    stray = _STRAY.search(text, start, end)
    if stray is None or any(start <= position < end for position in broken):
        return
    line = text.count("\n", 0, start) + 1  # where the entry was closed: the '}' too many is there
    problems.append(BIB_SYNTAX.at(display, line, f"BibTeX syntax error: entry '{key}' ends here, but the text after it "
                                  "looks like more of its fields: is there a '}' too many?"))


def _message(exc: PybtexSyntaxError) -> str:
    text = str(exc)
    # pybtex says "syntax error in line 12: '}' expected"; the line is already in the location.
    return text.split(": ", 1)[1] if ": " in text else text


def _reference(
    kind: str, key: str, raw_fields: Iterable[tuple[str, list[str]]], display: str, line: int, problems: list[Problem]
) -> Reference | None:
    # Fields stay as written (LaTeX and all): the rules need only their presence and form, and
    # turning LaTeX into text is left to formatting, which does it once per cited entry.
    fields: dict[str, str] = {}
    for name, value_parts in raw_fields:
        name = name.lower()
        if name in fields:
            problems.append(BIB_FIELD.at(display, line, f"entry '{key}' has the field '{name}' twice; keep one"))
            continue
        fields[name] = normalize_whitespace("".join(value_parts))
    return Reference(key, kind, display, line, fields)


def parse_notices(value: str) -> tuple[list[Notice], list[str]]:
    """The notices of a ``notices`` field ("type DOI YYYY-MM-DD; ..."), and a description of each part that is not one."""
    notices, bad = [], []
    for part in (piece.strip() for piece in value.split(";")):
        if not part:
            continue
        words = part.split()
        if len(words) != 3 or not DOI.match(words[1]):
            bad.append(part)
            continue
        try:
            date = datetime.date.fromisoformat(words[2])
        except ValueError:
            bad.append(part)
            continue
        notices.append(Notice(words[0], words[1], date))
    return notices, bad
