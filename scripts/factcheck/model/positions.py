"""Offsets in a text as the lines and columns an editor sees: the one place they are counted.

Lines end only at a newline (YAML also ends them at U+0085, U+2028 and U+2029, which text copied
from web pages holds, so a YAML parser's own line numbers drift from the file's). Columns count
characters from 1.
"""

from __future__ import annotations

import bisect


def line_col(text: str, offset: int, first_line: int = 1) -> tuple[int, int]:
    """1-based line (counting from ``first_line``) and column of ``offset`` in ``text``."""
    line = first_line + text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


class Positions:
    """Line and column of many offsets in one text, each in O(log n) after one pass over the text.

    Counting each offset from the start of the text made a long body with many citations
    quadratic; an index of line starts keeps it linear in the text plus the offsets asked.
    """

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.first_line = first_line
        self._starts = [0]
        find = text.find
        start = find("\n")
        while start != -1:
            self._starts.append(start + 1)
            start = find("\n", start + 1)

    def __call__(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, offset) - 1
        return self.first_line + index, offset - self._starts[index] + 1

    def line(self, offset: int) -> int:
        return self(offset)[0]
