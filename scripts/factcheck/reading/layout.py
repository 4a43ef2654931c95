"""Where a site's content lives, and which of its files the tools read: every other one is refused by name.

``docs/articles/<slug>/index.md`` is an article, ``docs/articles/<slug>/claims/<id>.md`` a claim of
it, ``references/<name>.bib`` a part of the bibliography. A pull request can put anything else in
those folders (a ``.markdown`` or ``.html`` page, a file in a sub-folder, a symbolic link, a FIFO);
the engine would publish it unchecked, so each is reported with its path and left out of the site.
Sizes are bounded here, before anything is read.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..model.problems import Problem
from ..model.registry import FILE_TOO_LARGE, NO_CLAIMS, OUTSIDE_ROOT, SITE_TOO_LARGE, UNKNOWN_FILE, UNREADABLE

ARTICLES_DIR = "articles"
CLAIMS_DIR = "claims"
INDEX = "index.md"
CLAIM_SUFFIX = ".md"
BIB_SUFFIX = ".bib"
MASTHEAD = "masthead.yml"  # in docs/: who is behind the site

# The real files are a few kB (claims, the article) and tens of kB (.bib); these limits are far
# above any real one and far below what makes a tool slow or short of memory.
MAX_PAGE_BYTES = 1 << 20  # an article or a claim: 1 MiB
MAX_BIB_BYTES = 8 << 20  # a .bib file: 8 MiB
MAX_SITE_BYTES = 256 << 20  # everything read, together: 256 MiB


@dataclass(frozen=True)
class ContentFile:
    """A file the tools read: its kind ("article", "claim" or "bib"), path, and the article it belongs to."""

    kind: str
    path: Path
    slug: str = ""
    size: int = 0


@dataclass
class Inventory:
    """What a site's content folders hold: the files to read, and a problem for every file refused."""

    files: list[ContentFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # display paths of the files not read

    def of(self, kind: str) -> list[ContentFile]:
        return [file for file in self.files if file.kind == kind]


@dataclass(frozen=True)
class Layout:
    """Where a site's content lives: the project root, its docs folder and its references folder."""

    root: Path
    docs_dir: Path
    references_dir: Path

    @classmethod
    def at(cls, root: Path) -> Layout:
        root = root.resolve()
        return cls(root, root / "docs", root / "references")

    @property
    def articles_dir(self) -> Path:
        return self.docs_dir / ARTICLES_DIR

    def display(self, path: Path) -> str:
        """``path`` as the messages show it: relative to the root, with forward slashes."""
        text, root = path.as_posix(), self.root.as_posix().rstrip("/") + "/"
        # Slicing strings: pathlib's relative_to cost more than reading the paths, over a thousand files.
        return text[len(root):] if text.startswith(root) else text

    def inventory(self) -> Inventory:
        """Every file under the articles and references folders: read, or refused with a problem."""
        walk = _Walk(self)
        walk.articles()
        walk.references()
        walk.masthead()
        return walk.inventory


class _Walk:
    """One pass over the content folders; nothing is followed through a link, nothing read yet."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.inventory = Inventory()
        self.total = 0

    def refuse(self, path: Path, problem: Problem) -> None:
        self.inventory.problems.append(problem)
        self.inventory.refused.append(self.layout.display(path))

    def unknown(self, path: Path, why: str) -> None:
        display = self.layout.display(path)
        self.refuse(path, UNKNOWN_FILE.at(display, 1, f"{why}; it is not read and not published (see docs/contributing.md, How the content is laid out)"))

    def accept(self, kind: str, path: Path, slug: str, info: os.stat_result) -> None:
        display = self.layout.display(path)
        limit = MAX_BIB_BYTES if kind == "bib" else MAX_PAGE_BYTES
        if info.st_size > limit:
            message = f"the file is {info.st_size:,} bytes, more than the {limit:,} bytes a {_KIND_NAMES[kind]} may have; it is not read"
            self.refuse(path, FILE_TOO_LARGE.at(display, 1, message))
            return
        if self.total + info.st_size > MAX_SITE_BYTES:
            message = f"the content read so far and this file come to more than {MAX_SITE_BYTES:,} bytes; it is not read"
            self.refuse(path, SITE_TOO_LARGE.at(display, 1, message))
            return
        self.total += info.st_size
        self.inventory.files.append(ContentFile(kind, path, slug, info.st_size))

    def entry_kind(self, path: Path) -> tuple[str, os.stat_result | None]:
        """'dir', 'file', or why the entry is neither, without following a link."""
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return "missing", None
        except OSError as exc:
            return f"cannot be read: {exc.strerror or exc}", None
        if stat.S_ISLNK(info.st_mode):
            return self.link_kind(path), None
        if stat.S_ISDIR(info.st_mode):
            return "dir", info
        if stat.S_ISREG(info.st_mode):
            return "file", info
        return "special", info

    def link_kind(self, path: Path) -> str:
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return "link-nowhere"
        except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop
            return "link-loop"
        try:
            target.relative_to(self.layout.root)
        except ValueError:
            return "link-outside"
        return "link"

    def odd(self, path: Path, kind: str) -> bool:
        """Report an entry that is neither a file nor a folder; True if it was one."""
        display = self.layout.display(path)
        messages = {
            "link": "the file is a symbolic link; commit the file itself, not a link to it",
            "link-outside": "the file is a link to a place outside the project; it is not read",
            "link-nowhere": "the file is a link to a file that does not exist; it is not read",
            "link-loop": "the file is a link that leads round in a loop; it is not read",
            "special": "this is not an ordinary file (a device, a socket or a pipe); it is not read",
            "missing": "the file disappeared while the folder was read; it is not read",
        }
        if kind in messages:
            rule = OUTSIDE_ROOT if kind == "link-outside" else UNKNOWN_FILE if kind == "link" else UNREADABLE
            self.refuse(path, rule.at(display, 1, messages[kind]))
            return True
        if kind not in ("dir", "file"):
            self.refuse(path, UNREADABLE.at(display, 1, f"the file {kind}"))
            return True
        return False

    def articles(self) -> None:
        folder = self.layout.articles_dir
        kind, _ = self.entry_kind(folder)
        if kind != "dir":
            if kind != "missing":
                self.odd(folder, kind)
            return
        for entry in _sorted(folder):
            kind, _ = self.entry_kind(entry)
            if self.odd(entry, kind):
                continue
            if kind == "file":
                self.unknown(entry, f"'{entry.name}' lies directly in {ARTICLES_DIR}/; an article is a folder holding {INDEX} and {CLAIMS_DIR}/")
                continue
            self.article(entry)

    def article(self, folder: Path) -> None:
        slug = folder.name
        has_index = False
        claims = 0
        for entry in _sorted(folder):
            kind, info = self.entry_kind(entry)
            if self.odd(entry, kind):
                if entry.name == INDEX:
                    has_index = True  # it exists, though it cannot be read: no "no-article" on top
                continue
            if entry.name == INDEX:
                has_index = True
                if kind == "file" and info is not None:
                    self.accept("article", entry, slug, info)
                else:
                    self.refuse(entry, UNREADABLE.at(self.layout.display(entry), 1, "this is a folder, not a file; it is not read"))
            elif entry.name == CLAIMS_DIR and kind == "dir":
                claims = self.claims(entry, slug)
            elif entry.name.lower() == INDEX:
                self.unknown(entry, f"'{entry.name}' is not '{INDEX}' (names are lower-case)")
            elif entry.name.lower() == CLAIMS_DIR:
                self.unknown(entry, f"the folder '{entry.name}' is not '{CLAIMS_DIR}' (names are lower-case); its claims would be lost")
            else:
                what = "folder" if kind == "dir" else "file"
                self.unknown(entry, f"the {what} '{entry.name}' does not belong in an article folder, which holds only {INDEX} and {CLAIMS_DIR}/")
        if has_index and claims == 0:
            index = folder / INDEX
            where = self.layout.display(folder / CLAIMS_DIR)
            self.inventory.problems.append(NO_CLAIMS.at(self.layout.display(index), 1, f"the article has no claims: put them in {where}/<id>.md"))

    def claims(self, folder: Path, slug: str) -> int:
        count = 0
        for entry in _sorted(folder):
            kind, info = self.entry_kind(entry)
            if self.odd(entry, kind):
                count += entry.suffix == CLAIM_SUFFIX  # a claim all the same, refused: not "no claims" as well
                continue
            if kind == "dir":
                self.unknown(entry, f"the folder '{entry.name}' is inside {CLAIMS_DIR}/; claims may not be in sub-folders, so its claims would be lost")
            elif entry.suffix == CLAIM_SUFFIX and info is not None:
                self.accept("claim", entry, slug, info)
                count += 1
            elif entry.suffix.lower() in (".md", ".markdown", ".mdown", ".mkd"):
                self.unknown(entry, f"'{entry.name}' does not end in '{CLAIM_SUFFIX}' (lower-case): rename it <id>{CLAIM_SUFFIX}")
            else:
                self.unknown(entry, f"'{entry.name}' is not a claim file (<id>{CLAIM_SUFFIX}); other files may not be in {CLAIMS_DIR}/")
        return count

    def masthead(self) -> None:
        path = self.layout.docs_dir / MASTHEAD
        kind, info = self.entry_kind(path)
        if kind == "file" and info is not None:
            self.accept("masthead", path, "", info)
        elif kind != "missing":
            self.odd(path, kind)

    def references(self) -> None:
        folder = self.layout.references_dir
        kind, _ = self.entry_kind(folder)
        if kind != "dir":
            if kind != "missing":
                self.odd(folder, kind)
            return
        for entry in _sorted(folder):
            kind, info = self.entry_kind(entry)
            if self.odd(entry, kind):
                continue
            if kind == "dir":
                self.unknown(entry, "the folder is inside references/, which holds only .bib files")
            elif entry.suffix == BIB_SUFFIX and info is not None:
                self.accept("bib", entry, "", info)
            elif entry.suffix.lower() == BIB_SUFFIX:
                self.unknown(entry, f"'{entry.name}' does not end in '{BIB_SUFFIX}' (lower-case): rename it")
            else:
                self.unknown(entry, f"'{entry.name}' is not a .bib file; references/ holds only .bib files")


_KIND_NAMES = {"article": "article", "claim": "claim file", "bib": ".bib file", "masthead": "masthead"}


def _sorted(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return sorted(Path(entry.path) for entry in entries)
    except OSError:
        return []
