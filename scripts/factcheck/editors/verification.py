"""``add_reference.py --verify``: every entry with a DOI or a PMID compared with what Crossref and PubMed say.

Exactly these are checked, each an error at the entry's file and line:

- ``doi-not-found`` / ``pmid-not-found``: Crossref has no work with the doi (HTTP 404),
  or PubMed's esummary has no record with the pmid.
- ``title-mismatch``: the entry's title is not the service's title (Crossref: also
  title + ": " + subtitle), compared ignoring case, accents, punctuation, spacing,
  LaTeX braces and a leading "RETRACTED:" (Elsevier's mark; the retraction is its own error).
- ``year-mismatch``: the entry's year is none of the years the service gives (Crossref:
  issued, published-print, published-online, published; PubMed: pubdate, epubdate),
  so an article printed in the year after it appeared online passes with either.
- ``retracted``: Crossref's record has an ``updated-by`` of type ``retraction`` (the work
  was retracted) or an ``update-to`` of type ``retraction`` (the doi is the retraction
  notice itself); or PubMed's publication types include "Retracted Publication" or
  "Retraction of Publication". Corrections, errata and expressions of concern are not reported.
- ``identifier-mismatch``: an entry with both identifiers whose pmid belongs, at
  PubMed, to another doi.
- ``bad-response``: the service's answer for this entry could not be read.

An entry whose doi or pmid is malformed is skipped: the checker reports it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model.content import Reference
from ..model.patterns import DOI, PMID
from ..model.problems import Problem
from ..model.registry import (
    BAD_RESPONSE,
    DOI_NOT_FOUND,
    IDENTIFIER_MISMATCH,
    PMID_NOT_FOUND,
    RETRACTED,
    TITLE_MISMATCH,
    YEAR_MISMATCH,
    Rule,
)
from ..reading.latex import plain
from .bibwriter import fold_accents
from .fetching import BadResponse, NotFound
from .identifiers import same_doi
from .metadata import RETRACTED_MARK, Services, Work, crossref_work, pubmed_work


@dataclass(frozen=True)
class Verification:
    """What checking the bibliography against Crossref and PubMed found, and how much was looked up."""

    problems: tuple[Problem, ...]
    entries: int  # entries looked up
    dois: int  # ... of which at Crossref
    pmids: int  # ... and at PubMed

    def summary(self, errors: int) -> str:
        """The last line of the report; ``errors`` also counts problems reading the files."""
        return f"{self.entries} entries verified ({self.dois} DOIs at Crossref, {self.pmids} PMIDs at PubMed): {errors} errors"


def verify(references: Iterable[Reference], services: Services) -> Verification:
    """Look every entry up. ``Unreachable`` is not caught: without the services nothing can be judged."""
    problems: list[Problem] = []
    entries = dois = pmids = 0
    for reference in references:
        doi = reference.doi if DOI.match(reference.doi) else ""
        pmid = reference.pmid if PMID.match(reference.pmid) else ""
        if not (doi or pmid):
            continue
        entries, dois, pmids = entries + 1, dois + bool(doi), pmids + bool(pmid)
        findings = _verify_entry(reference, doi, pmid, services)
        problems += [rule.at(reference.path, reference.line, f"entry '{reference.key}': {message}") for rule, message in findings]
    return Verification(tuple(sorted(problems)), entries, dois, pmids)


def _verify_entry(reference: Reference, doi: str, pmid: str, services: Services) -> list[tuple[Rule, str]]:
    """(rule, message) for everything the services contradict in one entry."""
    findings: list[tuple[Rule, str]] = []
    if doi:
        _compare(reference, "Crossref", DOI_NOT_FOUND, lambda: crossref_work(services, doi), findings)
    if pmid:
        work = _compare(reference, "PubMed", PMID_NOT_FOUND, lambda: pubmed_work(services, pmid), findings)
        if work is not None and doi and work.doi and not same_doi(work.doi, doi):
            findings.append((IDENTIFIER_MISMATCH, f"PubMed gives doi {work.doi} for pmid {pmid}, but the entry's doi is {doi}"))
    return findings


def _compare(
    reference: Reference, service: str, not_found_rule: Rule, fetch: Callable[[], Work], findings: list[tuple[Rule, str]]
) -> Work | None:
    try:
        work = fetch()
    except NotFound as exc:
        findings.append((not_found_rule, str(exc)))
        return None
    except BadResponse as exc:
        findings.append((BAD_RESPONSE, str(exc)))
        return None
    title = plain(reference.get("title"))  # as readers see it, without LaTeX braces and accents
    if title and comparable(title) not in {comparable(t) for t in work.titles}:
        findings.append((TITLE_MISMATCH, f"the title is not {service}'s \"{work.titles[0]}\" (compared ignoring case and punctuation)"))
    year = reference.get("year")
    if year and year not in work.years:
        findings.append((YEAR_MISMATCH, f"year {year}, but {service} gives {' or '.join(work.years)}"))
    findings += [(RETRACTED, f"retracted: {reason}") for reason in work.retractions]
    return work


def comparable(title: str) -> str:
    """What two spellings of one title share: letters and digits, case-folded, without accents or a RETRACTED: mark."""
    text = re.sub(r"\\[A-Za-z]+", "", title)  # LaTeX commands that survive as text (\textbraceleft)
    text = RETRACTED_MARK.sub("", text)
    text = fold_accents(unicodedata.normalize("NFKC", text)).casefold()
    return "".join(char for char in text if char.isalnum())
