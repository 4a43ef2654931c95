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

from ..checking.rules import DOI, PMID
from ..editors.bibwriter import fold_accents
from ..editors.fetching import BadResponse, NotFound
from ..editors.identifiers import same_doi
from ..editors.metadata import RETRACTED_MARK, Services, Work, crossref_work, pubmed_work
from ..model.content import Reference
from ..model.problems import Problem, error
from ..reading.latex import plain


@dataclass(frozen=True)
class Verification:
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
        problems += [error(reference.path, reference.line, rule, f"entry '{reference.key}': {message}") for rule, message in findings]
    return Verification(tuple(sorted(problems)), entries, dois, pmids)


def _verify_entry(reference: Reference, doi: str, pmid: str, services: Services) -> list[tuple[str, str]]:
    """(rule, message) for everything the services contradict in one entry."""
    findings: list[tuple[str, str]] = []
    if doi:
        _compare(reference, "Crossref", "doi-not-found", lambda: crossref_work(services, doi), findings)
    if pmid:
        work = _compare(reference, "PubMed", "pmid-not-found", lambda: pubmed_work(services, pmid), findings)
        if work is not None and doi and work.doi and not same_doi(work.doi, doi):
            findings.append(("identifier-mismatch", f"PubMed gives doi {work.doi} for pmid {pmid}, but the entry's doi is {doi}"))
    return findings


def _compare(
    reference: Reference, service: str, not_found_rule: str, fetch: Callable[[], Work], findings: list[tuple[str, str]]
) -> Work | None:
    try:
        work = fetch()
    except NotFound as exc:
        findings.append((not_found_rule, str(exc)))
        return None
    except BadResponse as exc:
        findings.append(("bad-response", str(exc)))
        return None
    title = plain(reference.get("title"))  # as readers see it, without LaTeX braces and accents
    if title and comparable(title) not in {comparable(t) for t in work.titles}:
        findings.append(("title-mismatch", f"the title is not {service}'s \"{work.titles[0]}\" (compared ignoring case and punctuation)"))
    year = reference.get("year")
    if year and year not in work.years:
        findings.append(("year-mismatch", f"year {year}, but {service} gives {' or '.join(work.years)}"))
    findings += [("retracted", f"retracted: {reason}") for reason in work.retractions]
    return work


def comparable(title: str) -> str:
    """What two spellings of one title share: letters and digits, case-folded, without accents or a RETRACTED: mark."""
    text = re.sub(r"\\[A-Za-z]+", "", title)  # LaTeX commands that survive as text (\textbraceleft)
    text = RETRACTED_MARK.sub("", text)
    text = fold_accents(unicodedata.normalize("NFKC", text)).casefold()
    return "".join(char for char in text if char.isalnum())
