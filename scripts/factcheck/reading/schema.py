"""The front-matter keys of articles and claims, and turning raw YAML values into typed ones.

Each reader collects problems instead of raising, so one bad key never hides
the others: an editor sees every mistake of a file in one run.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping
from typing import Any

from ..model.patterns import CONTROL
from ..model.problems import Problem
from ..model.registry import CONTROL_CHARACTER, MISSING_KEY, TOO_LONG, UNKNOWN_KEY, WRONG_TYPE, Rule
from .frontmatter import Document

CLAIM_REQUIRED = ("quote", "claim", "claim_short", "verdict", "certainty", "certainty_rationale", "bottom_line", "sources", "reviewed")
CLAIM_OPTIONAL = ("prefix", "suffix", "certainty_upgrade", "reviewers", "corrections", "recheck_by", "watch")
SOURCE_REQUIRED = ("key", "stance")
SOURCE_OPTIONAL = ("note",)
CORRECTION_REQUIRED = ("date", "note")
CORRECTION_OPTIONAL = ("previous_verdict", "previous_certainty")

ARTICLE_REQUIRED = ("title", "publisher", "url", "retrieved", "summary")
ARTICLE_OPTIONAL = ("published", "published_note", "non_claims", "key_claims")
NON_CLAIM_REQUIRED = ("quote", "reason")
NON_CLAIM_OPTIONAL = ("prefix", "suffix", "note")

# Google shows at most 75 characters of a ClaimReview's claimReviewed; the summary is read at
# the top of the home page, where more than a paragraph would push the verdicts out of sight.
CLAIM_SHORT_LIMIT = 75
SUMMARY_LIMIT = 700

KeyPath = tuple[str | int, ...]


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Reader:
    """Typed access to a document's front matter that records a problem for every bad value.

    ``choices`` gives, for the keys that take a term of a vocabulary, the terms to list when
    the key is missing.
    """

    def __init__(self, doc: Document, problems: list[Problem], choices: Mapping[str, str] | None = None) -> None:
        self.doc = doc
        self.problems = problems
        self.choices = choices or {}

    def problem(self, key_path: KeyPath, rule: Rule, message: str) -> None:
        self.problems.append(rule.at(self.doc.path, self.doc.line(*key_path), message))

    def check_keys(self, data: Mapping[str, Any], required: tuple[str, ...], optional: tuple[str, ...], where: KeyPath = ()) -> None:
        allowed = required + optional
        label = _where(where)
        for key in data:
            if key not in allowed:
                self.problem((*where, str(key)), UNKNOWN_KEY,
                             f"unknown key '{key}'{label}{did_you_mean(str(key), allowed)}; the keys are: {', '.join(allowed)}")
        for key in required:
            listed = f" (one of: {self.choices[key]})" if key in self.choices else ""
            if key not in data:
                # Where the key would go: after the last key of the mapping (the closing --- at the top).
                line = self.doc.end_line if not where else self.doc.line(*where)
                self.problems.append(MISSING_KEY.at(self.doc.path, line, f"missing required key '{key}'{label}{listed}"))
            elif data[key] is None or data[key] == "":
                # Point at the key itself: a scaffolded claim has every key, some still empty.
                self.problem((*where, key), MISSING_KEY, f"'{key}'{label} is empty{listed}")

    def text(self, data: Mapping[str, Any], key: str, where: KeyPath = (), limit: int | None = None) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem((*where, key), WRONG_TYPE, f"'{key}'{_where(where)} must be text, not {kind_of(value)}")
            return ""
        if not isinstance(value, str):
            self.problem((*where, key), WRONG_TYPE, f"'{key}'{_where(where)} must be text in double quotes, not a number")
            return repr(value)  # the number as written, or near it; repr never fails on a long int
        if limit is not None and len(value) > limit:
            self.problem((*where, key), TOO_LONG, f"'{key}'{_where(where)} is {len(value)} characters; at most {limit} (shorten it)")
        return self._visible(value, (*where, key))

    def _visible(self, value: str, key_path: KeyPath) -> str:
        """``value`` without control or private-use characters, each reported: a feed or a page cannot hold them."""
        found = CONTROL.search(value)
        if found is None:
            return value
        self.problem(key_path, CONTROL_CHARACTER, f"'{key_path[-1]}'{_where(key_path[:-1])} holds the invisible character "
                                                   f"U+{ord(found.group()):04X}; delete it (in YAML it may be written as an escape such as \\x00)")
        return CONTROL.sub("", value)

    def date(self, data: Mapping[str, Any], key: str, where: KeyPath = ()) -> datetime.date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        shown = value if isinstance(value, str) else kind_of(value)
        self.problem((*where, key), WRONG_TYPE, f"'{key}'{_where(where)} must be a date written YYYY-MM-DD, not {shown!r}"[:300])
        return None

    def mappings(self, data: Mapping[str, Any], key: str) -> list[tuple[int, Mapping[str, Any]]]:
        """The items of a list of mappings, with their index; a problem for each item that is not one."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            # "key: x" indented under "sources:" without "- " is the usual way to get a mapping here.
            hint = " (start each item with '- ')" if isinstance(value, dict) else ""
            self.problem((key,), WRONG_TYPE, f"'{key}' must be a list, not {kind_of(value)}{hint}")
            return []
        items: list[tuple[int, Mapping[str, Any]]] = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                items.append((index, item))
            else:
                self.problem((key, index), WRONG_TYPE, f"item {index + 1} of '{key}' must be a mapping of keys to values, not {kind_of(item)}")
        return items

    def texts(self, data: Mapping[str, Any], key: str, what: str = "names") -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem((key,), WRONG_TYPE, f"'{key}' must be a list of {what}, each in double quotes")
            return ()
        return tuple(self._visible(item, (key,)) for item in value)


def _where(where: KeyPath) -> str:
    if len(where) >= 2 and isinstance(where[1], int):
        return f" in item {where[1] + 1} of '{where[0]}'"
    return ""


def kind_of(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    # Python's type names ("a str", "a int") mean nothing to an editor.
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, bytes):
        return "binary data"
    return f"a {type(value).__name__}"
