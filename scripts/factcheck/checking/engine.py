"""The checker's engine: load a site, run every family of rules over it, and report. The site build calls it too.

Each family of rules lives in a module of ``rules/`` and is a function of a ``Context`` that
returns problems; the engine runs them in a fixed order, so the checker and the build always
report the same problems, sorted the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model.content import Project, Span
from ..model.problems import Problem
from ..model.vocabularies import Vocabularies
from ..model.vocabularies import load as vocabularies
from ..reading.cache import Cache
from ..reading.layout import Layout
from ..reading.loading import Loaded, MapFiles, in_this_process, load
from .rules import analysis, articles, claims, quotes, references
from .rules.context import Context


@dataclass(frozen=True)
class Report:
    """The outcome of checking a site: what was loaded, where claims sit, and every problem.

    ``spans`` places each claim in its article; ``non_claim_spans`` the article's non-claims;
    ``coverage`` is the share of each article's text that claims and non-claims account for.
    """

    project: Project
    problems: tuple[Problem, ...]
    spans: dict[str, Span] = field(default_factory=dict)  # claim id -> span in its article
    non_claim_spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)  # article slug -> spans
    coverage: dict[str, float] = field(default_factory=dict)  # article slug -> share of text covered
    claim_files: int = 0  # claim files found, whether or not they could be read
    files_read: int = 0
    files_refused: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def total_coverage(self) -> float:
        texts = {slug: len(a.text) for slug, a in self.project.articles.items()}
        total = sum(texts.values())
        if not total:
            return 1.0
        return sum(self.coverage.get(slug, 0.0) * size for slug, size in texts.items()) / total


# The families of rules, in the order they run. Each takes the context and returns its problems.
FAMILIES: tuple[Callable[[Context], list[Problem]], ...] = (
    references.check,
    claims.check,
    analysis.check,
    articles.check,
)


def check(layout: Layout, today: datetime.date | None = None, cache: Cache | None = None,
          map_files: MapFiles = in_this_process) -> Report:
    """Load the site at ``layout`` (reusing ``cache``; parsing with ``map_files``) and apply every rule."""
    return check_loaded(load(layout, cache, map_files), today, cache)


def check_loaded(loaded: Loaded, today: datetime.date | None = None, cache: Cache | None = None,
                 vocab: Vocabularies | None = None) -> Report:
    """Apply every rule to a site already loaded: the problems of reading it, then each family's, then the quotes'."""
    context = Context(loaded, vocab or vocabularies(), today or datetime.date.today(), cache or Cache(None))
    problems = list(loaded.problems)
    for family in FAMILIES:
        problems += family(context)
    placed = quotes.place_all(context)
    problems += placed.problems
    return Report(
        loaded.project, tuple(sorted(set(problems))), placed.spans, placed.non_claim_spans, placed.coverage,
        loaded.claim_files, loaded.files_read, loaded.files_refused,
    )
