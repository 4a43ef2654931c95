"""``annotations.jsonld``: one W3C Web Annotation per claim, on the original article's page.

Each annotation targets the article's own address with a TextQuoteSelector: the quote, and up
to 32 characters of the same paragraph before and after it, as a browser shows the text (no
Markdown line breaks). Character positions are left out on purpose: the W3C model counts them
over the whole text of the target page, navigation and all, which this site does not have, and
a position no client can use is worse than none (claims.json gives offsets in our copy).
The collection has absolute ids, a page that says what it is part of, ``xsd:dateTime`` dates,
a generator, a creator, and only terms that the anno.jsonld context defines.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from ...model.content import Article, Claim, Span
from ...model.patterns import is_safe_url

if TYPE_CHECKING:
    from ..render import Settings
    from ..view import Site

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_LENGTH = 32  # characters of prefix/suffix, as annotation clients use
FILE = "annotations.jsonld"


def _datetime(date: datetime.date | None) -> str | None:
    return f"{date.isoformat()}T00:00:00Z" if date else None


def context(article: Article, span: Span) -> tuple[str, str]:
    """The prefix and suffix of a quote: at most CONTEXT_LENGTH characters each, never past its paragraph."""
    text = article.text
    paragraph_start = text.rfind("\n\n", 0, span.start)
    paragraph_start = 0 if paragraph_start == -1 else paragraph_start + 2
    paragraph_end = text.find("\n\n", span.end)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
    prefix = text[max(paragraph_start, span.start - CONTEXT_LENGTH) : span.start]
    suffix = text[span.end : min(paragraph_end, span.end + CONTEXT_LENGTH)]
    return prefix.replace("\n", " "), suffix.replace("\n", " ")


def annotation(site: Site, settings: Settings, claim: Claim, article: Article, span: Span) -> dict[str, Any]:
    verdict = site.vocab.verdict.get(claim.verdict)
    label = verdict.label if verdict else claim.verdict
    page = settings.absolute(site.urls.get(claim.src_uri, ""))
    prefix, suffix = context(article, span)
    dates = [claim.reviewed, *(c.date for c in claim.corrections)]
    known = [d for d in dates if d is not None]
    selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": claim.quote.exact}
    if prefix:
        selector["prefix"] = prefix
    if suffix:
        selector["suffix"] = suffix
    return {
        "id": f"{page}#annotation",
        "type": "Annotation",
        "motivation": "assessing",
        "created": _datetime(min(known) if known else None),
        "modified": _datetime(max(known) if known else None),
        "creator": {"id": settings.absolute(site.urls.get("about.md", "")) + "#who-we-are", "type": "Organization",
                    "name": settings.site_name},
        "body": [
            {"type": "TextualBody", "purpose": "assessing", "format": "text/plain", "language": "en",
             "value": f"{label}: {claim.bottom_line}"},
            {"id": page, "type": "Text", "format": "text/html", "language": "en", "purpose": "describing",
             "label": f"{label}: {claim.claim_short or claim.claim}"},
        ],
        "target": {"source": article.url if is_safe_url(article.url) else page, "type": "Text", "format": "text/html",
                   "selector": selector},
    }


def collection(site: Site, settings: Settings) -> dict[str, Any]:
    """The AnnotationCollection of every located claim, in one page."""
    items = []
    for claim in site.claims:
        article = site.article_of(claim)
        span = site.span(claim)
        if article is not None and span is not None:
            items.append(annotation(site, settings, claim, article, span))
    collection_id = settings.absolute(FILE)
    dates = [item["modified"] for item in items if item["modified"]]
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"{settings.site_name}: verdicts on the claims of the articles it checks",
        "total": len(items),
        "generator": {"id": settings.absolute(""), "type": "Software", "name": f"{settings.site_name} build"},
        "first": {"id": f"{collection_id}#page1", "type": "AnnotationPage", "partOf": collection_id, "startIndex": 0, "items": items},
    }
    if dates:
        result["modified"] = max(dates)
    return result
