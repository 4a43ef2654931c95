"""Rules for what a claim's Markdown body may contain: harmless HTML, safe links, local images.

Claim bodies come from pull requests by strangers and are rendered into the
pages readers trust, so anything that could run script or make a reader's
browser call a third party is refused before the site is built.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from ..reading.markup import code_mask, line_col

# Inline formatting that cannot run script; attributes are refused except title on <abbr>.
ALLOWED_TAGS = frozenset(
    {"abbr", "b", "br", "cite", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "small", "strong", "sub", "sup", "u"}
)
ALLOWED_SCHEMES = ("http", "https")

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_TAG_OPEN = re.compile(r"<[/!?]?[A-Za-z!-]")
_ABBR_TITLE = re.compile(r"""^\s*title\s*=\s*("[^"<>]*"|'[^'<>]*')\s*$""")
# A destination may hold balanced parentheses, as in CommonMark: [x](https://e.org/a_(b)).
_INLINE_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?((?:[^()\s<>]|\([^()\s<>]*\))*)")
_REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def _tag_starts(mask: str) -> Iterator[tuple[int, re.Match[str] | None]]:
    """Every ``<`` that opens something HTML would read as a tag, with the tag when it is well-formed.

    A tag whose attributes hold another ``<`` (``<iframe srcdoc="<script>…">``) is not
    well-formed to a simple pattern, yet browsers parse it: such a ``<`` is refused too.
    """
    for opening in _TAG_OPEN.finditer(mask):
        yield opening.start(), _TAG.match(mask, opening.start())


def _allowed(tag: re.Match[str] | None) -> bool:
    if tag is None:
        return False
    closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3).strip().rstrip("/").strip()
    return name in ALLOWED_TAGS and bool(closing or not attributes or (name == "abbr" and _ABBR_TITLE.match(attributes)))


def unsafe_html(body: str, first_line: int) -> Iterator[tuple[int, int, str]]:
    """(line, col, message) for each HTML tag that is not on the allow-list."""
    mask = code_mask(body)
    if "<" not in mask:
        return
    for start, tag in _tag_starts(mask):
        if _allowed(tag):
            continue
        line, col = line_col(body, start, first_line)
        name = tag.group(2).lower() if tag else body[start + 1 :].split(maxsplit=1)[0].strip("/>!")[:20]
        if tag and name in ALLOWED_TAGS:
            yield line, col, f"attributes are not allowed on <{name}> (only title on <abbr>)"
        else:
            allowed = ", ".join(sorted(ALLOWED_TAGS))
            yield line, col, f"raw HTML <{name}> is not allowed in a claim; use Markdown (allowed tags: {allowed})"


def unsafe_links(body: str, first_line: int) -> Iterator[tuple[int, int, str]]:
    """(line, col, message) for links that are not http(s) and images that are not local files."""
    mask = code_mask(body)
    # Each pattern needs a "](", a "]:" or a "<" to match at all: most analyses have none, and
    # looking for those is far quicker than running the patterns.
    if "](" in mask:
        for match in _INLINE_LINK.finditer(mask):
            is_image = bool(match.group(1))
            yield from _check(body, match.start(2), match.group(2), first_line, is_image)
    if "]:" in mask:
        for match in _REFERENCE_DEF.finditer(mask):
            yield from _check(body, match.start(1), match.group(1), first_line, False)
    if "<" in mask:
        for match in _AUTOLINK.finditer(mask):
            yield from _check(body, match.start(1), match.group(1), first_line, False)


def _check(body: str, offset: int, destination: str, first_line: int, is_image: bool) -> Iterator[tuple[int, int, str]]:
    # Browsers decode entities and drop control characters and spaces before reading a scheme,
    # so "jav&#x61;script:" and "java\tscript:" are javascript: too.
    target = _INVISIBLE.sub("", html.unescape(destination))
    line, col = line_col(body, offset, first_line)
    scheme = _SCHEME.match(target)
    if is_image and (scheme or target.startswith("//")):
        yield line, col, f"image '{destination}' is not a file of this site: readers' browsers must not call other hosts"
    elif scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
        yield line, col, f"link '{destination}' uses '{scheme.group(1)}:'; only http: and https: links are allowed"


def is_safe_url(url: str) -> bool:
    """True for an absolute http(s) URL: the only kind a reference or article may link to."""
    target = _INVISIBLE.sub("", html.unescape(url))
    scheme = _SCHEME.match(target)
    return bool(scheme) and scheme.group(1).lower() in ALLOWED_SCHEMES and target.find("//") == len(scheme.group(0))


def neutralize(body: str) -> str:
    """``body`` with every refused tag escaped and every refused link disarmed, for the build.

    The checker reports these as errors and a strict build fails on them, but a
    non-strict build (``mkdocs serve`` while editing) still renders the page; it
    must not run a contributor's script in the editor's browser either.
    """
    mask = code_mask(body)
    if "<" not in mask and "](" not in mask and "]:" not in mask:
        return body  # no tag and no link: nothing any pattern below could match
    edits: list[tuple[int, int, str]] = []
    for start, tag in _tag_starts(mask):
        if not _allowed(tag):
            edits.append((start, start + 1, "&lt;"))
    for pattern, group in ((_INLINE_LINK, 2), (_REFERENCE_DEF, 1), (_AUTOLINK, 1)):
        for match in pattern.finditer(mask):
            is_image = pattern is _INLINE_LINK and bool(match.group(1))
            if any(True for _ in _check(body, match.start(group), match.group(group), 1, is_image)):
                edits.append((match.start(group), match.end(group), "#refused-link"))
    for start, end, replacement in sorted(edits, reverse=True):
        body = body[:start] + replacement + body[end:]
    return body
