"""MkDocs hooks: thin event handlers that hand every page to the factcheck package.

The build validates with the checker's own code (``factcheck.rules.check``):
each checker error is logged as an error, so ``mkdocs build --strict`` fails
exactly when ``scripts/check_claims.py`` does, with the same message.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from factcheck import vocabularies
from factcheck.loading import Layout
from factcheck.model import CitationGroup
from factcheck.render import Renderer
from factcheck.rules import check
from factcheck.site import Site

log = logging.getLogger("mkdocs.plugins.factcheck")

LISTINGS = ("home", "claims", "references", "methodology")


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
    _build = Build(layout, site, Renderer(site))
    return config


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    server.watch(str(_state().layout.references_dir))
    return server


def on_files(files: Files, config: MkDocsConfig) -> Files:
    urls = _state().site.urls
    for file in files:
        if file.src_uri.endswith(".md"):
            urls[file.src_uri] = file.url
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _state()
    src = page.file.src_uri
    if claim := build.site.claims_by_src.get(src):
        # Front matter from pull requests never reaches the theme: only these escaped values do.
        page.meta = {"title": html.escape(claim.claim), "description": html.escape(claim.bottom_line)}
        body, groups = build.renderer.citation_markdown(claim)
        build.groups[src] = groups
        return body
    if article := build.site.articles_by_src.get(src):
        page.meta = {"title": html.escape(article.title)}
        return ""  # the article's text is rendered from the model, with its highlights
    listing = page.meta.get("factcheck")
    if listing is not None and listing not in LISTINGS:
        log.error("%s: unknown 'factcheck' page kind '%s'; one of: %s", page.file.src_uri, listing, ", ".join(LISTINGS))
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
