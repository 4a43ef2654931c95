"""Loading a site from disk into the data model, with a problem for everything unreadable.

Which files are read is the layout's business (``layout.py``); this module reads them, once
each, and turns them into articles, claims and references, reusing the cache for files whose
bytes it has seen before.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.content import Article, Claim, Correction, Masthead, NonClaim, Project, Reference, Source, TextQuote
from ..model.patterns import is_id
from ..model.problems import FactcheckError, Problem
from ..model.registry import BAD_ID, NO_SOURCE, UNREADABLE, WRONG_TYPE
from ..model.vocabularies import load as vocabularies
from . import citations, masthead
from .bibliography import BibFile, parse_bytes
from .cache import Cache
from .frontmatter import Document, decode, load_mapping, parse
from .layout import ContentFile, Layout
from .schema import (
    ARTICLE_OPTIONAL,
    ARTICLE_REQUIRED,
    CLAIM_OPTIONAL,
    CLAIM_REQUIRED,
    CLAIM_SHORT_LIMIT,
    CORRECTION_OPTIONAL,
    CORRECTION_REQUIRED,
    NON_CLAIM_OPTIONAL,
    NON_CLAIM_REQUIRED,
    SOURCE_OPTIONAL,
    SOURCE_REQUIRED,
    SUMMARY_LIMIT,
    Reader,
    kind_of,
)

Parsed = tuple[object, tuple[Problem, ...]]
# How a list of files is parsed: ``map_files(parse, context, files, cost)``, in this process or
# shared with others (the commands pass site.parallel's map_chunks). The result is the same
# either way, in the same order.
MapFiles = Callable[..., list[Parsed]]


def in_this_process(function: Callable[[Any, list[Any]], list[Parsed]], context: Any, items: Sequence[Any], cost: Callable[[Any], int]) -> list[Parsed]:
    """Parse every file here: the default."""
    return function(context, list(items))


@dataclass(frozen=True)
class Loaded:
    """What reading a site gives: the project, its .bib files as read, every problem, and the files counted."""

    project: Project
    bib_files: tuple[BibFile, ...]
    problems: tuple[Problem, ...]
    claim_files: int = 0  # claim files found, read or not
    files_read: int = 0
    files_refused: int = 0


@dataclass(frozen=True)
class _File:
    """A file to load, with its bytes and its key in the cache."""

    kind: str  # "article", "claim" or "bib"
    path: Path
    slug: str  # the article a claim belongs to
    content: bytes
    digest: str


@dataclass(frozen=True)
class _Job:
    """What every parse needs besides the file: the layout, and the vocabularies' choices for messages."""

    layout: Layout
    choices: tuple[tuple[str, str], ...]


def load(layout: Layout, cache: Cache | None = None, map_files: MapFiles = in_this_process) -> Loaded:
    """Read every article, claim and .bib file of the site; ``cache`` skips files parsed before."""
    cache = cache or Cache(None)
    inventory = layout.inventory()
    problems: list[Problem] = list(inventory.problems)
    vocab = vocabularies()
    job = _Job(layout, (("verdict", vocab.verdict.choices()), ("certainty", vocab.certainty.choices())))
    files = _read(layout, cache, inventory.of("article") + inventory.of("claim") + inventory.of("bib") + inventory.of("masthead"), problems)
    claims: list[Claim] = []
    articles: dict[str, Article] = {}
    bib_files: list[BibFile] = []
    masthead: Masthead | None = None
    for value in _values(job, cache, files, problems, map_files):
        if isinstance(value, Masthead):
            masthead = value
        elif isinstance(value, Article):
            articles[value.slug] = value
        elif isinstance(value, Claim):
            claims.append(value)
        elif isinstance(value, BibFile):
            bib_files.append(value)
    references: dict[str, Reference] = {}
    for bib in bib_files:
        for reference in bib.references:
            references.setdefault(reference.key, reference)
    project = Project(articles, tuple(claims), references, masthead)
    cache.save()
    claim_files = len(inventory.of("claim")) + sum(1 for path in inventory.refused if path.endswith(".md") and "/claims/" in path)
    refused = len(inventory.refused) + len(inventory.files) - len(files)  # refused by the layout, or unreadable
    return Loaded(project, tuple(bib_files), tuple(problems), claim_files, len(files), refused)


def _read(layout: Layout, cache: Cache, entries: list[ContentFile], problems: list[Problem]) -> list[_File]:
    """The files that can be read, with their bytes; a problem for each that cannot."""
    files = []
    for entry in entries:
        display = layout.display(entry.path)
        try:
            # O_NOFOLLOW: the layout saw an ordinary file; a link swapped in since is not followed.
            descriptor = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(descriptor, "rb") as handle:
                content = handle.read(entry.size + 1)
        except OSError as exc:
            problems.append(UNREADABLE.at(display, 1, f"the file cannot be read: {exc.strerror or exc}"))
            continue
        if len(content) > entry.size:  # it grew since it was measured: read no more than was allowed
            problems.append(UNREADABLE.at(display, 1, "the file changed while it was read; it is not read"))
            continue
        # A claim is keyed with its article too: the same bytes in another folder are another claim.
        files.append(_File(entry.kind, entry.path, entry.slug, content, cache.digest(content, f"{display}\0{entry.slug}")))
    return files


def _values(job: _Job, cache: Cache, files: list[_File], problems: list[Problem], map_files: MapFiles) -> list[object]:
    """What each file yields (None if nothing), from the cache or parsed now; its problems go to ``problems``."""
    results: list[Parsed | None] = []
    missing: list[int] = []
    for index, file in enumerate(files):
        found, value = cache.lookup(file.kind, file.digest)
        results.append(value if found else None)
        if not found:
            missing.append(index)
    computed = map_files(_parse_files, job, [files[i] for i in missing], _cost)
    for index, value in zip(missing, computed, strict=True):
        cache.put(files[index].kind, files[index].digest, value)
        results[index] = value
    values = []
    for result in results:
        assert result is not None
        value, found_problems = result
        problems.extend(found_problems)
        values.append(value)
    return values


def _cost(file: _File) -> int:
    # Measured (scripts/bench.py): a byte of BibTeX takes pybtex about three times as long as a
    # byte of a claim takes us. Only the ratio matters: it balances the processes' shares.
    return len(file.content) * (3 if file.kind == "bib" else 1)


def _parse_files(job: _Job, files: list[_File]) -> list[Parsed]:
    return [_parse(job, file) for file in files]


def _parse(job: _Job, file: _File) -> Parsed:
    """What one file yields, with its problems; this is what the cache keeps for it."""
    layout = job.layout
    if file.kind == "bib":
        bib = parse_bytes(file.content, layout.display(file.path))
        return bib, bib.problems
    problems: list[Problem] = []
    display = layout.display(file.path)
    try:
        text = decode(file.content, display)
        doc = load_mapping(text, display) if file.kind == "masthead" else parse(text, display)
    except FactcheckError as exc:
        return None, (exc.problem,)
    if file.kind == "masthead":
        return masthead.read(doc, problems), tuple(problems)
    read = Reader(doc, problems, dict(job.choices))
    value = _article(layout, file.path, doc, read) if file.kind == "article" else _claim(layout, file.path, file.slug, doc, read)
    return value, tuple(problems)


def _article(layout: Layout, path: Path, doc: Document, read: Reader) -> Article:
    slug = path.parent.name
    meta = doc.meta
    if not is_id(slug):
        read.problem((), BAD_ID, f"article folder '{slug}' must be lower-case letters, digits and hyphens (at most 80)")
    read.check_keys(meta, ARTICLE_REQUIRED, ARTICLE_OPTIONAL)
    non_claims = []
    for index, item in read.mappings(meta, "non_claims"):
        where = ("non_claims", index)
        read.check_keys(item, NON_CLAIM_REQUIRED, NON_CLAIM_OPTIONAL, where)
        quote = TextQuote(read.text(item, "quote", where), read.text(item, "prefix", where), read.text(item, "suffix", where))
        non_claims.append(NonClaim(quote, read.text(item, "reason", where), read.text(item, "note", where), doc.line(*where)))
    published = meta.get("published")
    if isinstance(published, (list, dict, bool)):  # shown on the page as text: "['2021']" would be nonsense
        read.problem(("published",), WRONG_TYPE, f"'published' must be a year or a date, not {kind_of(published)}")
        published = None
    retrieved = read.date(meta, "retrieved")
    return Article(
        slug=slug,
        path=doc.path,
        src_uri=path.relative_to(layout.docs_dir).as_posix(),
        title=read.text(meta, "title"),
        publisher=read.text(meta, "publisher"),
        url=read.text(meta, "url"),
        published=published.isoformat() if isinstance(published, datetime.date) else "" if published is None else str(published),
        published_note=read.text(meta, "published_note"),
        retrieved=retrieved.isoformat() if retrieved else "",
        summary=read.text(meta, "summary", limit=SUMMARY_LIMIT),
        key_claims=read.texts(meta, "key_claims", "claim ids"),
        text=doc.body.strip("\n"),
        body_line=doc.body_line + _leading_newlines(doc.body),
        non_claims=tuple(non_claims),
        lines={str(key[0]): line for key, line in doc.lines.items() if len(key) == 1},
    )


def _leading_newlines(text: str) -> int:
    return len(text) - len(text.lstrip("\n"))


def _claim(layout: Layout, path: Path, slug: str, doc: Document, read: Reader) -> Claim:
    meta = doc.meta
    claim_id = path.stem
    if not is_id(claim_id):
        read.problem((), BAD_ID, f"claim file name '{path.name}' must be lower-case letters, digits and hyphens (at most 80), then .md")
    read.check_keys(meta, CLAIM_REQUIRED, CLAIM_OPTIONAL)
    if meta.get("sources") == []:  # a list, but empty; a value of the wrong kind is reported by mappings()
        read.problem(("sources",), NO_SOURCE, "the claim lists no sources; add at least one with its key, stance and note")
    sources = []
    for index, item in read.mappings(meta, "sources"):
        where = ("sources", index)
        read.check_keys(item, SOURCE_REQUIRED, SOURCE_OPTIONAL, where)
        key = read.text(item, "key", where).lstrip("@")
        sources.append(Source(key, read.text(item, "stance", where), read.text(item, "note", where), doc.line(*where)))
    corrections = []
    for index, item in read.mappings(meta, "corrections"):
        where = ("corrections", index)
        read.check_keys(item, CORRECTION_REQUIRED, CORRECTION_OPTIONAL, where)
        date = read.date(item, "date", where)
        if date is not None:
            corrections.append(Correction(
                date, read.text(item, "note", where), read.text(item, "previous_verdict", where),
                read.text(item, "previous_certainty", where), doc.line(*where),
            ))
    lines = {str(key[0]): line for key, line in doc.lines.items() if len(key) == 1}
    groups = citations.find_groups(doc.body, doc.body_line)
    return Claim(
        id=claim_id,
        article_slug=slug,
        path=doc.path,
        src_uri=path.relative_to(layout.docs_dir).as_posix(),
        quote=TextQuote(read.text(meta, "quote"), read.text(meta, "prefix"), read.text(meta, "suffix")),
        claim=read.text(meta, "claim"),
        claim_short=read.text(meta, "claim_short", limit=CLAIM_SHORT_LIMIT),
        verdict=read.text(meta, "verdict"),
        certainty=read.text(meta, "certainty"),
        certainty_rationale=read.text(meta, "certainty_rationale"),
        certainty_upgrade=read.text(meta, "certainty_upgrade"),
        bottom_line=read.text(meta, "bottom_line"),
        sources=tuple(sources),
        reviewed=read.date(meta, "reviewed"),
        reviewers=read.texts(meta, "reviewers"),
        corrections=tuple(sorted(corrections, key=lambda c: c.date)),
        recheck_by=read.date(meta, "recheck_by"),
        watch=read.text(meta, "watch"),
        body=doc.body,
        body_line=doc.body_line,
        citation_groups=groups,
        bare_keys=tuple(citations.find_bare_keys(doc.body, doc.body_line, groups)),
        lines=lines,
        end_line=doc.end_line,
    )
