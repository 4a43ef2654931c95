"""A claim's analysis, from the contributor's Markdown to sanitized HTML, with its citations left as placeholders.

Contributor Markdown gets a deliberately small dialect: paragraphs, emphasis, lists, headings,
code, block quotes, tables, footnotes, abbreviations and links. No raw HTML (it is shown as
text) and no attribute lists (``{: onclick=…}`` is shown as text too): the site's own pages may
use them, strangers' claims may not. Headings move down two levels (the page has its own h1 and
h2) and get ids the page's contents can link to.

Each citation group is replaced, before Markdown sees it, by a placeholder made of private-use
characters, which a body cannot hold (they are removed from it and reported): so no body can
forge one. The site resolves them once every reference is formatted.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..model.content import CitationGroup
from .markup import code_mask
from .sanitize import removed, sanitize

PLACEHOLDER = "\ue000{}\ue001"
PLACEHOLDERS = re.compile("\ue000(\\d+)\ue001")
# Characters a body may not hold: controls (tab and newline aside), and the private-use area,
# which the placeholders use. Python-Markdown's own placeholders use STX and ETX.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\ufffe\uffff]")
# Only these can make Markdown produce HTML the sanitizer would change; a body without any of
# them is rendered by the site but need not be rendered by the checker (see may_change).
_RISKY = re.compile(r"<|&|\]\(|\]:|!\[|\]\s*\[")
_SLUG = re.compile(r"[^a-z0-9]+")
HEADING_SHIFT = 2


@dataclass(frozen=True)
class Heading:
    """A heading of an analysis, for the page's table of contents."""

    level: int
    text: str
    id: str


class _Headings(Treeprocessor):
    """Moves headings down (h1 becomes h3) and gives each a unique id from its text."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.found: list[Heading] = []

    def run(self, root: etree.Element) -> None:
        self.found = []
        used: set[str] = set()
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                level = min(6, int(element.tag[1]) + HEADING_SHIFT)
                element.tag = f"h{level}"
                text = "".join(element.itertext())
                base = "analysis-" + (_SLUG.sub("-", text.lower()).strip("-")[:60] or "section")
                anchor, number = base, 2
                while anchor in used:
                    anchor, number = f"{base}-{number}", number + 1
                used.add(anchor)
                element.set("id", anchor)
                self.found.append(Heading(level, text, anchor))


class _Safe(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Headings(md), "fc_headings", 1)


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "footnotes", "abbr", "sane_lists", _Safe()],
        extension_configs={"tables": {"use_align_attribute": True}, "footnotes": {"UNIQUE_IDS": False}},
        output_format="html",
    )


_converter: markdown.Markdown | None = None


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
    global _converter
    if _converter is None:
        _converter = _markdown()
    converter = _converter
    converter.reset()
    raw = converter.convert(with_placeholders(body, groups))
    headings = tuple(next(p for p in converter.treeprocessors if isinstance(p, _Headings)).found)
    clean = sanitize(raw)
    return Rendered(clean, headings, removed(raw, clean))


def may_change(body: str) -> bool:
    """False when rendering ``body`` cannot produce anything the sanitizer would change.

    Without raw HTML, entities and links (an inline or reference link, an image, an autolink),
    Markdown makes only tags and attributes of the allowlist; a property test holds this to
    account. The checker renders the other bodies, to report what the sanitizer would remove.
    """
    return bool(_RISKY.search(code_mask(body)))
