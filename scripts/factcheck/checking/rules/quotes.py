"""Rules that place quotes in their articles: every quote found once, no two claims on the same words,
no non-claim overlapping a claim, and every passage accounted for."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model.content import Article, Span, TextQuote
from ...model.problems import Problem
from ...model.registry import CLAIMED_NON_CLAIM, DUPLICATE_QUOTE, UNCOVERED_TEXT
from ..quotes import coverage, diagnose, locate, shorten, uncovered
from .context import Context


@dataclass
class Placed:
    """Where each claim and non-claim sits, each article's coverage, and the problems found placing them."""

    spans: dict[str, Span] = field(default_factory=dict)
    non_claim_spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)
    coverage: dict[str, float] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def place_all(context: Context) -> Placed:
    project = context.project
    placed = Placed()
    by_span: dict[tuple[str, Span], str] = {}  # (article, span) -> the first claim's path
    for claim in project.claims:
        article = project.articles.get(claim.article_slug)
        if article is None:
            continue
        span = _place(article, claim.quote, claim.path, claim.line_of("quote"), placed.problems)
        if span is None:
            continue
        placed.spans[claim.id] = span
        first = by_span.setdefault((article.slug, span), claim.path)
        if first != claim.path:
            placed.problems.append(DUPLICATE_QUOTE.at(claim.path, claim.line_of("quote"),
                                                      f"{first} quotes exactly the same words; merge the two claims, or quote what each one checks"))
    for article in project.articles.values():
        claim_spans = [placed.spans[c.id] for c in project.claims if c.article_slug == article.slug and c.id in placed.spans]
        found = []
        for non_claim in article.non_claims:
            span = _place(article, non_claim.quote, article.path, non_claim.line, placed.problems)
            if span is None:
                continue
            found.append(span)
            overlapping = next((c for c in claim_spans if c.start < span.end and span.start < c.end), None)
            if overlapping is not None:
                claim = next(c for c in project.claims if placed.spans.get(c.id) == overlapping and c.article_slug == article.slug)
                placed.problems.append(CLAIMED_NON_CLAIM.at(
                    article.path, non_claim.line,
                    f"the non-claim \"{shorten(non_claim.quote.exact, 60)}\" overlaps the quote of {claim.path}; "
                    "remove the non-claim or shorten one of the two"))
        placed.non_claim_spans[article.slug] = tuple(found)
        all_spans = claim_spans + found
        placed.coverage[article.slug] = coverage(article.text, all_spans)
        for gap in uncovered(article.text, all_spans):
            line, col = article.position_of(gap.start)
            placed.problems.append(UNCOVERED_TEXT.at(
                article.path, line, f"text in no claim's quote and no non-claim: \"{shorten(article.text[gap.start : gap.end])}\"; "
                "add a claim or a non-claim with its reason", col))
    return placed


def _place(article: Article, quote: TextQuote, path: str, line: int, problems: list[Problem]) -> Span | None:
    if not quote.exact:
        return None
    located = locate(article.text, quote)
    if located.span is not None:
        return located.span
    diagnosis = diagnose(article, quote, located)
    problems.append(diagnosis.rule.at(path, line, diagnosis.message))
    return None
