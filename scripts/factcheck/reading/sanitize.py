"""The one allowlist sanitizer: every HTML fragment made from contributor content passes through it.

Content comes from strangers' pull requests. Templates escape every value, contributor Markdown
is rendered without raw HTML or attribute lists, and the checker refuses what it recognises as
unsafe; this is the last filter, on the rendered HTML, so no earlier one has to be perfect
(the shape of GitHub's html-pipeline). It is ``nh3``, the bindings to the Rust ``ammonia`` crate:
tags, attributes and URL schemes not listed here are removed, and so is the content of
``<script>`` and ``<style>``.
"""

from __future__ import annotations

import html.parser
import re

import nh3

from ..model.patterns import SAFE_SCHEMES, is_local_address

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "div", "dl", "dt", "em", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
})
ATTRIBUTES = {
    "a": {"href", "title", "class", "aria-describedby", "rel"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
    "li": {"id", "class"},
    "sup": {"id"},
    "div": {"class"},
    "span": {"class", "id", "role"},
    "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "time": {"datetime"},
    "code": {"class"},
}
# Values our own renderers give these attributes; anything else a fragment holds is dropped.
_ALLOWED_VALUES = {
    "class": re.compile(r"^(?:footnote|footnote-ref|footnote-backref|fc-[a-z0-9_-]+)(?: fc-[a-z0-9_-]+)*$"),
    "id": re.compile(r"^(?:fn:|fnref:|analysis-|fc-)[A-Za-z0-9_:-]{1,80}$"),
    "role": re.compile(r"^tooltip$"),
    "aria-describedby": re.compile(r"^fc-[A-Za-z0-9_-]{1,120}$"),
    "rel": re.compile(r"^[a-z ]{1,40}$"),
}


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "title" and "<" in value:
        return None  # a script that shows titles as HTML (the theme's content.tooltips) would make it markup
    pattern = _ALLOWED_VALUES.get(attribute)
    if pattern is not None:
        return value if pattern.match(value) else None
    if tag == "img" and attribute == "src":
        # An image must be a file of this site: a reader's browser calls no other host.
        return value if is_local_address(value) else None
    return value


def sanitize(fragment: str) -> str:
    """``fragment`` with everything not on the allowlist removed; links get rel="nofollow noopener"."""
    return nh3.clean(
        fragment,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_filter,
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


class _Tokens(html.parser.HTMLParser):
    """A fragment as a list of what a browser would build from it, to compare two fragments."""

    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pairs = sorted((name, value or "") for name, value in attrs)
        self.tokens.append(("start", tag, *(f"{name}={value}" for name, value in pairs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.tokens.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + data)
        else:
            self.tokens.append(("text", data))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(("comment", data))


def tokens(fragment: str) -> list[tuple[str, ...]]:
    parser = _Tokens()
    parser.feed(fragment)
    parser.close()
    return parser.tokens


def removed(fragment: str, cleaned: str) -> str | None:
    """What the sanitizer took out of ``fragment`` (the first difference, as a short text), or None."""
    before, after = tokens(fragment), tokens(cleaned)
    if before == after:
        return None
    for index, token in enumerate(before):
        if index >= len(after) or after[index] != token:
            kept = after[index] if index < len(after) else ()
            if token[0] == "start" and kept[:2] == token[:2]:
                lost = sorted(set(token[2:]) - set(kept[2:]))
                return f"the attribute {lost[0].split('=', 1)[0]}=\"{lost[0].split('=', 1)[1][:60]}\" on <{token[1]}>" if lost else f"<{token[1]}>"
            if token[0] in ("start", "end"):
                return f"the element <{token[1]}>"
            return f"the text \"{token[-1][:60]}\""
    return "the end of the fragment"
