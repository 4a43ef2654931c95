"""MkDocs (and ProperDocs) hooks: a thin adapter that publishes what ``factcheck.site.build`` makes.

The build checks the content with the checker's own code and renders every fact-check page
and data file; these handlers hand them to MkDocs. Each checker problem is logged with its file
and line (errors as errors, warnings as warnings), so ``mkdocs build --strict`` fails on exactly
what ``check_claims.py --strict`` does. Under ``mkdocs serve`` each page also shows its problems
in a banner, and every problem is listed on one page; a build never contains either.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from factcheck.model.problems import Problem
from factcheck.reading import cache
from factcheck.reading.cache import Cache
from factcheck.reading.layout import Layout
from factcheck.site import csp, incremental, memory, parallel
from factcheck.site.build import Build
from factcheck.site.pages import Heading
from factcheck.site.pages import Page as FinishedPage
from factcheck.site.render import Settings, keep_compiled
from factcheck.site.serving import banner, problems_page

# Under the engine's own logger ("mkdocs.plugins" or, on ProperDocs, "properdocs.plugins"), where
# its strict mode counts errors and warnings.
log = logging.getLogger(f"{event_priority.__module__}.factcheck")
ENGINE = event_priority.__module__.split(".")[0]
PROBLEMS_PAGE = "factcheck-problems.md"  # under mkdocs serve only
OVERRIDES = Path(__file__).resolve().parent / "overrides"


@dataclass
class State:
    """What one build knows; made anew in on_config so ``mkdocs serve`` rebuilds start clean."""

    build: Build
    serving: bool
    pending: dict[str, Callable[[], FinishedPage | None]] = field(default_factory=dict)  # src_uri -> its page, made late
    ahead: parallel.Ahead | None = None  # pages rendered ahead by a forked child
    written_pages: int = 0
    data_dir: Path | None = None  # where the data files are written, maybe by a forked child
    data: parallel.Pending[list[str]] | None = None  # their writing: the names written
    problems_by_path: dict[str, list[Problem]] = field(default_factory=dict)
    files: Files | None = None
    started_ns: int = 0
    fingerprints: dict[str, bytes] = field(default_factory=dict)  # claim page source -> what it shows
    listing_key: bytes = b""  # what every article and listing page is made from (incremental.listing_key)


_state: State | None = None
_command = "build"
# Under `mkdocs serve --dirty`: the fingerprints of the claim pages the last build wrote (incremental.py).
_dirty = False
_written: dict[str, bytes] = {}
_listed: dict[str, tuple[bytes, FinishedPage]] = {}  # article and listing pages, as last made, by what they were made of


def _current() -> State:
    if _state is None:  # pragma: no cover - MkDocs always calls on_config first
        raise RuntimeError("factcheck hooks used before on_config")
    return _state


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is ``mkdocs serve`` (only then do pages show their problems) and whether
    rebuilds are ``--dirty`` (then only the pages a change can affect are rebuilt)."""
    global _command, _dirty
    _command = command
    _dirty = command == "serve" and dirty
    _written.clear()
    _listed.clear()
    builds = logging.getLogger(f"{ENGINE}.commands.build")
    builds.removeFilter(_exact_rebuilds)
    if _dirty:
        builds.addFilter(_exact_rebuilds)


def _exact_rebuilds(record: logging.LogRecord) -> bool:
    """Drop the engine's warning that a dirty build's navigation may be wrong: these hooks rebuild
    every page a change can affect, and the tests hold a rebuild to a full build's bytes."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _always() -> bool:
    return True


def _never() -> bool:
    return False


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check the content and prepare the build; every problem is logged with its file and line."""
    global _state
    root = Path(config.config_file_path).resolve().parent
    layout = Layout(root, Path(config.docs_dir).resolve(), root / "references")
    site_url = config.site_url or ""
    repo_url = str(config.extra.get("fc_repo_url") or "")
    settings = Settings(config.site_name, site_url, repo_url)
    build = Build(layout, settings, Cache(cache.default_directory()), map_files=parallel.map_chunks)
    state = State(build, serving=_command == "serve")
    for problem in build.problems(strict=bool(config.strict)):
        (log.error if problem.is_error else log.warning)(problem.format())
        state.problems_by_path.setdefault(problem.path, []).append(problem)
    _state = state
    return config


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when a reference or a template changes, as when a page does."""
    root = Path(config.config_file_path).parent
    server.watch(str(Layout.at(root).references_dir))
    server.watch(str(OVERRIDES))
    return server


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Leave out every file the checker did not read; add the later pages of long listings, the data files and,
    when serving, the problems page."""
    state = _current()
    build = state.build
    for added in build.added_pages():  # the later pages of a long listing, reached from its first
        files.append(File.generated(config, added.src_uri, content=added.markdown, inclusion=InclusionLevel.NOT_IN_NAV))
    for file in list(files):
        if build.is_refused(file.src_uri) or _links_outside(file, build.layout.root):
            # Unknown, unreadable or refused: publishing it would put unchecked text on the site.
            # Its problem is already logged, so a strict build fails.
            files.remove(file)
            log.info("%s: left out of the site: the checker does not read it", file.src_uri)
        elif file.src_uri.endswith(".md"):
            build.site.urls[file.src_uri] = file.url
    # Formatted and rendered here, once, before any child is forked (Build.prepare). The data files
    # are then written into a scratch folder by a forked child while MkDocs converts the pages; on_env
    # waits for it. Those that pages may link to are known now; the search index's names, only then.
    build.prepare()
    state.data_dir = Path(tempfile.mkdtemp(prefix="factcheck-data-"))
    state.data = parallel.submit(build.write_data, state.data_dir, fork=len(build.site.claims) >= parallel.MIN_ITEMS)
    for data_file in build.data_files():
        files.append(File.generated(config, data_file.name, abs_src_path=str(state.data_dir / data_file.name)))
    if _dirty:
        _skip_unchanged(state, files, Path(config.config_file_path))
    # A forked child renders the fact-check pages in the order MkDocs will ask for them, starting
    # now, so that this process only puts them in the theme: it never holds a listing's making.
    jobs = [(file.src_uri, functools.partial(_encoded, functools.partial(build.page, file.src_uri)))
            for file in files.documentation_pages() if build.renders(file.src_uri) and (not _dirty or file.is_modified())]
    state.ahead = parallel.Ahead(jobs)
    memory.trim()  # what checking and preparing freed
    if state.serving:
        problems = problems_page(build, state.problems_by_path)  # linked from every banner, never from the navigation
        files.append(File.generated(config, PROBLEMS_PAGE, content=problems, inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def _skip_unchanged(state: State, files: Files, config_file: Path) -> None:
    """Tell the engine which pages to rebuild: a claim page whose fingerprint is the one last written
    is left as it is; every other page is rebuilt, whatever its file's date says."""
    state.files = files
    state.started_ns = time.time_ns()
    pages = files.documentation_pages()
    site = incremental.site_key(state.build, config_file, OVERRIDES, [file.src_uri for file in pages])
    build = state.build

    def shown(src_uri: str) -> str:
        return banner(build, src_uri, state.problems_by_path, build.site.urls.get(src_uri, "")) if state.serving else ""

    state.fingerprints = incremental.claim_keys(build, site, shown)
    state.listing_key = incremental.listing_key(build, site)
    for file in pages:
        key = state.fingerprints.get(file.src_uri)
        unchanged = key is not None and _written.get(file.src_uri) == key
        file.is_modified = _never if unchanged else _always  # type: ignore[method-assign]


def _links_outside(file: File, root: Path) -> bool:
    source = Path(file.abs_src_path) if file.abs_src_path else None
    if source is None or not source.is_symlink():
        return False
    try:
        source.resolve(strict=True).relative_to(root)
    except (OSError, ValueError, RuntimeError):
        return True
    return False


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    """Claims and articles are read by the checker; MkDocs gets none of their text to parse again."""
    return "" if _current().build.is_content(page.file.src_uri) else None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Queue the fact-check page for rendering; its title and meta data come from the model, escaped."""
    state = _current()
    build = state.build
    src = page.file.src_uri
    if build.is_content(src) or (src in build.docs_pages and build.docs_pages[src].kind):
        state.pending[src] = functools.partial(build.page, src)
        if build.is_content(src):
            title, description = build.title_of(src)
            # Front matter from pull requests never reaches the theme: only these escaped values do.
            page.meta = {"title": html.escape(title), "description": html.escape(description)}
            return ""
        added = build.docs_pages.get(src)
        if added is not None and added.part is not None and added.part.number > 1:  # its title, not its heading's Markdown
            page.meta = {"title": html.escape(added.title), "description": html.escape(added.description)}
    return markdown


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Every page is converted: the data files must be written before MkDocs copies them. The theme's
    templates are compiled once and kept, as ours are."""
    state = _current()
    keep_compiled(env, state.build.cache.directory)
    if state.data is not None and state.data_dir is not None:
        known = {file.src_uri for file in files}
        for name in state.data.result():  # MkDocs copies the files next: they must be written
            if name not in known:
                files.append(File.generated(config, name, abs_src_path=str(state.data_dir / name)))
    return env


def _encoded(make: Callable[[], FinishedPage | None]) -> str:
    page = make()
    return json.dumps(dataclasses.asdict(page)) if page is not None else ""


@event_priority(-100)
def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Put the fact-check page's HTML, headings and meta data in place, after the page's own Markdown."""
    state = _current()
    make = state.pending.pop(page.file.src_uri, None)
    if make is None:
        return context
    src = page.file.src_uri
    listed = state.listing_key and src not in state.fingerprints  # an article or a listing, under serve --dirty
    if listed and src in _listed and _listed[src][0] == state.listing_key:
        finished: FinishedPage | None = _listed[src][1]
    else:
        ready = state.ahead.take(src, wait=True) if state.ahead is not None else None
        finished = FinishedPage(**json.loads(ready)) if ready else make()
        if listed and finished is not None:
            _listed[src] = (state.listing_key, finished)
    if finished is None:
        return context
    body = finished.html
    own = page.content or ""
    page.content = own + body
    page.meta.update({key: html.escape(value) for key, value in finished.meta.items()})
    if state.serving:
        page.content = banner(state.build, page.file.src_uri, state.problems_by_path, page.url) + page.content
    _contents(page, finished.headings)
    if page.present_anchor_ids is not None:  # MkDocs checks links to anchors against these
        page.present_anchor_ids |= {heading.id for heading in finished.headings} | _ids(body)
    return context


def _contents(page: Page, headings: list[Heading]) -> None:
    """The page's table of contents: its own Markdown's headings, then the rendered page's (h1 aside)."""
    items: list[AnchorLink] = list(page.toc.items) if page.toc else []
    stack: list[AnchorLink] = []
    for heading in headings:
        if heading.level == 1:
            if not items:
                link = AnchorLink(heading.html, heading.id, 1)
                items.append(link)
                stack = [link]
            continue
        link = AnchorLink(heading.html, heading.id, heading.level)
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        if stack:
            stack[-1].children.append(link)
        elif items and items[0].level == 1:
            items[0].children.append(link)
            stack = [items[0]]
        else:
            items.append(link)
        stack.append(link)
    page.toc = TableOfContents(items)


def _ids(html_text: str) -> set[str]:
    return set(re.findall(r'\sid="([^"<>]+)"', html_text))


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Add the page's Content-Security-Policy; let go of what a fact-check page no longer needs."""
    state = _current()
    src = page.file.src_uri
    if state.build.is_content(src) or src in state.build.docs_pages:
        # MkDocs keeps every page's Markdown and HTML until the build ends; ours are written now.
        page.content = None
        page.markdown = ""  # not None: MkDocs would read the page as unread and lose its title in the nav
    secured = csp.secure(output)
    state.written_pages += 1
    if state.written_pages % memory.EVERY == 0 or len(output) > 1 << 20:
        memory.trim()
    return secured


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The theme's own pages (404.html) get their Content-Security-Policy too."""
    return csp.secure(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config: MkDocsConfig) -> None:
    """Keep what this build computed for the next one, and let go of the build."""
    global _state
    state = _current()
    state.build.cache.save()
    if state.ahead is not None:
        state.ahead.close()
    if state.data is not None:
        state.data.result()  # done already (on_env), unless the build stopped before it
    if state.data_dir is not None:
        shutil.rmtree(state.data_dir, ignore_errors=True)
    if _dirty and state.files is not None:
        # Nothing of an earlier build may stay that a full build would not write (a removed claim's page).
        expected = {Path(file.abs_dest_path) for file in state.files}
        incremental.prune(Path(config.site_dir), expected, state.started_ns)
        _written.clear()
        _written.update(state.fingerprints)
    _state = None


def on_build_error(error: Exception) -> None:
    """After a failed build nothing of it can be trusted: the next one rebuilds every page."""
    _written.clear()
    _listed.clear()
