"""Problems: what the checker reports and the build logs, as plain values."""

from __future__ import annotations

import enum

from ..model.records import record


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


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
        return f"{self.path}:{self.line}:{self.col}: {self.level_name}: {self.message} [{self.rule}]"


def error(path: str, line: int, rule: str, message: str, col: int = 1) -> Problem:
    return Problem(path, max(line, 1), max(col, 1), Level.ERROR.value, rule, message)


def warning(path: str, line: int, rule: str, message: str, col: int = 1) -> Problem:
    return Problem(path, max(line, 1), max(col, 1), Level.WARNING.value, rule, message)


class FactcheckError(Exception):
    """An input the tools cannot go on with; carries the problem that says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem
