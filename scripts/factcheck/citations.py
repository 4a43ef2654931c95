"""Pandoc citations in Markdown: ``[@key]``, ``[@a; @b]``, ``[see @key, p. 12]``, ``[-@key]``.

Follows pandoc's rules where they matter to editors: a group is a bracketed
list of items separated by semicolons, each with an optional prefix, an
``@key`` and an optional locator after a comma; ``@`` must not follow a letter
or digit, so e-mail addresses are never citations; brackets that are link
text (followed by ``(`` or ``[``) are links, not citations.
"""

from __future__ import annotations

import re

from .markup import code_mask, line_col
from .model import Citation, CitationGroup

# Pandoc: a key starts with a letter, digit or _, and may hold internal punctuation.
KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&+?<>~/-](?=[A-Za-z0-9_]))*"
_GROUP = re.compile(r"(?<!\\)\[([^\[\]\n]*@[^\[\]]*?)\](?![(\[:])")
_ITEM = re.compile(rf"^(?P<prefix>(?:.*[^\w-])?)(?P<suppress>-?)@(?P<key>{KEY})(?P<rest>.*)$", re.DOTALL)
_BARE = re.compile(rf"(?<![\w@\[-])@(?P<key>{KEY})")


def parse_item(item: str) -> tuple[str, bool, str, str] | None:
    """(prefix, suppress_author, key, locator) of one group item, or None if it is not a citation."""
    match = _ITEM.match(item.strip())
    if not match:
        return None
    prefix = match.group("prefix").strip()
    rest = match.group("rest")
    if rest and not rest.startswith(",") and (rest[0].isalnum() or rest[0] in "_@"):
        return None
    locator = rest[1:].strip() if rest.startswith(",") else rest.strip()
    return prefix, bool(match.group("suppress")), match.group("key"), locator


def find_groups(body: str, first_line: int = 1) -> tuple[CitationGroup, ...]:
    """Every citation group in ``body`` outside code, in order."""
    mask = code_mask(body)
    groups: list[CitationGroup] = []
    for match in _GROUP.finditer(mask):
        inner_start = match.start(1)
        items: list[Citation] = []
        offset = inner_start
        for raw in match.group(1).split(";"):
            parsed = parse_item(raw)
            if parsed is None:
                items = []
                break
            prefix, suppress, key, locator = parsed
            key_offset = body.index("@" + key, offset)
            line, col = line_col(body, key_offset, first_line)
            items.append(Citation(key, prefix, locator, suppress, line, col))
            offset += len(raw) + 1
        if items:
            groups.append(CitationGroup(match.start(), match.end(), tuple(items)))
    return tuple(groups)


def find_bare_keys(body: str, first_line: int = 1) -> list[tuple[str, int, int]]:
    """``@key`` written outside brackets: (key, line, col). Pandoc would cite it; this site does not."""
    mask = code_mask(body)
    for group in find_groups(body, first_line):
        mask = mask[: group.start] + " " * (group.end - group.start) + mask[group.end:]
    found = []
    for match in _BARE.finditer(mask):
        line, col = line_col(body, match.start(), first_line)
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
