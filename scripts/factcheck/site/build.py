"""The build's one entry point: check the content, then make every page and file an engine publishes.

An engine adapter does only what its engine needs: the MkDocs hooks (``scripts/hooks.py``)
hand MkDocs these pages' HTML and files; ``staging.py`` writes them as Markdown and files for
an engine without hooks (Zensical). Either way the checker's problems, and the build's own
(``site_problems``), stop a strict build the same way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from pathlib import Path

from ..checking.engine import Report, check
from ..model.content import Article, Claim
from ..model.problems import FactcheckError, Problem
from ..model.registry import NO_SITE_URL, PAGE_ADDRESS_TAKEN, UNKNOWN_PAGE_KIND
from ..model.vocabularies import load as vocabularies
from ..reading.cache import Cache
from ..reading.frontmatter import decode, parse
from ..reading.layout import ARTICLES_DIR, Layout
from ..reading.loading import MapFiles, in_this_process
from . import data, parts
from .pages import Page, markdown_text
from .parts import Part
from .render import LISTINGS, Renderer, Settings
from .urls import page_url
from .view import Site


@dataclass(frozen=True)
class DocsPage:
    """A page of the site's own (not an article or a claim): its kind, if it asks for one, and its text."""

    src_uri: str
    path: Path
    kind: str  # the ``factcheck:`` page kind, or "" for an ordinary page
    title: str
    description: str
    markdown: str  # the page's own Markdown, without its front matter
    kind_line: int
    part: Part | None = None  # which part of a listing cut into pages (parts.py) it shows; None for all of it


class Build:
    """One build of the site: the checker's report, the view the pages need, and the renderer.

    Made once per build (for ``mkdocs serve``, once per rebuild), so every rebuild starts clean.
    """

    def __init__(self, layout: Layout, settings: Settings, cache: Cache | None = None, map_files: MapFiles = in_this_process,
                 today: datetime.date | None = None) -> None:
        self.layout = layout
        self.settings = settings
        self.cache = cache or Cache(None)
        self.today = today or datetime.date.today()
        self.report: Report = check(layout, today=self.today, cache=self.cache, map_files=map_files)
        self.site = Site(self.report, vocabularies(), self.cache, self.today)
        self.docs_pages = _docs_pages(layout)
        self.taken: list[tuple[DocsPage, DocsPage]] = []  # (a listing, a page of the site's own at one of its parts' addresses)
        for page in list(self.docs_pages.values()):
            self._cut(page)
        for page in self.docs_pages.values():
            self.site.urls[page.src_uri] = page_url(page.src_uri)
        self.renderer = Renderer(self.site, settings)

    def _cut(self, page: DocsPage) -> None:
        """Cut a long listing into pages (parts.py): the first stays ``page``, the others are added beside it."""
        entries = len(self.site.project.references) if page.kind == "references" else len(self.site.claims)
        cut = parts.split(page.kind, page.src_uri, entries)
        taken = [self.docs_pages[part.src_uri] for part in cut[1:] if part.src_uri in self.docs_pages]
        self.taken += [(page, other) for other in taken]
        if len(cut) == 1 or taken:
            return  # short, or reported (site_problems) and shown whole
        self.docs_pages[page.src_uri] = replace(page, part=cut[0])
        for part in cut[1:]:
            title = f"{page.title}, page {part.number} of {part.count}"
            # The heading is Markdown the engine converts: the title, from the page's own file, stays text.
            heading = markdown_text(title)
            self.docs_pages[part.src_uri] = DocsPage(part.src_uri, page.path, page.kind, title, page.description,
                                                     f"# {heading}\n", page.kind_line, part)
        if page.kind == "references":
            keys = self.site.reference_keys
            self.site.reference_pages = {key: part.src_uri for part in cut for key in keys[part.start : part.end]}

    def added_pages(self) -> list[DocsPage]:
        """The pages the build adds to the site's own: the later parts of listings cut into pages."""
        return [page for page in self.docs_pages.values() if page.part is not None and page.part.number > 1]

    # -- what is wrong ----------------------------------------------------------------------------

    def problems(self, strict: bool) -> list[Problem]:
        """The checker's problems and the build's own, sorted: what stops a strict build on every engine."""
        return sorted([*self.report.problems, *self.site_problems(strict)])

    def site_problems(self, strict: bool) -> list[Problem]:
        problems = []
        for page in self.docs_pages.values():
            if page.kind and page.kind not in LISTINGS:
                problems.append(UNKNOWN_PAGE_KIND.at(self.layout.display(page.path), page.kind_line,
                                                     f"unknown 'factcheck' page kind '{page.kind}'; one of: {', '.join(LISTINGS)}"))
        for listing, other in self.taken:
            problems.append(PAGE_ADDRESS_TAKEN.at(self.layout.display(other.path), 1,
                                                  f"this page has the address where {self.layout.display(listing.path)} continues "
                                                  f"once it is cut into pages ({page_url(other.src_uri)}); rename or move it"))
        if strict and not self.settings.site_url:
            problems.append(NO_SITE_URL.at("mkdocs.yml", 1, "no site address: set FACTCHECK_SITE_URL (or site_url); "
                                                              "`make build` uses http://127.0.0.1:8000/ for a local build"))
        return problems

    # -- what is published ------------------------------------------------------------------------

    def claim(self, src_uri: str) -> Claim | None:
        return self.site.claims_by_src.get(src_uri)

    def article(self, src_uri: str) -> Article | None:
        return self.site.articles_by_src.get(src_uri)

    def is_content(self, src_uri: str) -> bool:
        """True for the source of a claim or article page (rendered from the model, not from its file)."""
        return src_uri in self.site.claims_by_src or src_uri in self.site.articles_by_src

    def is_refused(self, src_uri: str) -> bool:
        """True for any file under docs/articles/ that is not a claim or article the checker read: it is never published."""
        return src_uri.startswith(f"{ARTICLES_DIR}/") and not self.is_content(src_uri)

    def title_of(self, src_uri: str) -> tuple[str, str]:
        """The title and description of a claim or article page, without rendering it."""
        if claim := self.claim(src_uri):
            return self.renderer.claim_title(claim), claim.bottom_line
        article = self.article(src_uri)
        return (article.title, article.summary) if article else ("", "")

    def content_pages(self) -> list[str]:
        """The sources of every claim and article page, in site order."""
        return [*(article.src_uri for article in self.site.project.articles.values()), *(claim.src_uri for claim in self.site.claims)]

    def renders(self, src_uri: str) -> bool:
        """True for a page that ``page`` makes: a claim, an article, or a page of the site's own with a known kind."""
        docs = self.docs_pages.get(src_uri)
        return self.is_content(src_uri) or (docs is not None and docs.kind in LISTINGS)

    def page(self, src_uri: str) -> Page | None:
        """The finished page for a claim, an article or a page of the site's own that asks for a kind; None for others."""
        if claim := self.claim(src_uri):
            return self.renderer.claim_page(claim)
        if article := self.article(src_uri):
            return self.renderer.article_page(article)
        docs = self.docs_pages.get(src_uri)
        if docs is not None and docs.kind in LISTINGS:
            return self.renderer.listing_page(docs.kind, src_uri, docs.title, docs.description, docs.part)
        return None

    def data_files(self) -> list[data.DataFile]:
        """The files the site publishes besides its pages and the search index (site/data): pages may link to these."""
        return data.files(self.site, self.settings)

    def search_files(self) -> dict[str, bytes]:
        """The search index, by file name (site/search.py)."""
        pages = [(self.site.urls[src], page.title, page.markdown) for src, page in self.docs_pages.items()
                 if page.kind != "search" and (page.part is None or page.part.number == 1)]
        return data.search_files(self.site, pages)

    def write_data(self, folder: Path) -> list[str]:
        """Write every data file and the search index into ``folder``; return their names."""
        names = []

        def write(name: str, content: bytes) -> None:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            names.append(name)

        for data_file in self.data_files():  # each written as soon as it is made: they are never all in memory
            write(data_file.name, data_file.make(self.site, self.settings))
        for name, content in self.search_files().items():
            write(name, content)
        return names

    def prepare(self) -> None:
        """Format every reference and render every analysis now, once: forked children inherit them, and the
        cache this process saves keeps them, whichever process used them."""
        self.site.format_all()
        for claim in self.site.claims:
            self.site.analysis(claim)


def _docs_pages(layout: Layout) -> dict[str, DocsPage]:
    """Every Markdown page of docs/ outside the articles, with its ``factcheck:`` kind."""
    pages = {}
    for path in sorted(layout.docs_dir.rglob("*.md")):
        src_uri = path.relative_to(layout.docs_dir).as_posix()
        if src_uri.startswith(f"{ARTICLES_DIR}/") or not path.is_file():
            continue
        display = layout.display(path)
        try:
            doc = parse(decode(path.read_bytes(), display), display)
        except (FactcheckError, OSError):
            continue  # the engine reports its own pages' errors
        kind = doc.meta.get("factcheck")
        title = doc.meta.get("title") if isinstance(doc.meta.get("title"), str) else ""
        if not title:
            heading = next((line[2:].strip() for line in doc.body.splitlines() if line.startswith("# ")), "")
            title = heading or path.stem.replace("-", " ").capitalize()
        given = doc.meta.get("description")
        description = given if isinstance(given, str) else ""
        pages[src_uri] = DocsPage(src_uri, path, str(kind) if kind is not None else "", title, description, doc.body,
                                  doc.lines.get(("factcheck",), 1))
    return pages
