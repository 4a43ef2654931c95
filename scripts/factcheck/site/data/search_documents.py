"""What the search index holds: every claim, article, reference and page of the site, as search.py's Documents."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...reading.analysis import PLACEHOLDERS
from ..search import Document, plain
from ..view import REFERENCES_PAGE

if TYPE_CHECKING:
    from ..view import Site

_MARKDOWN = re.compile(r"^---\n.*?\n---\n|[#*_`>|\[\]()]|\{[^}]*\}", re.DOTALL)


def documents(site: Site, pages: Iterable[tuple[str, str, str]]) -> list[Document]:
    """Claims, articles and references from the model; ``pages`` are (address, title, Markdown) of the site's own pages."""
    docs = []
    for article in site.project.articles.values():
        docs.append(Document(site.urls.get(article.src_uri, ""), article.title, "article", article.summary,
                             [(article.title, 5), (article.summary, 2), (article.text, 1)], {"article": article.title}))
    for claim in site.claims:
        verdict = site.vocab.verdict.get(claim.verdict)
        certainty = site.vocab.certainty.get(claim.certainty)
        of = site.article_of(claim)
        label = verdict.label if verdict else claim.verdict
        title = f"{label}: {claim.claim_short or claim.claim}"
        analysis = plain(PLACEHOLDERS.sub(" ", site.analysis(claim).html))
        texts = [(title, 5), (claim.claim, 3), (claim.quote.exact, 3), (claim.bottom_line, 2), (claim.certainty_rationale, 1),
                 (analysis, 1), *((source.note, 1) for source in claim.sources)]
        filters = {"verdict": label, "certainty": certainty.label if certainty else claim.certainty,
                   "article": of.title if of else ""}
        docs.append(Document(site.urls.get(claim.src_uri, ""), title, "claim", claim.bottom_line, texts, filters))
    if REFERENCES_PAGE in site.urls:
        for key in site.reference_keys:
            ref = site.formatted(key)
            if ref is None:
                continue
            details = ", ".join(part for part in (ref.container, ref.year) if part)
            docs.append(Document(f"{site.urls.get(site.reference_page(key), '')}#{key}", f"{ref.label}: {ref.title}", "reference", f"{ref.authors}. {details}",
                                 [(ref.title, 3), (ref.authors, 2), (ref.container, 1), (key, 1)]))
    for url, title, markdown in pages:
        text = " ".join(_MARKDOWN.sub(" ", markdown).split())
        docs.append(Document(url, title, "page", text, [(title, 5), (text, 1)]))
    return docs
