"""Pandoc citations in Markdown: ``[@key]``, ``[@a; @b]``, ``[see @key, p. 12]``, ``[-@key]``.

Follows pandoc's rules where they matter to editors: a group is a bracketed
list of items separated by semicolons, each with an optional prefix, an
``@key`` and an optional locator after a comma; ``@`` must not follow a letter
or digit, so e-mail addresses are never citations; brackets that are link
text (followed by ``(`` or ``[``) are links, not citations.
"""

from __future__ import annotations

import re

from ..model.content import Citation, CitationGroup
from ..model.patterns import CITATION_KEY as KEY
from ..model.positions import Positions
from .markup import code_mask

# The text before the first @ may not hold an @ itself: written "[^\[\]\n]*@", the pattern
# backtracked over every @ of an unclosed "[@a @a @a …", and a 1 MB body took hours.
_GROUP = re.compile(r"(?<!\\)\[([^\[\]\n@]*@[^\[\]]*)\](?![(\[:])")
_ITEM = re.compile(rf"^(?P<prefix>(?:.*[^\w-])?)(?P<suppress>-?)@(?P<key>{KEY})(?P<rest>.*)$", re.DOTALL)
_BARE = re.compile(rf"(?<![\w@\[-])@(?P<key>{KEY})")


def parse_item(item: str) -> tuple[str, bool, str, str] | None:
    """(prefix, suppress_author, key, locator) of one group item, or None if it is not a citation."""
    found = _match_item(item)
    if found is None:
        return None
    match = found[0]
    rest = match.group("rest")
    locator = rest[1:].strip() if rest.startswith(",") else rest.strip()
    return match.group("prefix").strip(), bool(match.group("suppress")), match.group("key"), locator


def _match_item(item: str) -> tuple[re.Match[str], int] | None:
    """The item's match, and where in ``item`` the matched (stripped) text starts."""
    stripped = item.strip()
    match = _ITEM.match(stripped)
    if not match:
        return None
    rest = match.group("rest")
    if rest and not rest.startswith(",") and (rest[0].isalnum() or rest[0] in "_@"):
        return None
    return match, item.index(stripped) if stripped else 0


def find_groups(body: str, first_line: int = 1) -> tuple[CitationGroup, ...]:
    """Every citation group in ``body`` outside code, in order."""
    mask = code_mask(body)
    positions = Positions(body, first_line)
    groups: list[CitationGroup] = []
    for match in _GROUP.finditer(mask):
        inner_start = match.start(1)
        items: list[Citation] = []
        offset = inner_start
        for raw in match.group(1).split(";"):
            found = _match_item(raw)
            if found is None:
                items = []
                break
            item, lead = found
            # The @ of this very item: searching the body for "@key" could land on an earlier one.
            line, col = positions(offset + lead + item.start("key") - 1)
            rest = item.group("rest")
            locator = rest[1:].strip() if rest.startswith(",") else rest.strip()
            items.append(Citation(item.group("key"), item.group("prefix").strip(), locator, bool(item.group("suppress")), line, col))
            offset += len(raw) + 1
        if items:
            groups.append(CitationGroup(match.start(), match.end(), tuple(items)))
    return tuple(groups)


def find_bare_keys(
    body: str, first_line: int = 1, groups: tuple[CitationGroup, ...] | None = None
) -> list[tuple[str, int, int]]:
    """``@key`` written outside brackets: (key, line, col). Pandoc would cite it; this site does not.

    ``groups`` are the body's citation groups, if the caller has found them already.
    """
    code = code_mask(body)
    if "@" not in code:
        return []
    if groups is None:
        groups = find_groups(body, first_line)
    if code.count("@") == sum(code.count("@", group.start, group.end) for group in groups):
        return []  # every @ is inside a citation group
    pieces, position = [], 0
    for group in groups:  # blanked in one pass: slicing per group was quadratic
        pieces += [code[position : group.start], " " * (group.end - group.start)]
        position = group.end
    mask = "".join([*pieces, code[position:]])
    positions = Positions(body, first_line)
    found = []
    for match in _BARE.finditer(mask):
        line, col = positions(match.start())
        found.append((match.group("key"), line, col))
    return found


def format_group(group: CitationGroup) -> str:
    """The Markdown of a group, rebuilt from its parts (used to test round trips)."""
    items = []
    for c in group.citations:
        text = f"{c.prefix} " if c.prefix else ""
        text += f"{'-' if c.suppress_author else ''}@{c.key}"
        if c.locator:
            text += f", {c.locator}"
        items.append(text)
    return "[" + "; ".join(items) + "]"
