"""Machine-readable views of the fact-checks: schema.org ClaimReview, claims.json, Web Annotations.

Each is a plain dict built from the same Site the pages use, so the data and
the pages cannot disagree. Key order is fixed and lists are sorted, so the same
content always gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..checking.body import is_safe_url
from ..model.content import Claim
from ..site.view import Site
from ..model.vocabularies import Vocabularies

CONTEXT_LENGTH = 32  # characters of prefix/suffix in a TextQuoteSelector, as annotation clients use
SCHEMA_FILE = "claims.schema.json"

# site URL of a page's source file (e.g. "articles/x/claims/y/") -> absolute URL for the data files
Absolute = Callable[[str], str]


def claim_review(site: Site, claim: Claim, absolute: Absolute, site_name: str) -> dict[str, Any]:
    """The schema.org ClaimReview of one claim page (https://schema.org/ClaimReview)."""
    vocab = site.vocab
    verdict = vocab.verdict.get(claim.verdict)
    article = site.article_of(claim)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute(site.urls.get(claim.src_uri, "")),
        "claimReviewed": claim.claim,
        "author": {"@type": "Organization", "name": site_name, "url": absolute("")},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": verdict.rating if verdict else None,
            "bestRating": vocab.best_rating,
            "worstRating": vocab.worst_rating,
            "alternateName": verdict.label if verdict else claim.verdict,
            "ratingExplanation": claim.bottom_line,
        },
    }
    if claim.reviewed:
        review["datePublished"] = claim.reviewed.isoformat()
    if article:
        item: dict[str, Any] = {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": article.publisher},
            "appearance": {"@type": "CreativeWork", "url": _safe(article.url), "headline": article.title},
        }
        if article.published:
            item["datePublished"] = article.published
        review["itemReviewed"] = item
    return review


def claims_document(site: Site, absolute: Absolute) -> dict[str, Any]:
    """``claims.json``: every claim with its quote, verdict, certainty, sources and page URL."""
    claims = []
    for claim in site.claims:
        article = site.article_of(claim)
        verdict = site.vocab.verdict.get(claim.verdict)
        span = site.span(claim)
        claims.append({
            "id": claim.id,
            "number": site.number[claim.id],
            "url": absolute(site.urls.get(claim.src_uri, "")),
            "article": {
                "slug": claim.article_slug,
                "title": article.title if article else "",
                "publisher": article.publisher if article else "",
                "url": _safe(article.url) if article else "",
            },
            "quote": {
                "exact": claim.quote.exact,
                "prefix": claim.quote.prefix,
                "suffix": claim.quote.suffix,
                "start": span.start if span else None,
                "end": span.end if span else None,
            },
            "claim": claim.claim,
            "verdict": {"id": claim.verdict, "label": verdict.label if verdict else claim.verdict,
                        "rating": verdict.rating if verdict else None},
            "certainty": claim.certainty,
            "certainty_rationale": claim.certainty_rationale,
            "bottom_line": claim.bottom_line,
            "reviewed": claim.reviewed.isoformat() if claim.reviewed else None,
            "sources": [_source(site, source.key, source.stance, source.note) for source in claim.sources],
        })
    return {
        "$schema": absolute(SCHEMA_FILE),
        "claims": claims,
    }


def tags_document(site: Site, absolute: Absolute) -> dict[str, Any]:
    """``tags.json``: every claim page with the labels of its verdict and certainty.

    The shape is the one MkDocs Material's tags plugin exported, which this site used before.
    """
    mappings = []
    for claim in site.claims:
        terms = (site.vocab.verdict.get(claim.verdict), site.vocab.certainty.get(claim.certainty))
        mappings.append({
            "item": {"url": absolute(site.urls.get(claim.src_uri, "")), "title": claim.claim},
            "tags": [term.label for term in terms if term],
        })
    return {"mappings": mappings}


def _source(site: Site, key: str, stance: str, note: str) -> dict[str, Any]:
    reference = site.project.references.get(key)
    formatted = site.formatted(key)
    return {
        "key": key,
        "stance": stance,
        "note": note,
        "title": formatted.title if formatted else None,
        "year": reference.get("year") if reference else None,
        "design": reference.design if reference else None,
        "doi": (reference.doi or None) if reference else None,
        "pmid": (reference.pmid or None) if reference else None,
        "url": (reference.url or None) if reference else None,
    }


def _safe(url: str) -> str:
    """An http(s) URL as given; anything else (which the checker reports) as an empty string."""
    return url if is_safe_url(url) else ""


def claims_schema(vocab: Vocabularies, absolute: Absolute) -> dict[str, Any]:
    """The JSON Schema of claims.json; its enumerations come from the vocabularies file."""
    text = {"type": "string"}
    nullable_text = {"type": ["string", "null"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": absolute(SCHEMA_FILE),
        "title": "Fact-checked claims",
        "description": "Every claim checked on the site, with its verdict, certainty and sources.",
        "type": "object",
        "required": ["claims"],
        "additionalProperties": False,
        "properties": {
            "$schema": text,
            "claims": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "number", "url", "article", "quote", "claim", "verdict", "certainty",
                                 "certainty_rationale", "bottom_line", "reviewed", "sources"],
                    "properties": {
                        "id": {"type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"},
                        "number": {"type": "integer", "minimum": 1},
                        "url": {**text, "description": "The claim's page."},
                        "article": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["slug", "title", "publisher", "url"],
                            "properties": {"slug": text, "title": text, "publisher": text, "url": text},
                        },
                        "quote": {
                            "type": "object",
                            "description": "The article's exact words; start/end are character offsets in the article's text.",
                            "additionalProperties": False,
                            "required": ["exact", "prefix", "suffix", "start", "end"],
                            "properties": {
                                "exact": text, "prefix": text, "suffix": text,
                                "start": {"type": ["integer", "null"]}, "end": {"type": ["integer", "null"]},
                            },
                        },
                        "claim": text,
                        "verdict": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["id", "label", "rating"],
                            "properties": {
                                "id": {"enum": list(vocab.verdict.ids)},
                                "label": text,
                                "rating": {"type": "integer", "minimum": vocab.worst_rating, "maximum": vocab.best_rating},
                            },
                        },
                        "certainty": {"enum": list(vocab.certainty.ids)},
                        "certainty_rationale": text,
                        "bottom_line": text,
                        "reviewed": {"type": ["string", "null"], "format": "date"},
                        "sources": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["key", "stance", "note", "title", "year", "design", "doi", "pmid", "url"],
                                "properties": {
                                    "key": text,
                                    "stance": {"enum": list(vocab.stance.ids)},
                                    "note": text,
                                    "title": nullable_text,
                                    "year": nullable_text,
                                    "design": {"enum": [*vocab.design.ids, None]},
                                    "doi": {"type": ["string", "null"], "pattern": r"^10\.\d{4,9}/\S+$"},
                                    "pmid": {"type": ["string", "null"], "pattern": r"^[1-9]\d{0,8}$"},
                                    "url": nullable_text,
                                },
                            },
                        },
                    },
                },
            },
        },
    }


def annotations(site: Site, absolute: Absolute) -> dict[str, Any]:
    """A W3C Web Annotation collection: one ``assessing`` annotation per claim on the original article."""
    items = []
    for claim in site.claims:
        article = site.article_of(claim)
        span = site.span(claim)
        if article is None or span is None:
            continue
        verdict = site.vocab.verdict.get(claim.verdict)
        label = verdict.label if verdict else claim.verdict
        page = absolute(site.urls.get(claim.src_uri, ""))
        items.append({
            "id": f"{page}#annotation",
            "type": "Annotation",
            "motivation": "assessing",
            "created": claim.reviewed.isoformat() if claim.reviewed else None,
            "body": [
                {"type": "TextualBody", "purpose": "assessing", "format": "text/plain", "value": f"{label}: {claim.bottom_line}"},
                {"id": page, "type": "Text", "format": "text/html", "purpose": "describing", "title": claim.claim},
            ],
            "target": {
                "source": _safe(article.url),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": claim.quote.exact,
                        "prefix": article.text[max(0, span.start - CONTEXT_LENGTH) : span.start],
                        "suffix": article.text[span.end : span.end + CONTEXT_LENGTH],
                    },
                    {"type": "TextPositionSelector", "start": span.start, "end": span.end},
                ],
            },
        })
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": absolute("annotations.jsonld"),
        "type": "AnnotationCollection",
        "label": "Fact-checks of the claims in the articles on this site",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
