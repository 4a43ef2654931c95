"""Reading ``references/*.bib`` with pybtex, keeping the file and line of every entry.

pybtex's own ``Parser`` stops at a key defined twice and silently drops every
entry after it, and it does not remember where an entry was. So this module
drives pybtex's low-level parser itself: it records each entry's line, turns
syntax errors into located problems and reports duplicates with both places.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pybtex.database.input.bibtex import LowLevelParser, month_names
from pybtex.scanner import PybtexSyntaxError
from pybtex.textutils import normalize_whitespace
from pybtex.utils import CaseInsensitiveDict

from .frontmatter import read_text
from .model import Reference
from .problems import FactcheckError, Problem, error

PERSON_FIELDS = ("author", "editor")


@dataclass(frozen=True, slots=True)
class BibFile:
    """What one ``.bib`` file yields: its entries in file order, and its problems."""

    path: str
    digest: str
    references: tuple[Reference, ...]
    problems: tuple[Problem, ...]


def parse_file(path: Path, display: str) -> BibFile:
    try:
        text = read_text(path, display)
    except FactcheckError as exc:
        return BibFile(display, "", (), (exc.problem,))
    return parse_text(text, display)


def parse_text(text: str, display: str) -> BibFile:
    problems: list[Problem] = []
    references: list[Reference] = []

    def on_error(exc: PybtexSyntaxError) -> None:
        problems.append(error(display, exc.lineno or 1, "bib-syntax", f"BibTeX syntax error: {_message(exc)}"))

    parser = LowLevelParser(text, macros=CaseInsensitiveDict(month_names), handle_error=on_error, filename=display)
    reported = 0
    for command in parser:
        entry_type, body = command
        if len(problems) > reported:  # a syntax error inside this entry: its fields cannot be trusted
            reported = len(problems)
            continue
        line = text.count("\n", 0, parser.command_start) + 1
        kind = entry_type.lower()
        if kind in ("string", "preamble", "comment"):
            continue
        key, raw_fields = body
        reference = _reference(kind, key, raw_fields, display, line, problems)
        if reference is not None:
            references.append(reference)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return BibFile(display, digest, tuple(references), tuple(problems))


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
            problems.append(error(display, line, "bib-field", f"entry '{key}' has the field '{name}' twice"))
            continue
        fields[name] = normalize_whitespace("".join(value_parts))
    return Reference(key, kind, display, line, fields)
