"""What a rebuild under ``mkdocs serve --dirty`` may leave as the last build wrote it.

Saving one claim file should not re-render a thousand claim pages. A claim page shows its claim,
its article's title, publisher and address, its number among the article's claims, the references
it cites as formatted (a label such as "Smith 2020b" depends on the whole bibliography), the
vocabularies, the masthead, the site's settings and date, and, under ``serve``, its problems banner; and,
like every page, the navigation and the templates. Its fingerprint is a digest of exactly those,
so a page whose fingerprint has not changed would be rendered to the same bytes. Every other page
(articles, listings, the site's own pages: a few dozen at any size) is rebuilt on every save, from
what it was made of last time if none of that changed (``listing_key``). The tests compare a
rebuild with a full build byte for byte.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.content import Claim

if TYPE_CHECKING:
    from .build import Build

# The environment variables the configuration reads (mkdocs.yml's !ENV), and the engine's.
ENVIRONMENT = ("FACTCHECK_SITE_URL", "FACTCHECK_REPO_URL", "FACTCHECK_ENGINE")


def _digest(parts: Iterable[object]) -> bytes:
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        hasher.update(repr(part).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.digest()


def _files(folder: Path) -> list[tuple[str, int, int]]:
    """Every file under ``folder`` with its size and modification time: a template edit changes every page."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found.append((path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns))
    return found


def site_key(build: Build, config_file: Path, templates: Path, documents: Iterable[str]) -> bytes:
    """What every page depends on: configuration, templates, settings, date, vocabularies, masthead,
    the articles, the site's own pages (their titles are in the navigation) and which pages exist."""
    project = build.site.project
    return _digest([
        config_file.read_bytes(), [(name, os.environ.get(name)) for name in ENVIRONMENT], _files(templates),
        build.settings, build.today, build.site.vocab, project.masthead, sorted(project.articles.items()),
        [(page.src_uri, page.kind, page.title, page.description) for page in build.docs_pages.values()],
        sorted(documents),
    ])


def claim_keys(build: Build, site: bytes, shown: Callable[[str], str]) -> dict[str, bytes]:
    """Each claim page's fingerprint, by its source; ``shown`` gives what else the adapter puts on a
    page (under ``serve``, its problems banner)."""
    view = build.site
    keys = {}
    for claim in view.claims:
        total = len(view.claims_by_article.get(claim.article_slug, []))
        cited = [(key, view.formatted(key)) for key in claim.cited_keys]
        keys[claim.src_uri] = _digest([site, claim, view.number.get(claim.id), total, cited, shown(claim.src_uri)])
    return keys


# A claim's fields that only its own page shows: its analysis and where things are in its file.
_OWN_PAGE_ONLY = frozenset({"body", "body_line", "citation_groups", "bare_keys", "lines", "end_line"})


@functools.cache
def _listed_fields() -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(Claim) if field.name not in _OWN_PAGE_ONLY)


def listing_key(build: Build, site: bytes) -> bytes:
    """What every article and listing page is made from: each claim but for its analysis (a save that
    changes only an analysis changes none of them), what it cites, where its quote is, and every
    reference as formatted. Under ``serve --dirty`` such a page is made again only when this changes."""
    view = build.site
    read = operator.attrgetter(*_listed_fields())
    claims = [(read(claim), view.number.get(claim.id), claim.cited_keys, view.report.spans.get(claim.id)) for claim in view.claims]
    return _digest([site, claims, [(key, view.formatted(key)) for key in view.reference_keys]])


def prune(site_dir: Path, expected: set[Path], since_ns: int) -> list[Path]:
    """Remove what an earlier build wrote and this one has not (a removed claim's page, a search
    shard no word needs any more): files neither among this build's nor written since ``since_ns``,
    then the folders left empty. Returns the files removed."""
    removed = []
    for path in sorted(site_dir.rglob("*"), reverse=True):  # a folder's files before the folder
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif path not in expected and path.lstat().st_mtime_ns < since_ns:
            path.unlink()
            removed.append(path)
    return removed
