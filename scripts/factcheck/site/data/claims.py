"""The claims as data: ``claims.json`` with its JSON Schema, ``claims.csv``, and ``tags.json``.

Each is built from the same Site the pages use, so the data and the pages cannot disagree. Key
order is fixed and lists are in site order, so the same content always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...model.patterns import is_safe_url
from ...model.vocabularies import Vocabularies

if TYPE_CHECKING:
    from ..view import Site

SCHEMA_FILE = "claims.schema.json"
# a page's site address (e.g. "articles/x/claims/y/") -> its absolute address
Absolute = Callable[[str], str]
CSV_COLUMNS = (
    "claim_id", "number", "article", "claim", "claim_short", "verdict", "rating", "certainty", "bottom_line", "reviewed",
    "url", "source_key", "stance", "source_note", "title", "year", "design", "doi", "pmid", "source_url",
)


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
                "url": (article.url if is_safe_url(article.url) else "") if article else "",
            },
            "quote": {
                "exact": claim.quote.exact,
                "prefix": claim.quote.prefix,
                "suffix": claim.quote.suffix,
                "start": span.start if span else None,
                "end": span.end if span else None,
            },
            "claim": claim.claim,
            "claim_short": claim.claim_short,
            "verdict": {"id": claim.verdict, "label": verdict.label if verdict else claim.verdict,
                        "rating": verdict.rating if verdict else None},
            "certainty": claim.certainty,
            "certainty_rationale": claim.certainty_rationale,
            "bottom_line": claim.bottom_line,
            "reviewed": claim.reviewed.isoformat() if claim.reviewed else None,
            "recheck_by": claim.recheck_by.isoformat() if claim.recheck_by else None,
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
                    "required": ["id", "number", "url", "article", "quote", "claim", "claim_short", "verdict", "certainty",
                                 "certainty_rationale", "bottom_line", "reviewed", "recheck_by", "sources"],
                    "properties": {
                        "id": {"type": "string", "pattern": "^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"},
                        "number": {"type": "integer", "minimum": 1},
                        "url": {"type": "string", "format": "uri", "description": "The claim's page."},
                        "article": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["slug", "title", "publisher", "url"],
                            "properties": {"slug": text, "title": text, "publisher": text, "url": text},
                        },
                        "quote": {
                            "type": "object",
                            "description": "The article's exact words; start/end are character offsets in the article's text "
                                           "as this site publishes it (paragraphs joined by a blank line).",
                            "additionalProperties": False,
                            "required": ["exact", "prefix", "suffix", "start", "end"],
                            "properties": {
                                "exact": text, "prefix": text, "suffix": text,
                                "start": {"type": ["integer", "null"]}, "end": {"type": ["integer", "null"]},
                            },
                        },
                        "claim": text,
                        "claim_short": {"type": "string", "maxLength": 75},
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
                        "recheck_by": {"type": ["string", "null"], "format": "date"},
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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def claims_csv(site: Site, absolute: Absolute) -> str:
    """``claims.csv``: one row per claim and source, for spreadsheets and data frames (RFC 4180, UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for claim in site.claims:
        article = site.article_of(claim)
        verdict = site.vocab.verdict.get(claim.verdict)
        head = [
            claim.id, site.number[claim.id], article.title if article else claim.article_slug, claim.claim, claim.claim_short,
            claim.verdict, verdict.rating if verdict else "", claim.certainty, claim.bottom_line,
            claim.reviewed.isoformat() if claim.reviewed else "", absolute(site.urls.get(claim.src_uri, "")),
        ]
        for source in claim.sources:
            row = _source(site, source.key, source.stance, source.note)
            writer.writerow([_cell(value) for value in (*head, row["key"], row["stance"], row["note"], row["title"] or "", row["year"] or "",
                                                         row["design"] or "", row["doi"] or "", row["pmid"] or "", row["url"] or "")])
    return out.getvalue()


def _cell(value: object) -> object:
    """A value a spreadsheet shows as text: one starting as a formula would (=, +, -, @, tab, return) gets a
    leading apostrophe, as OWASP advises against CSV injection; numbers stay numbers."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
