"""Loading a site from disk into the data model, with a problem for everything unreadable.

Layout (relative to the project root):
``docs/articles/<slug>/index.md`` is an article, ``docs/articles/<slug>/claims/<id>.md``
a claim of it, ``references/*.bib`` the bibliography.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..checking import body
from ..model.content import Article, Claim, Correction, NonClaim, Project, Reference, Source, TextQuote
from ..model.problems import FactcheckError, Problem, error
from ..reading import citations
from ..reading.bibliography import BibFile, parse_bytes
from ..reading.cache import Cache
from ..reading.frontmatter import Document, decode, parse
from ..reading.schema import (
    ARTICLE_OPTIONAL,
    ARTICLE_REQUIRED,
    CLAIM_OPTIONAL,
    CLAIM_REQUIRED,
    CORRECTION_KEYS,
    NON_CLAIM_OPTIONAL,
    NON_CLAIM_REQUIRED,
    Reader,
    kind_of,
)
from ..site import parallel

ARTICLES_DIR = "articles"
CLAIMS_DIR = "claims"
ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


@dataclass(frozen=True)
class Layout:
    """Where a site's content lives."""

    root: Path
    docs_dir: Path
    references_dir: Path

    @classmethod
    def at(cls, root: Path) -> Layout:
        root = root.resolve()
        return cls(root, root / "docs", root / "references")

    def display(self, path: Path) -> str:
        """``path`` as the messages show it: relative to the root, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def article_files(self) -> list[Path]:
        return sorted((self.docs_dir / ARTICLES_DIR).glob("*/index.md"))

    def claim_files(self, article_dir: Path) -> list[Path]:
        return sorted((article_dir / CLAIMS_DIR).glob("*.md"))

    def orphan_claim_files(self) -> list[Path]:
        """Claims in a folder that has no index.md at all, e.g. a misspelt article folder.

        Loading them lets the rules say so ('no-article'); skipping them, as before, let a
        claim nobody checked reach the site as an ordinary page.
        """
        return [
            path
            for path in sorted((self.docs_dir / ARTICLES_DIR).glob(f"*/{CLAIMS_DIR}/*.md"))
            if not _lexists(path.parent.parent / "index.md")
        ]

    def bib_files(self) -> list[Path]:
        return sorted(self.references_dir.glob("*.bib"))


@dataclass(frozen=True)
class Loaded:
    project: Project
    bib_files: tuple[BibFile, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _File:
    """A file to load, with its bytes and its key in the cache."""

    kind: str  # "article", "claim" or "bib"
    path: Path
    slug: str  # the article a claim belongs to
    content: bytes
    digest: str


def load(layout: Layout, cache: Cache | None = None, workers: int = 2) -> Loaded:
    """Read every article, claim and .bib file of the site; ``cache`` skips files parsed before.

    When many files are new to the cache, up to ``workers`` processes parse them (see
    parallel.py); the result is the same, in the same order, as parsing them here.
    """
    cache = cache or Cache(None)
    problems: list[Problem] = []
    article_files = _read(layout, cache, "article", [(path, "") for path in layout.article_files()], problems)
    articles: dict[str, Article] = {}
    claim_paths: list[tuple[Path, str]] = []
    for file, article in zip(article_files, _values(layout, cache, article_files, problems, 1), strict=True):
        if isinstance(article, Article):
            articles[article.slug] = article
            claim_paths += [(path, article.slug) for path in layout.claim_files(file.path.parent)]
    claim_paths += [(path, path.parent.parent.name) for path in layout.orphan_claim_files()]
    files = _read(layout, cache, "claim", claim_paths, problems)
    files += _read(layout, cache, "bib", [(path, "") for path in layout.bib_files()], problems)
    claims: list[Claim] = []
    bib_files: list[BibFile] = []
    for value in _values(layout, cache, files, problems, workers):
        if isinstance(value, Claim):
            claims.append(value)
        elif isinstance(value, BibFile):
            bib_files.append(value)
    references: dict[str, Reference] = {}
    for bib in bib_files:
        for reference in bib.references:
            references.setdefault(reference.key, reference)
    project = Project(articles, tuple(claims), references)
    cache.save()
    return Loaded(project, tuple(bib_files), tuple(problems))


def _read(layout: Layout, cache: Cache, kind: str, paths: list[tuple[Path, str]], problems: list[Problem]) -> list[_File]:
    """The files that can be read, with their bytes; a problem for each that cannot."""
    files = []
    directories: dict[Path, bool] = {}
    for path, slug in paths:
        display = layout.display(path)
        content = _read_bytes(layout, path, display, problems, directories)
        if content is not None:
            # A claim is keyed with its article too: the same bytes in another folder are another claim.
            files.append(_File(kind, path, slug, content, cache.digest(content, f"{display}\0{slug}")))
    return files


def _values(layout: Layout, cache: Cache, files: list[_File], problems: list[Problem], workers: int) -> list[object]:
    """What each file yields (None if nothing), from the cache or parsed now; its problems go to ``problems``."""
    results: list[tuple[object, tuple[Problem, ...]] | None] = []
    missing: list[int] = []
    for index, file in enumerate(files):
        found, value = cache.lookup(file.kind, file.digest)
        results.append(value if found else None)
        if not found:
            missing.append(index)
    computed = parallel.map_chunks(_parse_files, layout, [files[i] for i in missing], _cost, workers)
    for index, value in zip(missing, computed, strict=True):
        cache.put(files[index].kind, files[index].digest, value)
        results[index] = value
    values = []
    for result in results:
        assert result is not None
        value, found_problems = result
        problems.extend(found_problems)
        values.append(value)
    return values


def _cost(file: _File) -> int:
    # Measured (scripts/bench.py): a byte of BibTeX takes pybtex about three times as long as a
    # byte of a claim takes us. Only the ratio matters: it balances the processes' shares.
    return len(file.content) * (3 if file.kind == "bib" else 1)


def _parse_files(layout: Layout, files: list[_File]) -> list[tuple[object, tuple[Problem, ...]]]:
    return [_parse(layout, file) for file in files]


def _parse(layout: Layout, file: _File) -> tuple[object, tuple[Problem, ...]]:
    """What one file yields, with its problems; this is what the cache keeps for it."""
    if file.kind == "bib":
        bib = parse_bytes(file.content, layout.display(file.path))
        return bib, bib.problems
    problems: list[Problem] = []
    load_one = _load_article if file.kind == "article" else _load_claim
    return load_one(layout, file.path, file.slug, file.content, problems), tuple(problems)


def _read_document(layout: Layout, path: Path, content: bytes, problems: list[Problem]) -> Document | None:
    display = layout.display(path)
    try:
        return parse(decode(content, display), display)
    except FactcheckError as exc:
        problems.append(exc.problem)
        return None


def _read_bytes(
    layout: Layout, path: Path, display: str, problems: list[Problem], directories: dict[Path, bool]
) -> bytes | None:
    """The file's bytes, or None and a problem saying why it is not read.

    Git stores symbolic links, and a folder may be named like a file (``x.md/``), so a pull
    request can hold a link outside the project, a dangling link, a link loop or a folder
    where a file is expected; each of the last three used to end the checker with a traceback.
    ``directories`` remembers which folders lie inside the project, so that an ordinary file
    costs one ``lstat`` instead of resolving its whole path.
    """
    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            folder = path.parent
            if folder not in directories:
                directories[folder] = _inside(layout.root, folder)
            if directories[folder]:
                return path.read_bytes()
    except (OSError, RuntimeError):
        pass  # the careful way below says what is wrong
    try:
        inside = _inside(layout.root, path)
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a symlink loop
        problems.append(error(display, 1, "unreadable", "the file is a link that leads round in a loop; it is not read"))
        return None
    if not inside:
        problems.append(error(display, 1, "outside-root", "the file is a link to a place outside the project; it is not read"))
        return None
    if path.is_symlink() and not path.exists():
        problems.append(error(display, 1, "unreadable", "the file is a link to a file that does not exist; it is not read"))
        return None
    if not path.is_file():
        kind = "a folder" if path.is_dir() else "not an ordinary file"
        problems.append(error(display, 1, "unreadable", f"this is {kind}, not a file; it is not read"))
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        problems.append(error(display, 1, "unreadable", f"the file cannot be read: {exc.strerror or exc}"))
        return None


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _lexists(path: Path) -> bool:
    return path.is_symlink() or path.exists()


def _load_article(layout: Layout, path: Path, _slug: str, content: bytes, problems: list[Problem]) -> Article | None:
    doc = _read_document(layout, path, content, problems)
    if doc is None:
        return None
    slug = path.parent.name
    read = Reader(doc, problems)
    meta = doc.meta
    if not ID_PATTERN.match(slug):
        read.problem((), "bad-id", f"article folder '{slug}' must be lower-case letters, digits and hyphens")
    read.check_keys(meta, ARTICLE_REQUIRED, ARTICLE_OPTIONAL)
    non_claims = []
    for index, item in read.mappings(meta, "non_claims"):
        where = ("non_claims", index)
        read.check_keys(item, NON_CLAIM_REQUIRED, NON_CLAIM_OPTIONAL, where)
        quote = TextQuote(read.text(item, "quote", where), read.text(item, "prefix", where), read.text(item, "suffix", where))
        non_claims.append(NonClaim(quote, read.text(item, "reason", where), read.text(item, "note", where), doc.line(*where)))
    published = meta.get("published")
    if isinstance(published, (list, dict, bool)):  # shown on the page as text: "['2021']" would be nonsense
        read.problem(("published",), "wrong-type", f"'published' must be a year or a date, not {kind_of(published)}")
        published = None
    retrieved = read.date(meta, "retrieved")
    return Article(
        slug=slug,
        path=doc.path,
        src_uri=path.relative_to(layout.docs_dir).as_posix(),
        title=read.text(meta, "title"),
        publisher=read.text(meta, "publisher"),
        url=read.text(meta, "url"),
        published=str(published) if published is not None else "",
        published_note=read.text(meta, "published_note"),
        retrieved=retrieved.isoformat() if retrieved else "",
        text=doc.body.strip("\n"),
        body_line=doc.body_line + _leading_newlines(doc.body),
        non_claims=tuple(non_claims),
    )


def _leading_newlines(text: str) -> int:
    return len(text) - len(text.lstrip("\n"))


def _load_claim(layout: Layout, path: Path, slug: str, content: bytes, problems: list[Problem]) -> Claim | None:
    doc = _read_document(layout, path, content, problems)
    if doc is None:
        return None
    read = Reader(doc, problems)
    meta = doc.meta
    claim_id = path.stem
    if not ID_PATTERN.match(claim_id):
        read.problem((), "bad-id", f"claim file name '{path.name}' must be lower-case letters, digits and hyphens, then .md")
    read.check_keys(meta, CLAIM_REQUIRED, CLAIM_OPTIONAL)
    if meta.get("sources") == []:  # a list, but empty; a value of the wrong kind is reported by mappings()
        read.problem(("sources",), "no-source", "the claim lists no sources")
    sources = []
    for index, item in read.mappings(meta, "sources"):
        where = ("sources", index)
        read.check_keys(item, ("key", "stance"), ("note",), where)
        key = read.text(item, "key", where).lstrip("@")
        sources.append(Source(key, read.text(item, "stance", where), read.text(item, "note", where), doc.line(*where)))
    corrections = []
    for index, item in read.mappings(meta, "corrections"):
        where = ("corrections", index)
        read.check_keys(item, CORRECTION_KEYS, (), where)
        date = read.date(item, "date", where)
        if date is not None:
            corrections.append(Correction(date, read.text(item, "note", where)))
    lines = {str(key[0]): line for key, line in doc.lines.items() if len(key) == 1}
    groups = citations.find_groups(doc.body, doc.body_line)
    # What the body may contain depends on the file alone, so it is checked here, with the file,
    # and cached with it; the rules that need other files (unknown keys) run in rules.py.
    for line, col, message in body.unsafe_html(doc.body, doc.body_line):
        problems.append(error(doc.path, line, "raw-html", message, col))
    for line, col, message in body.unsafe_links(doc.body, doc.body_line):
        problems.append(error(doc.path, line, "unsafe-link", message, col))
    return Claim(
        id=claim_id,
        article_slug=slug,
        path=doc.path,
        src_uri=path.relative_to(layout.docs_dir).as_posix(),
        quote=TextQuote(read.text(meta, "quote"), read.text(meta, "prefix"), read.text(meta, "suffix")),
        claim=read.text(meta, "claim"),
        verdict=read.text(meta, "verdict"),
        certainty=read.text(meta, "certainty"),
        certainty_rationale=read.text(meta, "certainty_rationale"),
        certainty_upgrade=read.text(meta, "certainty_upgrade"),
        bottom_line=read.text(meta, "bottom_line"),
        sources=tuple(sources),
        reviewed=read.date(meta, "reviewed"),
        reviewers=read.texts(meta, "reviewers"),
        corrections=tuple(sorted(corrections, key=lambda c: c.date)),
        body=doc.body,
        body_line=doc.body_line,
        citation_groups=groups,
        bare_keys=tuple(citations.find_bare_keys(doc.body, doc.body_line, groups)),
        lines=lines,
    )

