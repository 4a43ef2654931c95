"""Build the site with any of its engines: the fact-check is made by our package, the engine publishes it.

    python scripts/build.py [--engine mkdocs|properdocs|zensical] [--site-dir site] [--no-strict]

mkdocs and properdocs run our hooks (scripts/hooks.py); zensical runs none, so the build is
staged first (factcheck.site.staging) and the engine builds the staged folder. On every engine
the checker's problems stop a strict build (the default), with the same messages.
Exit status: 0 built, 1 problems or a failed engine, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from factcheck.cli import Parser, UsageError
from factcheck.reading import cache
from factcheck.reading.cache import Cache
from factcheck.reading.layout import Layout
from factcheck.site import parallel, staging
from factcheck.site.build import Build
from factcheck.site.render import Settings

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("mkdocs", "properdocs", "zensical")
LOCAL_SITE_URL = "http://127.0.0.1:8000/"


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="build.py", description="Build the site with MkDocs, ProperDocs or Zensical.")
    parser.add_argument("--engine", choices=ENGINES, default="mkdocs", help="the engine that publishes the pages (default: mkdocs)")
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder holding mkdocs.yml (default: this repository)")
    parser.add_argument("--site-dir", type=Path, default=None, help="where the site is written (default: site/ in the project)")
    parser.add_argument("--no-strict", action="store_true", help="build even with problems (as mkdocs serve does)")
    parser.add_argument("--engine-command", default=None,
                        help="the engine's command (default: $FACTCHECK_ENGINE_COMMAND, else .venv-<engine>/bin/<engine>, else <engine> on PATH)")
    return parser


def _command(engine: str, root: Path, given: str | None) -> str:
    chosen = given or os.environ.get("FACTCHECK_ENGINE_COMMAND")
    if chosen:
        return str(Path(chosen).resolve()) if os.sep in chosen else chosen
    for candidate in (root / f".venv-{engine}" / "bin" / engine, root / ".venv" / "bin" / engine):
        if candidate.exists():
            return str(candidate)
    return shutil.which(engine) or engine


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except UsageError:
        return 2
    root: Path = args.root.resolve()
    site_dir = (args.site_dir or root / "site").resolve()
    os.environ.setdefault("FACTCHECK_SITE_URL", LOCAL_SITE_URL)
    command = _command(args.engine, root, args.engine_command)
    strict = not args.no_strict
    try:
        if args.engine != "zensical":
            staging.run([command, "build", *(["--strict"] if strict else []), "-f", str(root / "mkdocs.yml"), "-d", str(site_dir)], root)
            print(f"built {site_dir} with {args.engine}")
            return 0
        config = staging.read_config(root / "mkdocs.yml")
        settings = Settings(str(config.get("site_name") or ""), str(config.get("site_url") or ""),
                            str((config.get("extra") or {}).get("fc_repo_url") or ""))
        build = Build(Layout.at(root), settings, Cache(cache.default_directory()), map_files=parallel.map_chunks)
        problems = build.problems(strict)
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        if strict and problems:
            print(f"build.py: {len(problems)} problem(s): nothing was built (--no-strict builds all the same)", file=sys.stderr)
            return 1
        folder = root / ".build" / "zensical"
        config_file = staging.stage(build, config, folder)
        staging.run([command, "build", "--clean", "-f", str(config_file)], folder)
        staging.finish(folder, site_dir)
        build.cache.save()
    except (staging.StagingError, OSError) as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 1
    print(f"built {site_dir} with {args.engine}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
