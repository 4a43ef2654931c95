"""The checker: proves that every claim of every article is sourced, graded and located.

    python scripts/check_claims.py [--root DIR] [--format text|github|json] [--strict] [--changed-only REF]
    python scripts/check_claims.py --explain RULE

Exit status: 0 when there are no errors (warnings alone are fine unless
--strict), 1 when there are errors, 2 when the command line is wrong.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from factcheck import cli
from factcheck.checking.engine import Report, check
from factcheck.checking.history import HistoryError, changed_paths, uncorrected_verdict_changes
from factcheck.checking.output import FORMATS, render
from factcheck.cli import Parser, UsageError
from factcheck.model.registry import RULES
from factcheck.reading import cache
from factcheck.reading.cache import Cache
from factcheck.reading.layout import Layout
from factcheck.site import parallel

DEFAULT_ROOT = Path(__file__).resolve().parent.parent


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="check_claims.py", description="Check the fact-check site's claims and references.")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="project folder holding docs/ and references/ (default: this repository)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output: text (default), github (Actions annotations) or json")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too (make check, the build and CI all do)")
    parser.add_argument("--changed-only", metavar="GIT_REF", default=None,
                        help="report only problems in files changed since GIT_REF (the whole site is still checked), "
                             "and warn about verdicts changed without a corrections entry")
    parser.add_argument("--no-cache", action="store_true", help=f"parse every file again (the cache is in ${cache.ENV} or ~/.cache/kap-factcheck)")
    parser.add_argument("--today", type=cli.date, default=None, help="date to judge review age against (YYYY-MM-DD)")
    parser.add_argument("--explain", metavar="RULE", default=None, help="say what a rule means and how to fix it, with an example")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except UsageError:
        return 2
    if args.explain is not None:
        return _explain(args.explain)
    root: Path = args.root
    if not (root / "docs").is_dir():
        print(f"check_claims.py: error: {root} has no docs/ folder; pass --root with the project folder", file=sys.stderr)
        return 2
    store = Cache(None if args.no_cache else cache.default_directory())
    report = check(Layout.at(root), today=args.today, cache=store, map_files=parallel.map_chunks)
    if args.changed_only:
        try:
            report = _only_changed(report, root, args.changed_only)
        except HistoryError as exc:
            print(f"check_claims.py: error: --changed-only {args.changed_only}: {exc}", file=sys.stderr)
            return 2
    print(render(report, args.format))
    if report.errors or (args.strict and report.warnings):
        return 1
    return 0


def _explain(rule_id: str) -> int:
    rule = RULES.get(rule_id)
    if rule is None:
        from factcheck.reading.schema import did_you_mean

        print(f"check_claims.py: error: no rule '{rule_id}'{did_you_mean(rule_id, list(RULES))}; the rules are: {', '.join(RULES)}", file=sys.stderr)
        return 2
    print(rule.explain())
    return 0


def _only_changed(report: Report, root: Path, ref: str) -> Report:
    changed = changed_paths(root, ref)
    kept = [problem for problem in report.problems if problem.path in changed]
    kept += uncorrected_verdict_changes(root, ref, list(report.project.claims), changed)
    return dataclasses.replace(report, problems=tuple(sorted(kept)))


if __name__ == "__main__":
    sys.exit(main())
