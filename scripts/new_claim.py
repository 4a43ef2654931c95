"""Start a new claim: python scripts/new_claim.py <article-slug> "<exact quote>" [--prefix ...] [--suffix ...]

Checks that the quote is in the article (suggesting the closest passage if not)
and not already claimed, derives an id, writes
docs/articles/<slug>/claims/<id>.md from a template that explains every field,
and prints the next steps. Exit status: 0 written, 1 refused, 2 usage error.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from factcheck.checking.engine import check
from factcheck.cli import Parser, UsageError
from factcheck.editors.scaffold import ScaffoldError, claim_id, locate_new_quote, render, write_new
from factcheck.model import vocabularies
from factcheck.model.content import TextQuote
from factcheck.model.patterns import is_id
from factcheck.reading.layout import CLAIMS_DIR, Layout

DEFAULT_ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="new_claim.py", description="Start a new claim file from a quote of an article.")
    parser.add_argument("article", help="the article's folder name under docs/articles/")
    parser.add_argument("quote", help="the article's exact words, in quotes")
    parser.add_argument("--prefix", default="", help="words just before the quote, if it occurs more than once")
    parser.add_argument("--suffix", default="", help="words just after the quote, if it occurs more than once")
    parser.add_argument("--id", default=None, help="the claim's id (default: from the quote's words)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="project folder (default: this repository)")
    try:
        args = parser.parse_args(argv)
    except UsageError:
        return 2
    layout = Layout.at(args.root)
    report = check(layout)
    article = report.project.articles.get(args.article)
    if article is None:
        known = ", ".join(sorted(report.project.articles)) or "none"
        print(f"new_claim.py: error: no article '{args.article}' in {layout.docs_dir / 'articles'} (articles: {known})", file=sys.stderr)
        return 2
    quote = TextQuote(args.quote, args.prefix, args.suffix)
    try:
        located = locate_new_quote(article, quote, list(report.project.claims), report.spans)
    except ScaffoldError as exc:
        print(f"new_claim.py: {exc}", file=sys.stderr)
        return 1
    taken = {claim.id for claim in report.project.claims}
    new_id = args.id or claim_id(args.quote, taken)
    if not is_id(new_id):
        print(f"new_claim.py: error: --id '{new_id[:100]}' is not an id: lower-case letters, digits and hyphens, at most 80", file=sys.stderr)
        return 2
    if new_id in taken:
        print(f"new_claim.py: the id '{new_id}' is already used; choose another with --id", file=sys.stderr)
        return 1
    vocab = vocabularies.load()
    text = render(located.quote, datetime.date.today().isoformat(), ", ".join(vocab.verdict.ids), ", ".join(vocab.certainty.ids),
                  ", ".join(vocab.stance.ids))
    folder = layout.articles_dir / article.slug / CLAIMS_DIR
    path = folder / f"{new_id}.md"
    # The claims folder must be a folder of the project, not a link that leads out of it.
    if folder.is_symlink() or not folder.resolve().is_relative_to(layout.root.resolve()):
        print(f"new_claim.py: error: {layout.display(folder)} is a link or lies outside the project; nothing was written", file=sys.stderr)
        return 1
    try:
        write_new(path, text)
    except FileExistsError:
        print(f"new_claim.py: {layout.display(path)} already exists; choose another id with --id", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"new_claim.py: error: cannot write {layout.display(path)}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    display = layout.display(path)
    print(f"Wrote {display} (line {article.line_of(located.span.start)} of the article).")
    print("Next steps:")
    print(f"  1. Fill in every empty field of {display}; docs/contributing.md explains each.")
    print("  2. Add the references you cite to references/*.bib (.venv/bin/python scripts/add_reference.py DOI helps).")
    print("  3. Run `make check` until it reports no problems, then `make serve` to read the page.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
