"""The plain data model shared by the checker and the site: articles, claims, references.

Every object remembers where it came from (file and line) so that any rule
can point an editor at the exact place to fix.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import field

from .positions import line_col
from .records import record


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
    """A dated entry of a claim's corrections log: what changed and why, and the verdict or certainty before."""

    date: datetime.date
    note: str
    previous_verdict: str = ""
    previous_certainty: str = ""
    line: int = 1


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
    """An article checked by the site: its verbatim text, where it was published, and its non-claims."""

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
    summary: str = ""  # the editors' answer for the article as a whole
    key_claims: tuple[str, ...] = ()  # ids of the claims the summary leads to
    lines: Mapping[str, int] = field(default_factory=dict)  # front-matter key -> line

    def line_of(self, offset: int) -> int:
        """The line of index.md that holds character ``offset`` of the text."""
        return self.body_line + self.text.count("\n", 0, offset)

    def position_of(self, offset: int) -> tuple[int, int]:
        """The line and column of index.md that hold character ``offset`` of the text."""
        return line_col(self.text, offset, self.body_line)

    def key_line(self, key: str) -> int:
        return self.lines.get(key, 1)


@record()
class Claim:
    """One checked claim: the article's words, our restatement, verdict, certainty, sources and analysis."""

    id: str
    article_slug: str
    path: str
    src_uri: str
    quote: TextQuote
    claim: str
    claim_short: str
    verdict: str
    certainty: str
    certainty_rationale: str
    certainty_upgrade: str
    bottom_line: str
    sources: tuple[Source, ...]
    reviewed: datetime.date | None
    reviewers: tuple[str, ...]
    corrections: tuple[Correction, ...]
    recheck_by: datetime.date | None
    watch: str
    body: str
    body_line: int
    citation_groups: tuple[CitationGroup, ...]
    bare_keys: tuple[tuple[str, int, int], ...] = ()  # "@key" outside brackets: (key, line, col)
    lines: Mapping[str, int] = field(default_factory=dict)  # front-matter key -> line
    end_line: int = 1  # the closing --- of the front matter

    def line_of(self, key: str) -> int:
        """The line of a front-matter key; for a missing key, where it would go."""
        return self.lines.get(key, self.end_line)

    @property
    def cited_keys(self) -> tuple[str, ...]:
        """Every key the claim cites, in sources then in the body, first occurrence first."""
        keys = [source.key for source in self.sources]
        keys += [c.key for group in self.citation_groups for c in group.citations]
        return tuple(dict.fromkeys(keys))


@record()
class Notice:
    """A notice a publisher attached to a paper: a retraction, an expression of concern, an erratum."""

    kind: str
    doi: str
    date: datetime.date


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
class Role:
    """A role on the masthead: what it does, who holds it (names only real editors add), their declared interests."""

    role: str
    duties: str
    people: tuple[str, ...] = ()
    interests: str = ""


@record()
class Masthead:
    """Who is behind the site (docs/masthead.yml): the roles, funding, conflicts, corrections policy and contact."""

    path: str
    organization: str
    description: str
    roles: tuple[Role, ...]
    funding: str
    conflicts: str
    corrections: str
    contact: str


@record()
class Project:
    """Everything loaded from one site: its articles, claims, references and masthead."""

    articles: Mapping[str, Article]
    claims: tuple[Claim, ...]
    references: Mapping[str, Reference]
    masthead: Masthead | None = None
