"""Problems: what the checker reports and the build logs, as plain values.

Every problem belongs to a rule declared in ``registry``; code makes one with ``RULE.at(...)``.
"""

from __future__ import annotations

import enum
import re

from .records import record

# Characters that would let a file name or a message forge a line of output: line breaks,
# other control characters, and the Unicode line and paragraph separators.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class Level(enum.Enum):
    """How serious a problem is: an error fails every check; a warning fails the strict ones (all of ours)."""

    ERROR = "error"
    WARNING = "warning"


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``), so it stays one line."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


@record(order=True)
class Problem:
    """One finding at one place in one file.

    Sorting orders problems by file, line and column, which is the order an
    editor fixes them in.
    """

    path: str
    line: int
    col: int
    level_name: str
    rule: str
    message: str

    @property
    def level(self) -> Level:
        return Level(self.level_name)

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def format(self) -> str:
        """``path:line:col: level: message [rule]``, always on one line whatever the path or message holds."""
        return f"{printable(self.path)}:{self.line}:{self.col}: {self.level_name}: {printable(self.message)} [{self.rule}]"


class FactcheckError(Exception):
    """An input the tools cannot go on with; carries the problem that says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem
