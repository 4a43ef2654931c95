"""Long listings cut into pages: the claims index, the claims by verdict and by certainty, and the
references, past a few hundred entries.

One page of thousands of entries is megabytes that a phone must lay out before it can scroll.
A listing longer than its kind's ``SIZES`` entry is cut into parts of that many entries: the
first keeps the listing's own page and address (``claims/``), the others are pages the build
adds beside it (``claims/page-2/``). A site of this project's size (26 claims) has one part.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

# Entries per page, by listing kind (render.LISTINGS); a kind not here is never cut.
SIZES: dict[str, int] = {"claims": 200, "verdict-tags": 200, "certainty-tags": 200, "references": 300}


@dataclass(frozen=True)
class Part:
    """One page of a listing cut into pages: which entries it shows, and the sources of every page of it."""

    number: int  # from 1
    start: int  # index of the first entry shown
    end: int  # one past the last
    src_uris: tuple[str, ...]  # every part's source, in order; the first is the listing's own page

    @property
    def count(self) -> int:
        return len(self.src_uris)

    @property
    def src_uri(self) -> str:
        return self.src_uris[self.number - 1]


def part_src(src_uri: str, number: int) -> str:
    """The source a listing's part ``number`` is published from: ``claims.md`` -> ``claims/page-2.md``."""
    if number == 1:
        return src_uri
    stem, _ = posixpath.splitext(src_uri)
    if posixpath.basename(stem) == "index":  # a listing that is a folder's index: its parts go in that folder
        stem = posixpath.dirname(stem) or "index"
    return f"{stem}/page-{number}.md"


def split(kind: str, src_uri: str, entries: int) -> list[Part]:
    """The parts of the listing of ``kind`` at ``src_uri`` showing ``entries`` entries; one part if it is short."""
    size = SIZES.get(kind, 0)
    if size <= 0 or entries <= size:
        return [Part(1, 0, entries, (src_uri,))]
    count = -(-entries // size)
    sources = tuple(part_src(src_uri, number) for number in range(1, count + 1))
    return [Part(number, (number - 1) * size, min(number * size, entries), sources) for number in range(1, count + 1)]
