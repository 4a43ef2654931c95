"""Every file the build publishes besides the pages, declared once: its name, what it is, and how it is made.

The MkDocs adapter and the staging of hookless engines both write exactly these files, so a new
data file is one entry here (and its builder in a module beside this one).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import search
from . import annotate, cards, claims, feed, review, search_documents, styles, web_annotations

if TYPE_CHECKING:
    from ...model.vocabularies import Term
    from ..render import Settings
    from ..view import Site

card_name = cards.card_name
claim_review = review.claim_review
organization = review.organization


def bookmarklet(settings: Settings) -> str:
    from ...model.vocabularies import load

    return annotate.bookmarklet(settings, load())


@dataclass(frozen=True)
class DataFile:
    """A generated file of the site: its address, its media type, and how to make its bytes."""

    name: str
    media_type: str
    make: Callable[[Site, Settings], bytes]


def _json(value: object) -> bytes:
    # One line, not indented: json.dumps with an indent falls back to the pure-Python encoder,
    # which took a tenth of a warm build at a thousand claims. Tools and browsers indent it.
    return (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8")


def _cards(site: Site, settings: Settings) -> list[DataFile]:
    tagline = "Evidence-graded fact-check, claim by claim"
    files = [DataFile(card_name(""), "image/png", functools.partial(_card, term=None, tagline=tagline))]
    for term in site.vocab.verdict.terms:
        files.append(DataFile(card_name(term.id), "image/png", functools.partial(_card, term=term, tagline=tagline)))
    return files


def _card(site: Site, settings: Settings, term: Term | None, tagline: str) -> bytes:
    key = repr((settings.site_name, term, tagline)).encode("utf-8")
    return site.cache.get("card", key, "", lambda: cards.card(settings.site_name, term, tagline))


def search_files(site: Site, pages: list[tuple[str, str, str]]) -> dict[str, bytes]:
    """The search index's files (their names depend on the words of the site); ``pages``: (address, title, Markdown)."""
    return search.index_files(search_documents.documents(site, pages))


def files(site: Site, settings: Settings) -> list[DataFile]:
    """Every data file of this build but the search index, in a fixed order: pages may link to these."""
    article_urls = [article.url for article in site.project.articles.values()]
    return [
        DataFile("claims.json", "application/json", lambda s, st: _json(claims.claims_document(s, st.absolute))),
        DataFile(claims.SCHEMA_FILE, "application/schema+json", lambda s, st: _json(claims.claims_schema(s.vocab, st.absolute))),
        DataFile("claims.csv", "text/csv", lambda s, st: claims.claims_csv(s, st.absolute).encode("utf-8")),
        DataFile(web_annotations.FILE, "application/ld+json", lambda s, st: _json(web_annotations.collection(s, st))),
        DataFile("tags.json", "application/json", lambda s, st: _json(claims.tags_document(s, st.absolute))),
        DataFile(feed.FILE, "application/atom+xml", lambda s, st: feed.corrections_feed(s, st).encode("utf-8")),
        DataFile(styles.FILE, "text/css", lambda s, st: styles.verdicts_css(s.vocab).encode("utf-8")),
        DataFile(annotate.USERSCRIPT, "text/javascript",
                 lambda s, st: annotate.userscript(st, s.vocab, article_urls).encode("utf-8")),
        *_cards(site, settings),
    ]
