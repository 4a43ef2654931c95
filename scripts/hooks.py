"""MkDocs hooks: thin event handlers that hand every page to the factcheck package.

The build validates with the checker's own code (``factcheck.rules.check``):
each checker error is logged as an error, so ``mkdocs build --strict`` fails
exactly when ``scripts/check_claims.py`` does, with the same message.
"""

from __future__ import annotations

import html
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from factcheck import export, vocabularies
from factcheck.loading import Layout
from factcheck.model import CitationGroup
from factcheck.render import Renderer, Settings
from factcheck.rules import check
from factcheck.site import Site

log = logging.getLogger("mkdocs.plugins.factcheck")

LISTINGS = ("home", "claims", "references", "methodology")
# Pages that list the claims by tag; the material tags plugin renders the listing we ask for.
TAG_LISTINGS = ("verdict-tags", "certainty-tags")


@dataclass
class Build:
    """Everything one build knows; made anew in on_config so ``mkdocs serve`` rebuilds start clean."""

    layout: Layout
    site: Site
    renderer: Renderer
    groups: dict[str, list[CitationGroup]] = field(default_factory=dict)  # claim src_uri -> citation groups


_build: Build | None = None


def _state() -> Build:
    if _build is None:  # pragma: no cover - MkDocs always calls on_config first
        raise RuntimeError("factcheck hooks used before on_config")
    return _build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    root = Path(config.config_file_path).resolve().parent
    layout = Layout(root, Path(config.docs_dir).resolve(), root / "references")
    report = check(layout)
    for problem in report.problems:
        if problem.is_error:
            log.error(problem.format())
        else:
            log.info(problem.format())
    site = Site(report, vocabularies.load())
    settings = Settings(config.site_name, config.site_url or "", config.repo_url or "")
    _build = Build(layout, site, Renderer(site, settings))
    return config


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    server.watch(str(_state().layout.references_dir))
    return server


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _state()
    urls = build.site.urls
    for file in files:
        if file.src_uri.endswith(".md"):
            urls[file.src_uri] = file.url
    # The data files are generated files of the site, so pages can link to them like to any page.
    settings = build.renderer.settings
    documents = {
        "claims.json": export.claims_document(build.site, settings.absolute),
        export.SCHEMA_FILE: export.claims_schema(build.site.vocab, settings.absolute),
        "annotations.jsonld": export.annotations(build.site, settings.absolute),
    }
    for name, document in documents.items():
        files.append(File.generated(config, name, content=json.dumps(document, ensure_ascii=False, indent=2) + "\n"))
    return files


@event_priority(50)  # before the tags plugin (-50) reads page.meta["tags"]
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _state()
    src = page.file.src_uri
    vocab = build.site.vocab
    if claim := build.site.claims_by_src.get(src):
        # Front matter from pull requests never reaches the theme: only these escaped values do.
        page.meta = {"title": html.escape(claim.claim), "description": html.escape(claim.bottom_line)}
        tags = [term.label for term in (vocab.verdict.get(claim.verdict), vocab.certainty.get(claim.certainty)) if term]
        page.meta["tags"] = tags
        body, groups = build.renderer.citation_markdown(claim)
        build.groups[src] = groups
        return body
    if article := build.site.articles_by_src.get(src):
        page.meta = {"title": html.escape(article.title)}
        return ""  # the article's text is rendered from the model, with its highlights
    listing = page.meta.get("factcheck")
    if listing in TAG_LISTINGS:
        terms = vocab.verdict.terms if listing == "verdict-tags" else vocab.certainty.terms
        return markdown + "\n\n<!-- material/tags " + json.dumps({"include": [t.label for t in terms]}) + " -->\n"
    if listing is not None and listing not in LISTINGS:
        kinds = ", ".join((*LISTINGS, *TAG_LISTINGS))
        log.error("%s: unknown 'factcheck' page kind '%s'; one of: %s", page.file.src_uri, listing, kinds)
    return markdown


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _state()
    src = page.file.src_uri

    def rel(url: str) -> str:
        return get_relative_url(url, page.url) if url else "#"

    if claim := build.site.claims_by_src.get(src):
        return build.renderer.claim_page(claim, html_text, build.groups.get(src, []), rel)
    if article := build.site.articles_by_src.get(src):
        return build.renderer.article_page(article, rel)
    listing = page.meta.get("factcheck")
    if listing in LISTINGS:
        return build.renderer.listing(listing, html_text, rel)
    return html_text

