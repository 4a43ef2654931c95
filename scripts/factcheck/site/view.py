"""The view of a checked project that the pages need: numbering, highlights, cited-by, URLs.

Built once per build from the checker's Report, so pages never recompute
anything that grows with the number of claims or references.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass

from ..checking.engine import Report
from ..model.content import Article, Claim, Correction, Notice, Project, Span
from ..model.patterns import is_id
from ..model.vocabularies import Vocabularies
from ..reading import analysis
from ..reading.bibliography import parse_notices
from ..reading.cache import Cache
from .formatting import FormattedReference, format_reference
from .urls import page_url

# The page of the site's own that lists every reference (``factcheck: references``); claim pages link to it.
REFERENCES_PAGE = "references.md"

@dataclass(frozen=True)
class Segment:
    """A stretch of article text covered by the same set of claims (maybe none)."""

    text: str
    claims: tuple[Claim, ...]  # covering claims, innermost (shortest) first
    starts: tuple[Claim, ...]  # claims whose quote starts here: their anchors go first
    ends: tuple[Claim, ...]  # claims whose quote ends here: a marker follows the text
    non_claim: bool


@dataclass(frozen=True)
class LoggedCorrection:
    """A correction of the site-wide log: the claim it belongs to, and the entry."""

    claim: Claim
    correction: Correction


class Site:
    """What the pages need, computed once from the checker's report: order, numbers, cited-by, addresses.

    ``urls`` maps a source file (``articles/x/claims/y.md``) to its page's address; the build
    fills it for every page, and an engine with hooks may correct it with its own.
    """

    def __init__(self, report: Report, vocab: Vocabularies, cache: Cache | None = None, today: datetime.date | None = None) -> None:
        self.report = report
        self.today = today or datetime.date.today()
        self.cache = cache or Cache(None)
        self.vocab = vocab
        self.project = _published(report.project)
        self.urls: dict[str, str] = {}  # src_uri -> page URL
        self.claims_by_src = {claim.src_uri: claim for claim in self.project.claims}
        self.articles_by_src = {article.src_uri: article for article in self.project.articles.values()}
        self.claims_by_article: dict[str, list[Claim]] = defaultdict(list)
        for claim in sorted(self.project.claims, key=self._order):
            self.claims_by_article[claim.article_slug].append(claim)
        self.number = {
            claim.id: index for claims in self.claims_by_article.values() for index, claim in enumerate(claims, 1)
        }
        self.cited_by: dict[str, list[Claim]] = defaultdict(list)
        for claims in self.claims_by_article.values():
            for claim in claims:
                for key in claim.cited_keys:
                    self.cited_by[key].append(claim)
        for src_uri in [*self.claims_by_src, *self.articles_by_src]:
            self.urls[src_uri] = page_url(src_uri)
        # The page of the references listing that holds each entry, when the listing is cut into pages (Build).
        self.reference_pages: dict[str, str] = {}

    def analysis(self, claim: Claim) -> analysis.Rendered:
        """The claim's analysis as sanitized HTML with citation placeholders; from the cache when its body is unchanged."""
        return self.cache.get("analysis", claim.body.encode("utf-8"), "", lambda: analysis.render(claim.body, claim.citation_groups))

    def key_claims(self, article: Article) -> list[Claim]:
        """The claims the article's summary leads to, in the order the editors gave."""
        by_id = {claim.id: claim for claim in self.claims_by_article.get(article.slug, [])}
        return [by_id[claim_id] for claim_id in article.key_claims if claim_id in by_id]

    def corrections(self) -> list[LoggedCorrection]:
        """Every correction of every claim, newest first (then in site order)."""
        entries = [LoggedCorrection(claim, correction) for claim in self.claims for correction in claim.corrections]
        order = {claim.id: index for index, claim in enumerate(self.claims)}
        return sorted(entries, key=lambda entry: (-entry.correction.date.toordinal(), order[entry.claim.id]))

    def notices(self, key: str) -> list[Notice]:
        """The notices recorded on a reference (retraction, expression of concern, erratum)."""
        reference = self.project.references.get(key)
        return parse_notices(reference.get("notices"))[0] if reference is not None and reference.get("notices") else []

    def reference_page(self, key: str) -> str:
        """The source of the references page that lists ``key``: ``references.md``, or one of its later parts."""
        return self.reference_pages.get(key, REFERENCES_PAGE)

    @functools.cached_property
    def reference_keys(self) -> list[str]:
        """Every reference, ordered as a reader looks one up: first author, then year."""
        return sorted(self.project.references, key=lambda key: (self._sort_name(key), key))

    def _sort_name(self, key: str) -> str:
        ref = self.formatted(key)
        return f"{ref.authors.casefold()} {ref.year}" if ref else key

    def _order(self, claim: Claim) -> tuple[str, int, int, str]:
        span = self.report.spans.get(claim.id)
        if span is None:  # unlocated claims go last, still reachable
            return (claim.article_slug, 1 << 30, 0, claim.id)
        return (claim.article_slug, span.start, -span.end, claim.id)

    @property
    def claims(self) -> list[Claim]:
        return [claim for claims in self.claims_by_article.values() for claim in claims]

    def article_of(self, claim: Claim) -> Article | None:
        return self.project.articles.get(claim.article_slug)

    @functools.cache  # noqa: B019 - one Site per build; formatting each cited entry once is the point
    def formatted(self, key: str) -> FormattedReference | None:
        """The entry formatted for readers: once per build, and from the disk cache if its fields are unchanged."""
        reference = self.project.references.get(key)
        if reference is None:
            return None
        content = repr((reference.entry_type, sorted(reference.fields.items()))).encode("utf-8")
        return self.cache.get("formatted", content, key, lambda: format_reference(reference))

    @functools.cache  # noqa: B019 - one Site per build
    def claims_by_term(self, vocabulary: str) -> dict[str, list[Claim]]:
        """The claims by their verdict (``vocabulary="verdict"``) or certainty, each list in site order."""
        groups: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            groups[claim.verdict if vocabulary == "verdict" else claim.certainty].append(claim)
        return dict(groups)

    def format_all(self) -> None:
        """Format every reference now (see ``formatted``)."""
        for key in self.project.references:
            self.formatted(key)

    def segments(self, article: Article) -> list[list[Segment]]:
        """The article's paragraphs, each cut into segments at every quote boundary.

        One sweep over the boundaries in order, keeping the quotes open at each point, so the
        work grows with the number of quotes and how deeply they overlap, not with their square.
        """
        claims = [c for c in self.claims_by_article.get(article.slug, []) if c.id in self.report.spans]
        spans = {c.id: self.report.spans[c.id] for c in claims}
        non_claims = self.report.non_claim_spans.get(article.slug, ())
        opening: dict[int, list[Claim]] = defaultdict(list)
        closing: dict[int, list[Claim]] = defaultdict(list)
        for claim in claims:  # already in article order
            opening[spans[claim.id].start].append(claim)
            closing[spans[claim.id].end].append(claim)
        non_claim_depth: dict[int, int] = defaultdict(int)
        for span in non_claims:
            non_claim_depth[span.start] += 1
            non_claim_depth[span.end] -= 1
        paragraph_ends, offset = [], 0
        for paragraph in article.text.split("\n\n"):
            paragraph_ends.append((offset, offset + len(paragraph)))
            offset += len(paragraph) + 2
        points = sorted({*opening, *closing, *non_claim_depth, *(p for bounds in paragraph_ends for p in bounds)})
        active: dict[str, Claim] = {}
        depth = 0
        paragraphs: list[list[Segment]] = [[] for _ in paragraph_ends]
        index = 0
        for a, b in itertools.pairwise(points):
            for claim in closing.get(a, ()):
                active.pop(claim.id, None)
            for claim in opening.get(a, ()):
                active[claim.id] = claim
            depth += non_claim_depth.get(a, 0)
            while index < len(paragraph_ends) and a >= paragraph_ends[index][1]:
                index += 1
            if index == len(paragraph_ends) or a < paragraph_ends[index][0]:
                continue  # the blank line between two paragraphs
            covering = sorted(active.values(), key=lambda c: spans[c.id].end - spans[c.id].start)
            starts = tuple(opening.get(a, ()))
            ends = tuple(c for c in closing.get(b, ()) if c.id in active)
            paragraphs[index].append(Segment(article.text[a:b], tuple(covering), starts, ends, depth > 0))
        return paragraphs

    def span(self, claim: Claim) -> Span | None:
        return self.report.spans.get(claim.id)

    def matrix(self, claims: list[Claim]) -> list[tuple[str, list[int], int]]:
        """Claims counted by verdict (rows, truest first) and certainty (columns, vocabulary order)."""
        columns = {term.id: index for index, term in enumerate(self.vocab.certainty.terms)}
        rows = []
        for term in self.vocab.verdict.terms:
            counts = [0] * len(columns)
            for claim in claims:
                if claim.verdict == term.id and claim.certainty in columns:
                    counts[columns[claim.certainty]] += 1
            rows.append((term.id, counts, sum(counts)))
        return rows

    @staticmethod
    def matrix_peak(rows: list[tuple[str, list[int], int]]) -> int:
        """The largest cell of a matrix (at least 1), which sets the scale of the chart's dots."""
        return max([1, *(count for _, counts, _ in rows for count in counts)])

    def verdict_counts(self, claims: list[Claim]) -> list[tuple[str, int]]:
        counts = {term.id: 0 for term in self.vocab.verdict.terms}
        for claim in claims:
            if claim.verdict in counts:
                counts[claim.verdict] += 1
        return list(counts.items())


def _published(project: Project) -> Project:
    """What the site publishes of a project: articles and claims whose names are ids.

    The checker reports any other name (bad-id); an engine would put the name in every page's
    navigation and in addresses, so nothing of such a file reaches the site.
    """
    articles = {slug: article for slug, article in project.articles.items() if is_id(slug)}
    claims = tuple(claim for claim in project.claims if is_id(claim.id) and claim.article_slug in articles)
    if len(articles) == len(project.articles) and len(claims) == len(project.claims):
        return project
    return dataclasses.replace(project, articles=articles, claims=claims)
