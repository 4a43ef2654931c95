"""The controlled vocabularies (verdict, certainty, stance, design, ...).

They are defined once, in ``vocabularies.yml`` beside this module.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

VOCABULARY_FILE = Path(__file__).with_name("vocabularies.yml")


@dataclass(frozen=True)
class Term:
    """One allowed value of a vocabulary, with what the site shows for it."""

    id: str
    label: str
    definition: str
    rating: int | None = None  # verdicts: higher = more true
    rank: int | None = None  # certainty: GRADE order; None for documentary
    ceiling: str | None = None  # designs: the highest certainty they support alone


@dataclass(frozen=True)
class Vocabulary:
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


@dataclass(frozen=True)
class Vocabularies:
    verdict: Vocabulary
    certainty: Vocabulary
    certainty_upgrade: Vocabulary
    stance: Vocabulary
    design: Vocabulary
    non_claim_reason: Vocabulary

    @property
    def best_rating(self) -> int:
        return max(term.rating or 0 for term in self.verdict.terms)

    @property
    def worst_rating(self) -> int:
        return min(term.rating or 0 for term in self.verdict.terms)

    def certainty_rank(self, certainty_id: str) -> int | None:
        term = self.certainty.get(certainty_id)
        return term.rank if term else None

    def certainty_of_rank(self, rank: int) -> Term:
        for term in self.certainty.terms:
            if term.rank == rank:
                return term
        raise KeyError(rank)


def _vocabulary(name: str, raw: list[dict[str, Any]]) -> Vocabulary:
    return Vocabulary(name, tuple(Term(**item) for item in raw))


@functools.cache
def load() -> Vocabularies:
    raw = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return Vocabularies(**{name: _vocabulary(name, items) for name, items in raw.items()})
