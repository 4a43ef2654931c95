"""The Markdown dialect of contributors' analyses: Python-Markdown without raw HTML or attribute lists.

Paragraphs, emphasis, lists, headings, code, block quotes, tables, footnotes, abbreviations and
links; raw HTML and ``{: …}`` attribute lists are shown as text. Headings move down two levels
(the page has its own h1 and h2) and get ids the page's contents can link to. Imported only when
a body is rendered (see analysis.render).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .analysis import Heading

_SLUG = re.compile(r"[^a-z0-9]+")
HEADING_SHIFT = 2


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


def convert(text: str) -> tuple[str, tuple[Heading, ...]]:
    """``text`` as HTML (not yet sanitized), with its headings."""
    global _converter
    if _converter is None:
        _converter = _markdown()
    _converter.reset()
    html = _converter.convert(text)
    headings = next(p for p in _converter.treeprocessors if isinstance(p, _Headings)).found
    return html, tuple(headings)
