"""The plain data model shared by the checker and the site: articles, claims, references.

Every object remembers where it came from (file and line) so that any rule
can point an editor at the exact place to fix.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import field

from ..model.records import record


@record()
class Span:
    """A half-open character range ``[start, end)`` in an article's text."""

    start: int
    end: int


@record()
class Citation:
    """One ``@key`` inside a bracketed pandoc citation such as ``[see @key, p. 3]``."""

    key: str
    prefix: str = ""
    locator: str = ""
    suppress_author: bool = False
    line: int = 1  # in the claim file
    col: int = 1


@record()
class CitationGroup:
    """A whole ``[...]`` citation as written in the Markdown, at ``start:end`` of the body."""

    start: int
    end: int
    citations: tuple[Citation, ...]


@record()
class Source:
    """An entry of a claim's ``sources`` list: a reference and its stance toward the claim."""

    key: str
    stance: str
    note: str
    line: int


@record()
class Correction:
    date: datetime.date
    note: str


@record()
class TextQuote:
    """Exact words of an article, with optional context to pick one occurrence (W3C TextQuoteSelector)."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@record()
class NonClaim:
    """A passage of an article that is not a checkable claim, and why."""

    quote: TextQuote
    reason: str
    note: str
    line: int


@record()
class Article:
    slug: str
    path: str  # e.g. docs/articles/<slug>/index.md, relative to the project root
    src_uri: str  # relative to docs/
    title: str
    publisher: str
    url: str
    published: str
    published_note: str
    retrieved: str
    text: str  # the verbatim article: the body of index.md
    body_line: int  # line of index.md on which ``text`` starts
    non_claims: tuple[NonClaim, ...] = ()

    def line_of(self, offset: int) -> int:
        """The line of index.md that holds character ``offset`` of the text."""
        return self.body_line + self.text.count("\n", 0, offset)


@record()
class Claim:
    id: str
    article_slug: str
    path: str
    src_uri: str
    quote: TextQuote
    claim: str
    verdict: str
    certainty: str
    certainty_rationale: str
    certainty_upgrade: str
    bottom_line: str
    sources: tuple[Source, ...]
    reviewed: datetime.date | None
    reviewers: tuple[str, ...]
    corrections: tuple[Correction, ...]
    body: str
    body_line: int
    citation_groups: tuple[CitationGroup, ...]
    bare_keys: tuple[tuple[str, int, int], ...] = ()  # "@key" outside brackets: (key, line, col)
    lines: Mapping[str, int] = field(default_factory=dict)  # front-matter key -> line

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def cited_keys(self) -> tuple[str, ...]:
        """Every key the claim cites, in sources then in the body, first occurrence first."""
        keys = [source.key for source in self.sources]
        keys += [c.key for group in self.citation_groups for c in group.citations]
        return tuple(dict.fromkeys(keys))


@record()
class Reference:
    """A BibTeX entry, reduced to what the site shows and the rules check."""

    key: str
    entry_type: str
    path: str
    line: int
    fields: Mapping[str, str]  # as written in the .bib file, LaTeX markup included

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    @property
    def design(self) -> str:
        return self.get("design")

    @property
    def doi(self) -> str:
        return self.get("doi")

    @property
    def pmid(self) -> str:
        return self.get("pmid")

    @property
    def url(self) -> str:
        return self.get("url")


@record()
class Project:
    """Everything loaded from one site: its articles, claims and references."""

    articles: Mapping[str, Article]
    claims: tuple[Claim, ...]
    references: Mapping[str, Reference]
