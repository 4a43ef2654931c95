"""Rules on the bibliography: each entry's fields and identifiers, its notices, duplicates, and entries no claim cites."""

from __future__ import annotations

import re
from collections import defaultdict

from ...model.content import Reference
from ...model.patterns import DOI, PMID, REFERENCE_KEY, is_safe_url
from ...model.problems import Problem
from ...model.registry import (
    BAD_DOI,
    BAD_KEY,
    BAD_NOTICE,
    BAD_PMID,
    BAD_URL,
    DUPLICATE_KEY,
    MISSING_FIELD,
    UNCITED_REFERENCE,
    UNKNOWN_TERM,
    Rule,
)
from ...model.vocabularies import Vocabularies
from ...reading.bibliography import parse_notices
from ...reading.schema import did_you_mean
from .context import Context

AUTHOR_FIELDS = ("author", "editor", "organization", "institution")
IDENTIFIER_FIELDS = ("doi", "pmid", "url")


def check(context: Context) -> list[Problem]:
    problems = duplicates(context)
    for reference in context.project.references.values():
        problems += entry(reference, context.vocab)
    problems += uncited(context)
    return problems


def duplicates(context: Context) -> list[Problem]:
    """Keys defined twice (BibTeX keys are case-insensitive), with both places."""
    places: dict[str, list[Reference]] = defaultdict(list)
    for bib in context.loaded.bib_files:
        for reference in bib.references:
            places[reference.key.lower()].append(reference)
    problems = []
    for entries in places.values():
        if len(entries) < 2:
            continue
        first = entries[0]
        for other in entries[1:]:
            problems.append(DUPLICATE_KEY.at(other.path, other.line, f"reference key '{other.key}' is already defined at {first.path}:{first.line}"))
        others = ", ".join(f"{e.path}:{e.line}" for e in entries[1:])
        problems.append(DUPLICATE_KEY.at(first.path, first.line, f"reference key '{first.key}' is defined again at {others}"))
    return problems


def entry(reference: Reference, vocab: Vocabularies) -> list[Problem]:
    """The rules on one entry's fields."""
    path, line, key = reference.path, reference.line, reference.key
    problems = []

    def fail(rule: Rule, message: str) -> None:
        problems.append(rule.at(path, line, f"entry '{key}': {message}"))

    if not REFERENCE_KEY.match(key):
        fail(BAD_KEY, "a key may hold only letters, digits and _ : . + - (and must not end in punctuation)")
    if not reference.get("title"):
        fail(MISSING_FIELD, "missing field 'title'")
    year = reference.get("year")
    # "n.d." (no date) is the librarians' mark for an undated web document; a paper always has a year.
    undated_document = year == "n.d." and reference.url and not (reference.doi or reference.pmid)
    if not year:
        fail(MISSING_FIELD, "missing field 'year' (four digits, or n.d. for an undated web document)")
    elif not (re.fullmatch(r"\d{4}", year) or undated_document):
        fail(MISSING_FIELD, f"year '{year}' is not four digits (n.d. is only for an undated document with a url and no doi or pmid)")
    if not any(reference.get(name) for name in AUTHOR_FIELDS):
        fail(MISSING_FIELD, "missing field 'author' (or 'organization' for a document by an institution)")
    if not any(reference.get(name) for name in IDENTIFIER_FIELDS):
        fail(MISSING_FIELD, "needs a 'doi' or a 'pmid' (or a 'url' for a document that has neither)")
    if reference.doi and not DOI.match(reference.doi):
        fail(BAD_DOI, f"'{reference.doi}' is not a DOI (10.NNNN/suffix, without https://doi.org/)")
    if reference.pmid and not PMID.match(reference.pmid):
        fail(BAD_PMID, f"'{reference.pmid}' is not a PubMed id (digits only)")
    if reference.url and not is_safe_url(reference.url):
        fail(BAD_URL, f"'{reference.url}' is not an http: or https: URL")
    design = reference.design
    if not design:
        fail(MISSING_FIELD, f"missing field 'design' (one of: {vocab.design.choices()})")
    elif design not in vocab.design:
        fail(UNKNOWN_TERM, f"unknown design '{design}'{did_you_mean(design, vocab.design.ids)}; one of: {vocab.design.choices()}")
    if reference.get("notices"):
        notices, bad = parse_notices(reference.get("notices"))
        for part in bad:
            fail(BAD_NOTICE, f"the notice '{part[:80]}' is not 'type DOI YYYY-MM-DD' (type one of: {vocab.notice.choices()})")
        for notice in notices:
            if notice.kind not in vocab.notice:
                fail(UNKNOWN_TERM, f"unknown notice type '{notice.kind}'{did_you_mean(notice.kind, vocab.notice.ids)}; one of: {vocab.notice.choices()}")
    return problems


def uncited(context: Context) -> list[Problem]:
    cited = {key for claim in context.project.claims for key in claim.cited_keys}
    return [
        UNCITED_REFERENCE.at(r.path, r.line, f"reference '{r.key}' is cited by no claim; cite it or remove the entry")
        for r in context.project.references.values()
        if r.key not in cited
    ]
