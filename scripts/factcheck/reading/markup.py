"""What in a Markdown body is prose, and what is code that must be left alone.

Citations, raw HTML and links are looked for only in prose: a ``[@key]`` in a
code span or a fenced block is an example, not a citation (the bug most often
reported against regex-based citation plugins).
"""

from __future__ import annotations

import functools
import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _may_hold_code(text: str) -> bool:
    return "`" in text or "~~~" in text or "\n    " in text or "\n\t" in text or text.startswith(("    ", "\t"))


@functools.lru_cache(maxsize=8)  # the checks of one body (HTML, links, citations) ask for the same mask
def code_mask(text: str) -> str:
    """``text`` with every character inside code replaced by a space (newlines kept).

    Offsets in the result are offsets in ``text``, so a match found in the
    mask can be reported and replaced at the same place in the original.
    """
    if not _may_hold_code(text):  # most analyses hold no code at all
        return text
    chars = list(text)
    _blank_blocks(text, chars)
    _blank_code_spans(text, chars)
    return "".join(chars)


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _blank_blocks(text: str, chars: list[str]) -> None:
    """Fenced code blocks, and indented code blocks that follow a blank line outside a list."""
    offset = 0
    fence: str | None = None
    previous_blank = True
    in_list = False
    indented = False
    for line in text.splitlines(keepends=True):
        end = offset + len(line)
        stripped = line.strip()
        if fence is not None:
            _blank(chars, offset, end)
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                fence = None
        elif match := _FENCE.match(line):
            fence = match.group(1)
            _blank(chars, offset, end)
        elif stripped and (line.startswith("    ") or line.startswith("\t")) and (previous_blank or indented) and not in_list:
            indented = True
            _blank(chars, offset, end)
        else:
            indented = indented and not stripped
            if stripped:
                in_list = bool(_LIST_ITEM.match(line)) or (in_list and not previous_blank) or (
                    in_list and line[:1] in (" ", "\t")
                )
        previous_blank = not stripped
        offset = end


_BACKTICKS = re.compile(r"`+")


def _blank_code_spans(text: str, chars: list[str]) -> None:
    """Inline code: a run of backticks up to the next run of the same length."""
    pos = 0
    while match := _BACKTICKS.search(text, pos):
        if chars[match.start()] == " ":  # inside a block already blanked
            pos = match.end()
            continue
        ticks = match.group()
        closing = re.compile(rf"(?<!`){ticks}(?!`)")
        close = closing.search(text, match.end())
        if close is None:
            pos = match.end()
            continue
        _blank(chars, match.start(), close.end())
        pos = close.end()
