"""A finished page as the build hands it to an engine: its title, meta data, and HTML cut into sections.

The templates put every heading on a line of its own at the top level of the page's HTML, so a
page can be cut at its headings. An engine with hooks (MkDocs, ProperDocs) gets the HTML as it
is and the headings as the page's table of contents; an engine without hooks (Zensical) gets
Markdown in which each heading is a Markdown heading with its id and each stretch between two
is a block of finished HTML, so that its own table of contents lists them too.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

# A heading line as the templates and the analysis renderer write them.
_HEADING = re.compile(r'^<h([1-6]) id="([^"<>]+)"[^<>]*>(.*?)</h\1>$', re.MULTILINE)
_TAGS = re.compile(r"<[^<>]*>")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


@dataclass(frozen=True)
class Heading:
    """A heading of a page: level, id, and its text (plain) and HTML (inline markup kept)."""

    level: int
    id: str
    text: str
    html: str


@dataclass(frozen=True)
class Page:
    """One page the build made: what the engine needs to publish it, and nothing engine-specific."""

    src_uri: str
    kind: str  # "claim", "article", or a listing kind ("claims", "references", ...)
    title: str  # plain text, for <title>, Open Graph and search
    description: str
    html: str  # the page's content, sanitized where it came from contributors
    meta: dict[str, str] = field(default_factory=dict)  # fc_verdict, fc_image, ... for the theme override

    @functools.cached_property
    def headings(self) -> list[Heading]:
        return [Heading(int(m.group(1)), m.group(2), html.unescape(_TAGS.sub("", m.group(3))), m.group(3)) for m in _HEADING.finditer(self.html)]

    def markdown(self, intro: str = "") -> str:
        """The page as Markdown for an engine without hooks: front matter, the page's own Markdown, then the sections."""
        lines = ["---", f"title: {_yaml(self.title)}", f"description: {_yaml(self.description)}"]
        lines += [f"{key}: {_yaml(value)}" for key, value in sorted(self.meta.items())]
        lines += ["---", ""]
        if intro.strip():
            lines += [intro.strip(), ""]
        position = 0
        for match in _HEADING.finditer(self.html):
            lines += _block(self.html[position : match.start()])
            level, anchor = int(match.group(1)), match.group(2)
            text = markdown_text(html.unescape(_TAGS.sub("", match.group(3))))
            lines += [f"{'#' * level} {text} {{#{anchor}}}", ""]
            position = match.end()
        lines += _block(self.html[position:])
        return "\n".join(lines).rstrip() + "\n"


def markdown_text(text: str) -> str:
    """Plain text written as Markdown that shows it as it is: <, > and & as entities (Markdown has no
    escape for <), every other character Markdown reads as markup behind a backslash."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _block(fragment: str) -> list[str]:
    """An HTML fragment as a raw block: one element, so Markdown leaves every line of it alone."""
    fragment = fragment.strip()
    if not fragment:
        return []
    return [f'<div class="fc-block">\n{fragment}\n</div>', ""]


def _yaml(value: str) -> str:
    """A double-quoted YAML string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
