"""What the command-line tools share: an argument parser that reports usage errors without exiting.

Each tool's ``main(argv)`` returns its exit status (2 for a usage error), so tests
call it directly and ``sys.exit`` happens only under ``__main__``.
"""

from __future__ import annotations

import argparse
import datetime
import sys


class UsageError(Exception):
    """The command line was wrong; the parser has already printed why."""


class Parser(argparse.ArgumentParser):
    """The commands' argument parser: a wrong command line is one line of usage and one of error, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise UsageError


def date(text: str) -> datetime.date:
    """A date option (``--today``): YYYY-MM-DD, refused in the editor's words otherwise."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None
