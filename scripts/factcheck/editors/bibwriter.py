"""Writing a new BibTeX entry: its key, its escaped fields, and an append that cannot damage the file.

The entry follows docs/contributing.md: the key is the first author's family
name, the year and the first significant word of the title; the fields come
in the order the existing entries use.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import stat
import string
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from .metadata import RETRACTED_MARK, Author, Work

MAX_AUTHORS = 10  # more than this: the first ten, then "and others"
STOP_WORDS = frozenset({"a", "an", "the", "of", "on", "in", "and", "for", "to", "with", "by", "from"})
# BibTeX counts every brace, escaped or not, so a lone "\{" would unbalance the entry;
# the text commands keep braces balanced and still print the character in LaTeX.
SPECIALS = {
    "\\": "{\\textbackslash}",
    "{": "{\\textbraceleft}",
    "}": "{\\textbraceright}",
    "&": "\\&",
    "%": "\\%",
    "$": "\\$",
    "#": "\\#",
    "_": "\\_",
}
_SPECIAL = re.compile("|".join(re.escape(char) for char in SPECIALS))
# Letters that Unicode does not decompose into an ASCII letter and an accent.
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
                       "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i"})


class FileChanged(Exception):
    """The target file changed between reading it and writing it: someone else is editing it."""


def fold_accents(text: str) -> str:
    """``text`` with accents stripped (Müller → Muller, Łukasz → Lukasz); other characters are kept."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# --- the key -----------------------------------------------------------------------------------


def citation_key(work: Work, taken: Collection[str]) -> str:
    """family name + year + first significant title word; b, c, … appended while the key is taken.

    ``taken`` is compared without case, as the checker's duplicate-key rule does.
    """
    base = _name_part(work.authors[0].family if work.authors else "") + work.year + _title_word(work.title)
    taken_lower = {key.lower() for key in taken}
    for suffix in _suffixes():
        if (base + suffix).lower() not in taken_lower:
            return base + suffix
    raise AssertionError("unreachable: the suffixes never run out")


def _name_part(family: str) -> str:
    # Spaces and apostrophes go (van der Berg → vanderberg, O'Brien → obrien); hyphens stay (moda-sava).
    name = re.sub(r"[^a-z0-9-]", "", fold_accents(family).lower()).strip("-")
    return name or "anon"


def _title_word(title: str) -> str:
    for word in fold_accents(RETRACTED_MARK.sub("", title)).lower().split():
        match = re.search(r"[a-z0-9]+", word)  # mTOR-dependent → mtor
        if match and match.group() not in STOP_WORDS:
            return match.group()
    return ""


def _suffixes() -> Iterator[str]:
    yield ""
    yield from string.ascii_lowercase[1:]  # li2010mtorb: the first entry is the implicit "a"
    for length in itertools.count(2):
        for letters in itertools.product(string.ascii_lowercase, repeat=length):
            yield "".join(letters)


# --- the entry ---------------------------------------------------------------------------------


def escape(value: str) -> str:
    """``value`` with BibTeX's special characters escaped: R&D → R\\&D, 50% → 50\\%."""
    return _SPECIAL.sub(lambda match: SPECIALS[match.group()], value)


def protect_title(title: str) -> str:
    """The escaped title, with words that have a capital after their first letter in braces.

    Bibliography styles lower-case titles; {mTOR} and {NMDA} must survive that,
    while an ordinary capital at the start of a word may not.
    """
    return re.sub(r"[^\W_]+", _protect_word, escape(title))


def _protect_word(match: re.Match[str]) -> str:
    word = match.group()
    return f"{{{word}}}" if any(char.isupper() for char in word[1:]) else word


def format_people(authors: Sequence[Author]) -> str:
    names = [_person(author) for author in authors[:MAX_AUTHORS]]
    if len(authors) > MAX_AUTHORS:
        names.append("others")
    return " and ".join(names)


def _person(author: Author) -> str:
    family = escape(author.family)
    if author.organisation or "," in family or re.search(r"\band\b", family, re.IGNORECASE):
        family = f"{{{family}}}"  # one name, not "Last, First" and not two people
    return f"{family}, {escape(author.given)}" if author.given else family


def format_pages(pages: str) -> str:
    """959-964 → 959--964; PubMed's shortened 959-64 → 959--964; anything else unchanged."""
    match = re.fullmatch(r"\s*(\w+)\s*[-‐‑–—]+\s*(\w+)\s*", pages)
    if not match:
        return pages.strip()
    first, last = match.groups()
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{first}--{last}"


def format_entry(work: Work, key: str, designs: Sequence[str]) -> str:
    """The entry's text, with a comment above it asking the editor for the study design.

    ``design = {other}`` is a valid placeholder, so the site keeps building;
    the comment says it still has to be chosen.
    """
    container = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}.get(work.entry_type)
    fields = [
        ("author", format_people(work.authors)),
        ("title", protect_title(work.title)),
        (container or "", escape(work.container) if container else ""),
        ("publisher", escape(work.publisher) if work.entry_type in ("book", "incollection", "misc") else ""),
        ("year", escape(work.year)),
        ("volume", escape(work.volume)),
        ("number", escape(work.number)),
        ("pages", escape(format_pages(work.pages))),
        ("doi", escape(work.doi)),
        ("pmid", escape(work.pmid)),
        ("design", "other"),
        ("verified", escape("; ".join(work.sources))),
    ]
    lines = [f"% TODO(editor): set design to one of {', '.join(designs)}", f"@{work.entry_type}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields if name and value]
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- the file ----------------------------------------------------------------------------------


def append_entry(path: Path, entry: str, expected: bytes | None) -> int:
    """Append ``entry`` to ``path`` (``None``: a new file); return the line the entry's ``@`` is on.

    The old bytes are copied unchanged into a new file in the same folder,
    which then replaces the old one with ``os.replace``: atomic on POSIX and
    Windows, so a reader (the checker, MkDocs' live reload) sees the old file
    or the new one, never half an entry, and a crash leaves the old file as it
    was. ``expected`` is the file as it was read for the duplicate check; if it
    has changed since, nothing is written.
    """
    old = path.read_bytes() if path.exists() else None
    if old != expected:
        raise FileChanged(f"{path} changed while the reference was being looked up; run the command again")
    old = old or b""
    separator = b"" if not old.strip() or old.endswith(b"\n\n") else b"\n" if old.endswith(b"\n") else b"\n\n"
    head = old + separator
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # O_EXCL: never write through a file or link someone else put there; 0o666 minus the umask, like any new file.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(head + entry.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if expected is not None:
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    comment_lines = entry[: entry.index("\n@") + 1].count("\n") if "\n@" in entry else 0
    return head.count(b"\n") + comment_lines + 1
