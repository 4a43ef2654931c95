"""What a pull request means to a reader: claims, verdicts, sources and references changed since a base commit.

    python scripts/pr_summary.py --base REF [--format markdown|json] [--output FILE] [--root DIR]

REF is the commit to compare with (in CI, the pull request's base commit). The site's
content at REF is read out of git and compared with the working tree; the checker's
result on the working tree closes the summary. CI writes the Markdown to the job's
summary page and uploads it as the ``pr-summary`` artifact.

Exit status: 0 when the summary was written (whatever it says), 2 when the command line
is wrong, git cannot give REF, or the output cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from factcheck import cli
from factcheck.cli import Parser, UsageError
from factcheck.editors.changes import FORMATS, ChangeError, render, summarize
from factcheck.reading import cache
from factcheck.reading.cache import Cache
from factcheck.site import parallel

PROG = "pr_summary.py"
DEFAULT_ROOT = Path(__file__).resolve().parent.parent


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, description="Summarize, in readers' terms, what the working tree changes since a base commit.")
    parser.add_argument("--base", metavar="REF", required=True, help="the commit to compare with, e.g. the pull request's base commit")
    parser.add_argument("--format", choices=FORMATS, default="markdown", help="markdown (default; GitHub-flavoured) or json")
    parser.add_argument("--output", metavar="FILE", type=Path, default=None, help="write the summary to FILE instead of standard output")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="project folder holding docs/ and references/ (default: this repository)")
    parser.add_argument("--today", type=cli.date, default=None, help="date the checker judges review age against (YYYY-MM-DD)")
    parser.add_argument("--no-cache", action="store_true", help="parse every file again")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except UsageError:
        return 2
    root: Path = args.root
    if not (root / "docs").is_dir():
        print(f"{PROG}: error: {root} has no docs/ folder; pass --root with the project folder", file=sys.stderr)
        return 2
    store = Cache(None if args.no_cache else cache.default_directory())
    try:
        summary = summarize(root, args.base, today=args.today, cache=store, map_files=parallel.map_chunks)
    except ChangeError as exc:
        print(f"{PROG}: error: --base {args.base}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the temporary folder for the base could not be written
        print(f"{PROG}: error: cannot write the base's files: {exc.strerror or exc}", file=sys.stderr)
        return 2
    text = render(summary, args.format)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"{PROG}: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
