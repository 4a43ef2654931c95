"""What ``mkdocs serve`` adds for an editor: each page's problems in a banner, and every problem on one page.

Only the MkDocs adapter's serve mode calls this; ``mkdocs build`` never does, so none of it can
reach a published site.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..model.problems import Problem, printable
from ..model.registry import RULES
from .urls import relative_url

if TYPE_CHECKING:
    from .build import Build

PROBLEMS_URL = "factcheck-problems/"


def _sources(build: Build, src_uri: str) -> set[str]:
    """The files whose problems show on this page: its own file (and, for a claim, its article)."""
    paths = {build.layout.display(build.layout.docs_dir / src_uri)}
    claim = build.claim(src_uri)
    if claim is not None:
        paths.add(claim.path)
    return paths


def _item(problem: Problem) -> str:
    rule = RULES.get(problem.rule)
    fix = f" <em>Fix:</em> {html.escape(rule.fix)}" if rule else ""
    where = html.escape(printable(f"{problem.path}:{problem.line}:{problem.col}"))
    return (f'<li class="fc-problems__{problem.level_name}"><code>{where}</code> <strong>{problem.level_name}</strong>: '
            f"{html.escape(printable(problem.message))} <code>[{html.escape(problem.rule)}]</code>{fix}</li>")


def banner(build: Build, src_uri: str, problems_by_path: dict[str, list[Problem]], page_url: str) -> str:
    """The banner at the top of a page under ``mkdocs serve``: its problems, and a link to all of them."""
    total = sum(len(found) for found in problems_by_path.values())
    if not total:
        return ""
    own = [problem for path in sorted(_sources(build, src_uri)) for problem in problems_by_path.get(path, [])]
    link = f'<a href="{html.escape(relative_url(PROBLEMS_URL, page_url))}">All {total} problems of the site</a>'
    if not own:
        return f'<div class="fc-problems fc-problems--elsewhere" role="status"><p>The checker found problems in other files. {link}.</p></div>\n'
    items = "\n".join(_item(problem) for problem in own)
    return (f'<div class="fc-problems" role="alert"><p><strong>The checker found {len(own)} problem{"s" if len(own) != 1 else ""} '
            f"in this page's files</strong> (shown only by <code>mkdocs serve</code>; <code>make check</code> lists them too). {link}.</p>"
            f"<ul>{items}</ul></div>\n")


def problems_page(build: Build, problems_by_path: dict[str, list[Problem]]) -> str:
    """The Markdown of the page that lists every problem, by file."""
    lines = ["---", 'title: "Problems found by the checker"', "---", "", "# Problems found by the checker", ""]
    if not problems_by_path:
        lines.append("None: the checker found nothing to fix.")
    else:
        lines.append("Shown only by `mkdocs serve`. Fix each at the file and line given; `make check` prints the same list.")
        lines.append("")
        lines.append('<div class="fc-problems"><ul>')
        lines += [_item(problem) for path in sorted(problems_by_path) for problem in problems_by_path[path]]
        lines.append("</ul></div>")
    return "\n".join(lines) + "\n"
