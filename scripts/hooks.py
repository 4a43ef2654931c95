"""MkDocs hooks: thin event handlers that hand every page to the factcheck package.

The build validates with the checker's own code (``factcheck.rules.check``):
each checker error is logged as an error, so ``mkdocs build --strict`` fails
exactly when ``scripts/check_claims.py`` does, with the same message. On a large
site the second core is put to work (``factcheck.parallel``): forked children
write the data files and render the fact-check pages ahead of MkDocs.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from factcheck.checking.rules import check
from factcheck.model import vocabularies
from factcheck.model.content import CitationGroup
from factcheck.model.problems import error
from factcheck.reading import cache
from factcheck.reading.cache import Cache
from factcheck.reading.loading import ARTICLES_DIR, Layout
from factcheck.site import export, parallel, render
from factcheck.site.render import Renderer, Settings
from factcheck.site.view import Site

log = logging.getLogger("mkdocs.plugins.factcheck")

LISTINGS = tuple(render.LISTINGS)
_ID = re.compile(r'\sid="([^"<>]+)"')  # an id in rendered HTML (see _with_anchors)
# Generated files of the site, next to its pages (see docs/data.md).
DATA_FILES = ("claims.json", export.SCHEMA_FILE, "annotations.jsonld", "tags.json")


@dataclass
class Build:
    """Everything one build knows; made anew in on_config so ``mkdocs serve`` rebuilds start clean."""

    layout: Layout
    site: Site
    renderer: Renderer
    groups: dict[str, list[CitationGroup]] = field(default_factory=dict)  # claim src_uri -> citation groups
    # src_uri -> how to render the page's full HTML, once search has indexed its lighter text
    pending: dict[str, Callable[[Callable[[str], str]], str]] = field(default_factory=dict)
    data_dir: Path | None = None  # where the data files wait to be copied into the site
    data_files: parallel.Pending[None] | None = None  # their writing, maybe in a forked child
    ahead: parallel.Ahead | None = None  # pages rendered ahead by a forked child


_build: Build | None = None


def _state() -> Build:
    if _build is None:  # pragma: no cover - MkDocs always calls on_config first
        raise RuntimeError("factcheck hooks used before on_config")
    return _build


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    root = Path(config.config_file_path).resolve().parent
    layout = Layout(root, Path(config.docs_dir).resolve(), root / "references")
    store = Cache(cache.default_directory())
    report = check(layout, cache=store)
    for problem in report.problems:
        if problem.is_error:
            log.error(problem.format())
        else:
            log.info(problem.format())
    site = Site(report, vocabularies.load(), store)
    settings = Settings(config.site_name, config.site_url or "", config.repo_url or "")
    _build = Build(layout, site, Renderer(site, settings))
    return config


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    # Runs after the first build, whose state on_post_build has let go: derive the folder again.
    server.watch(str(Layout.at(Path(config.config_file_path).parent).references_dir))
    return server


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build = _state()
    urls = build.site.urls
    for file in list(files):
        if _refused(build, file):
            # The checker could not read or vet it (broken YAML, not UTF-8, a link outside the
            # project or to nowhere): publishing it anyway would put unchecked text, or another
            # file's contents, on the site. Its error is already logged, so a strict build fails.
            files.remove(file)
            log.info("%s: left out of the site: the checker could not read it", file.src_uri)
            continue
        if file.src_uri.endswith(".md"):
            urls[file.src_uri] = file.url
    # The data files are generated files of the site, so pages can link to them like to any page.
    # Written to a scratch folder rather than held as strings (MkDocs keeps a file's content in
    # memory until it copies it), by a forked child while MkDocs converts the pages' Markdown;
    # on_env waits for it, before MkDocs copies the files.
    build.data_dir = Path(tempfile.mkdtemp(prefix="factcheck-data-"))
    # Formatted here, once, before any child is forked: the children inherit them, and the cache
    # this process saves at the end keeps every one of them, whichever process used it.
    build.site.format_all()
    build.data_files = parallel.submit(
        _write_data_files, build.site, build.renderer.settings, build.data_dir,
        fork=len(build.site.project.claims) >= parallel.MIN_ITEMS,  # a small site's take milliseconds
    )
    for name in DATA_FILES:
        files.append(File.generated(config, name, abs_src_path=str(build.data_dir / name)))
    return files


def _write_data_files(site: Site, settings: Settings, folder: Path) -> None:
    documents = {
        "claims.json": export.claims_document(site, settings.absolute),
        export.SCHEMA_FILE: export.claims_schema(site.vocab, settings.absolute),
        "annotations.jsonld": export.annotations(site, settings.absolute),
        "tags.json": export.tags_document(site, settings.absolute),
    }
    for name in DATA_FILES:
        # One line, not indented: json.dump and any indent fall back to the pure-Python encoder,
        # which took a tenth of a warm build at a thousand claims. Tools and browsers indent it.
        (folder / name).write_text(json.dumps(documents[name], ensure_ascii=False) + "\n", encoding="utf-8")


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    build = _state()
    if build.data_files is not None:
        build.data_files.result()  # MkDocs copies the files next: they must be written
    # Every page is converted now, and MkDocs is about to render them in this order: a forked
    # child renders our part of each ahead of it, while this process does the theme's part.
    jobs = []
    for src, render_page in build.pending.items():
        file = files.get_file_from_path(src)
        if file is not None and file.page is not None:
            jobs.append((src, functools.partial(render_page, _relative_to(file.page))))
    build.ahead = parallel.Ahead(jobs)
    return env


def _refused(build: Build, file: File) -> bool:
    """A claim or article file the checker did not load, or any page that links outside the project."""
    source = Path(file.abs_src_path) if file.abs_src_path else None
    if source is not None and source.is_symlink():
        try:
            source.resolve(strict=True).relative_to(build.layout.root)
        except (OSError, ValueError, RuntimeError):
            return True
    if not file.src_uri.startswith(f"{ARTICLES_DIR}/") or not file.src_uri.endswith(".md"):
        return False
    return file.src_uri not in build.site.claims_by_src and file.src_uri not in build.site.articles_by_src


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    """Claims and articles are read by the checker; MkDocs gets no front matter of theirs to parse.

    Their pages are rendered from the model, so MkDocs needs none of their text, and parsing
    a stranger's YAML a second time (libyaml, which can crash on deep nesting) gains nothing.
    """
    build = _state()
    src = page.file.src_uri
    if src in build.site.claims_by_src or src in build.site.articles_by_src:
        return ""
    return None


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
        kinds = ", ".join(LISTINGS)
        path = build.layout.display(Path(page.file.abs_src_path or page.file.src_uri))
        # Front matter is the file's first lines: 'factcheck:' is found there, or reported at line 1.
        line = next((number for number, text in enumerate(page.file.content_string.splitlines(), 1)
                     if text.startswith("factcheck:")), 1)
        log.error(error(path, line, "unknown-page-kind", f"unknown 'factcheck' page kind '{listing}'; one of: {kinds}").format())
    return markdown


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """What search indexes; the page's full HTML is rendered later, in on_page_context.

    The search plugin indexes what this returns. A claim gives its claim, quote, bottom line and
    analysis, without the bibliography and previews, which would only repeat reference titles in
    every result; an article gives its text without the highlights and their previews; the claims
    index gives its introduction (each claim has its own entry); the references list gives each
    reference once, without its cited-by lists. Search parses several times less HTML, and its
    results point to the page that holds the words. Full pages are rendered one at a time, in
    on_page_context: MkDocs converts every page before it renders any, so holding a thousand full
    pages until then would double the build's memory.
    """
    build = _state()
    src = page.file.src_uri
    renderer = build.renderer
    if claim := build.site.claims_by_src.get(src):
        groups = build.groups.pop(src, [])
        build.pending[src] = lambda rel: renderer.claim_page(claim, html_text, groups, rel)
        return renderer.claim_search_text(claim, html_text, groups)
    if article := build.site.articles_by_src.get(src):
        build.pending[src] = lambda rel: renderer.article_page(article, rel)
        return renderer.article_search_text(article)
    listing = page.meta.get("factcheck")
    if listing in LISTINGS:
        _, kind = render.LISTINGS[listing]
        if kind:  # the claims by verdict or certainty: each term's heading goes in the page's contents
            _add_to_contents(page, [(term.label, term.id) for term in getattr(build.site.vocab, kind).terms])
        search_text = renderer.listing_search_text(listing, html_text)
        if search_text is None:  # a small page, indexed whole
            return _with_anchors(page, renderer.listing(listing, html_text, _relative_to(page)))
        build.pending[src] = lambda rel: renderer.listing(listing, html_text, rel)
        return search_text
    return html_text


def _add_to_contents(page: Page, headings: list[tuple[str, str]]) -> None:
    """Headings rendered from the model, as sections of the page's own heading in its contents."""
    links = [AnchorLink(html.escape(title), anchor, 2) for title, anchor in headings]
    items = page.toc.items
    if items and items[0].level == 1:
        items[0].children.extend(links)
    else:
        items.extend(links)


def _relative_to(page: Page) -> Callable[[str], str]:
    """Turns a site URL into one relative to ``page``; "#" for a page the site does not have."""
    known: dict[str, str] = {}  # a listing links to the same pages many times

    def rel(url: str) -> str:
        if url not in known:
            known[url] = get_relative_url(url, page.url) if url else "#"
        return known[url]

    return rel


@event_priority(-100)  # after the search plugin has indexed the text returned by on_page_content
def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    build = _state()
    render_page = build.pending.pop(page.file.src_uri, None)
    if render_page is not None:
        ready = build.ahead.take(page.file.src_uri) if build.ahead is not None else None
        page.content = _with_anchors(page, ready if ready is not None else render_page(_relative_to(page)))
    return context


def _with_anchors(page: Page, html_text: str) -> str:
    """``html_text``, after telling MkDocs of the ids in it.

    MkDocs checks links to anchors (methodology.md#verdicts) against the ids its own Markdown
    made; these pages' ids come from templates.
    """
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= set(_ID.findall(html_text))
    return html_text


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # MkDocs keeps every page's Markdown and HTML until the build ends. The pages this module
    # renders are written now and needed by nothing later (search indexed them before), so let
    # them go: with a thousand claims they are a large part of the build's memory.
    build = _state()
    src = page.file.src_uri
    if src in build.site.claims_by_src or src in build.site.articles_by_src or page.meta.get("factcheck") in LISTINGS:
        page.content = None
        # Not None: MkDocs reads a page without Markdown as unread and gives it no title, and every
        # page rendered after this one would show "None" for it in the navigation.
        page.markdown = ""
    return output


@event_priority(100)  # before the search plugin writes its index: the build's peak of memory
def on_post_build(config: MkDocsConfig) -> None:
    global _build
    build = _state()
    build.site.cache.save()  # keep the references formatted by this build for the next one
    if build.data_files is not None:
        build.data_files.result()  # done already (on_env), unless the build stopped before it
    if build.ahead is not None:
        build.ahead.close()
    if build.data_dir is not None:
        shutil.rmtree(build.data_dir, ignore_errors=True)
    _build = None  # every page is written: the model need not be held while the index is
