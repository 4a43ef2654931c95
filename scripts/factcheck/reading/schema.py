"""The front-matter keys of articles and claims, and turning raw YAML values into typed ones.

Each reader collects problems instead of raising, so one bad key never hides
the others: an editor sees every mistake of a file in one run.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Mapping
from typing import Any

from ..model.problems import Problem, error
from ..reading.frontmatter import Document

CLAIM_REQUIRED = ("quote", "claim", "verdict", "certainty", "certainty_rationale", "bottom_line", "sources", "reviewed")
CLAIM_OPTIONAL = ("prefix", "suffix", "certainty_upgrade", "reviewers", "corrections")
SOURCE_KEYS = ("key", "stance", "note")
CORRECTION_KEYS = ("date", "note")

ARTICLE_REQUIRED = ("title", "publisher", "url", "retrieved")
ARTICLE_OPTIONAL = ("published", "published_note", "non_claims")
NON_CLAIM_REQUIRED = ("quote", "reason")
NON_CLAIM_OPTIONAL = ("prefix", "suffix", "note")


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Reader:
    """Typed access to a document's front matter that records a problem for every bad value."""

    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems

    def problem(self, key_path: tuple[str | int, ...], rule: str, message: str) -> None:
        self.problems.append(error(self.doc.path, self.doc.line(*key_path), rule, message))

    def check_keys(
        self, data: Mapping[str, Any], required: tuple[str, ...], optional: tuple[str, ...], where: tuple[str | int, ...] = ()
    ) -> None:
        allowed = required + optional
        label = _where(where)
        for key in data:
            if key not in allowed:
                self.problem((*where, str(key)), "unknown-key", f"unknown key '{key}'{label}{did_you_mean(str(key), allowed)}")
        for key in required:
            if key not in data:
                self.problem(where, "missing-key", f"missing required key '{key}'{label}")
            elif data[key] is None or data[key] == "":
                # Point at the key itself: a scaffolded claim has every key, some still empty.
                self.problem((*where, key), "missing-key", f"'{key}'{label} is empty")

    def text(self, data: Mapping[str, Any], key: str, where: tuple[str | int, ...] = ()) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem((*where, key), "wrong-type", f"'{key}'{_where(where)} must be text, not {kind_of(value)}")
            return ""
        if not isinstance(value, str):
            self.problem((*where, key), "wrong-type", f"'{key}'{_where(where)} must be text in quotes, not a number")
            return str(value)
        return value

    def date(self, data: Mapping[str, Any], key: str, where: tuple[str | int, ...] = ()) -> datetime.date | None:
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
        self.problem((*where, key), "wrong-type", f"'{key}'{_where(where)} must be a date written YYYY-MM-DD, not {value!r}")
        return None

    def mappings(self, data: Mapping[str, Any], key: str) -> list[tuple[int, Mapping[str, Any]]]:
        """The items of a list of mappings, with their index; a problem for each item that is not one."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            # "key: x" indented under "sources:" without "- " is the usual way to get a mapping here.
            hint = " (start each item with '- ')" if isinstance(value, dict) else ""
            self.problem((key,), "wrong-type", f"'{key}' must be a list, not {kind_of(value)}{hint}")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                items.append((index, item))
            else:
                self.problem((key, index), "wrong-type", f"item {index + 1} of '{key}' must be a mapping of keys to values, not {kind_of(item)}")
        return items

    def texts(self, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem((key,), "wrong-type", f"'{key}' must be a list of names")
            return ()
        return tuple(value)


def _where(where: tuple[str | int, ...]) -> str:
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
