"""The literature watch: new notices on the works the site cites, and new papers for the claims that ask for them.

    python scripts/watch_literature.py [--format text|json|github] [--today YYYY-MM-DD]

For every entry of references/*.bib with a doi or pmid, it asks Crossref and
PubMed for retractions, errata, expressions of concern and withdrawals that the
entry's ``notices`` field does not record, and prints the field to paste. For
every claim with a ``watch:`` PubMed query, it lists the papers published after
the claim's ``reviewed`` date that the claim does not cite. Nothing is written.
``--format github`` writes the body of the "Literature watch" issue that
.github/workflows/watch.yml keeps up to date.

Exit status: 0 when there is nothing new, 1 when there are findings (an entry
or claim that could not be checked is one), 2 when the command line is wrong or
a service cannot be reached.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from factcheck import cli
from factcheck.cli import Parser, UsageError
from factcheck.editors import metadata, options
from factcheck.editors.fetching import Unreachable
from factcheck.editors.watch import FORMATS, PacedFetcher, render, watch
from factcheck.reading import cache
from factcheck.reading.cache import Cache
from factcheck.reading.layout import Layout
from factcheck.reading.loading import load

PROG = "watch_literature.py"
DEFAULT_ROOT = Path(__file__).resolve().parent.parent


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, description="Report notices the bibliography does not record, and new papers for watched claims.")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="project folder holding docs/ and references/ (default: this repository)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="output: text (default, one line per finding), json, or github (Markdown for an issue)")
    parser.add_argument("--today", type=cli.date, default=None, help="the last publication date to search to (YYYY-MM-DD; default: today)")
    options.add(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        options.check(parser, args)
    except UsageError:
        return 2
    layout = Layout.at(args.root)
    if not layout.references_dir.is_dir() or not layout.docs_dir.is_dir():
        print(f"{PROG}: error: {layout.root} has no docs/ and references/ folders; pass --root with the project folder", file=sys.stderr)
        return 2
    services = metadata.Services(PacedFetcher(timeout=args.timeout), args.crossref_url, args.eutils_url)
    loaded = load(layout, Cache(cache.default_directory()))  # files the checker cannot read are its to report
    try:
        report = watch(loaded, services, args.today or datetime.date.today())
    except Unreachable as exc:  # every other request would fail the same way
        print(f"{PROG}: error: {exc}; nothing was reported", file=sys.stderr)
        return 2
    print(render(report, args.format))
    return 1 if report.findings else 0


if __name__ == "__main__":
    sys.exit(main())
