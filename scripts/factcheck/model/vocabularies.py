"""The controlled vocabularies (verdict, certainty, stance, design, ...), with what each term means to the rules.

They are defined once, in ``vocabularies.yml`` beside this module: the checker, the site, the
generated CSS and the data files' schema all read them from here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

VOCABULARY_FILE = Path(__file__).with_name("vocabularies.yml")
COLOR_KEYS = ("light-bg", "light-fg", "dark-bg", "dark-fg")


@dataclass(frozen=True)
class Term:
    """One allowed value of a vocabulary, with what the site shows for it and what it means to the rules."""

    id: str
    label: str
    definition: str
    rating: int | None = None  # verdicts: higher = more true
    colors: dict[str, str] | None = None  # verdicts: light-bg, light-fg, dark-bg, dark-fg
    rank: int | None = None  # certainty: GRADE order; None for documentary
    wording: tuple[str, ...] = ()  # certainty: words its bottom lines use (one at least)
    default: bool = False  # certainty: what a claim with no supporting or contradicting source may claim
    ceiling: str | None = None  # designs: the highest certainty they support alone
    bears_on_certainty: bool = False  # stances: the source's design caps the claim's certainty
    blocks_support: bool = False  # notices: a supporting source with one needs the claim re-reviewed

    def uses_wording(self, text: str) -> bool:
        """True if ``text`` holds one of this certainty's words, as whole words; always true where there are none."""
        return not self.wording or _words_pattern(self.wording).search(text) is not None


@functools.lru_cache(maxsize=32)
def _words_pattern(wording: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(rf"\b{re.escape(words)}\b" for words in wording), re.IGNORECASE)


@dataclass(frozen=True)
class Vocabulary:
    """The terms of one vocabulary, in the order the site shows them (truest or surest first)."""

    name: str
    terms: tuple[Term, ...]
    _by_id: dict[str, Term] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({term.id: term for term in self.terms})

    def __contains__(self, term_id: object) -> bool:
        return term_id in self._by_id

    def __getitem__(self, term_id: str) -> Term:
        return self._by_id[term_id]

    def get(self, term_id: str) -> Term | None:
        return self._by_id.get(term_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(term.id for term in self.terms)

    def choices(self) -> str:
        """The ids, as a message lists them: 'a, b, c'."""
        return ", ".join(self.ids)


@dataclass(frozen=True)
class Vocabularies:
    """Every vocabulary of the site, as ``vocabularies.yml`` defines them."""

    verdict: Vocabulary
    certainty: Vocabulary
    certainty_upgrade: Vocabulary
    stance: Vocabulary
    design: Vocabulary
    non_claim_reason: Vocabulary
    notice: Vocabulary

    @property
    def best_rating(self) -> int:
        return max(term.rating or 0 for term in self.verdict.terms)

    @property
    def worst_rating(self) -> int:
        return min(term.rating or 0 for term in self.verdict.terms)

    @property
    def top_rank(self) -> int:
        """The rank of the surest graded certainty."""
        return max(term.rank for term in self.certainty.terms if term.rank is not None)

    @property
    def default_certainty(self) -> Term:
        """The certainty a claim may claim with no supporting or contradicting source."""
        return next(term for term in self.certainty.terms if term.default)

    def certainty_rank(self, certainty_id: str) -> int | None:
        term = self.certainty.get(certainty_id)
        return term.rank if term else None

    def certainty_of_rank(self, rank: int) -> Term:
        for term in self.certainty.terms:
            if term.rank == rank:
                return term
        raise KeyError(rank)


def _term(raw: dict[str, Any]) -> Term:
    values = dict(raw)
    if "wording" in values:
        values["wording"] = tuple(values["wording"] or ())
    return Term(**values)


def _vocabulary(name: str, raw: list[dict[str, Any]]) -> Vocabulary:
    return Vocabulary(name, tuple(_term(item) for item in raw))


@functools.cache
def load() -> Vocabularies:
    """The vocabularies, read once per process."""
    # The project's own file, not a contributor's: libyaml's loader, where installed, reads it ten times as fast.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(VOCABULARY_FILE.read_text(encoding="utf-8"), Loader=loader)
    return Vocabularies(**{name: _vocabulary(name, items) for name, items in raw.items()})
