"""A claim's analysis, from the contributor's Markdown to sanitized HTML, with its citations left as placeholders.

Contributor Markdown gets a deliberately small dialect (``dialect.py``): no raw HTML and no
attribute lists, which the site's own pages may use and strangers' claims may not. The result
goes through the one sanitizer (``sanitize.py``), and what that removed is reported.

Each citation group is replaced, before Markdown sees it, by a placeholder made of private-use
characters, which a body cannot hold (they are removed from it and reported): so no body can
forge one. The site resolves them once every reference is formatted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.content import CitationGroup
from ..model.patterns import CONTROL

PLACEHOLDER = "\ue000{}\ue001"
PLACEHOLDERS = re.compile("\ue000(\\d+)\ue001")
# Characters a body may not hold (patterns.CONTROL): the placeholders are made of some of them.
FORBIDDEN = CONTROL
# Only these can make Markdown produce HTML the sanitizer would change (tags, entities, inline
# links and images, link definitions, which reference links need); a body without any of them is
# rendered by the site but need not be rendered by the checker (see may_change).
_RISKY = ("<", "&", "](", "]:", "![")


@dataclass(frozen=True)
class Heading:
    """A heading of an analysis, for the page's table of contents."""

    level: int
    text: str
    id: str


@dataclass(frozen=True)
class Rendered:
    """A body rendered: its sanitized HTML (citations as placeholders), its headings, and what the sanitizer removed."""

    html: str
    headings: tuple[Heading, ...]
    removed: str | None  # a description of the first thing the sanitizer took out, or None


def with_placeholders(body: str, groups: tuple[CitationGroup, ...]) -> str:
    """``body`` with forbidden characters removed and each citation group replaced by its placeholder."""
    pieces, position = [], 0
    for index, group in enumerate(groups):  # one pass: slicing the body per group was quadratic
        pieces += [FORBIDDEN.sub("", body[position : group.start]), PLACEHOLDER.format(index)]
        position = group.end
    pieces.append(FORBIDDEN.sub("", body[position:]))
    return "".join(pieces)


def render(body: str, groups: tuple[CitationGroup, ...]) -> Rendered:
    """The analysis as sanitized HTML, with what sanitizing changed."""
    from . import dialect  # the Markdown parser is imported only when a body is rendered: the checker rarely needs it
    from .sanitize import removed, sanitize

    raw, headings = dialect.convert(with_placeholders(body, groups))
    clean = sanitize(raw)
    return Rendered(clean, headings, removed(raw, clean))


def may_change(body: str) -> bool:
    """False when rendering ``body`` cannot produce anything the sanitizer would change.

    Without raw HTML, entities and links (an inline or reference link, an image, an autolink),
    Markdown makes only tags and attributes of the allowlist; a property test holds this to
    account. The checker renders the other bodies, to report what the sanitizer would remove.
    The markers are looked for in the whole body, code included: where a code span or block
    ends is the renderer's to say, not a pattern's.
    """
    return any(marker in body for marker in _RISKY)
