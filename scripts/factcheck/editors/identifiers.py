"""What an editor types for a work — a DOI or a PubMed id — read into one normal form.

A DOI is accepted bare (``10.1126/science.1190287``), with ``doi:`` or as a
doi.org link, because editors copy it from wherever they found it. A PubMed id
must say that it is one (``pmid:20724638``): a bare number could be anything.
The patterns are the checker's own, so a DOI accepted here is never a
``bad-doi`` later.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from ..model.patterns import DOI, PMID

DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/", "doi:")
PMID_PREFIX = re.compile(r"^pmid:\s*", re.IGNORECASE)
PUBMED_LINK = re.compile(r"^https?://pubmed\.ncbi\.nlm\.nih\.gov/(\d+)/?$", re.IGNORECASE)


class IdentifierError(ValueError):
    """Text that is neither a DOI nor a PubMed id; the message says what was expected."""


@dataclass(frozen=True)
class Identifier:
    """A DOI or a PubMed id, in its normal form."""

    kind: str  # "doi" or "pmid"
    value: str

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"


def parse(text: str) -> Identifier:
    """``text`` as a DOI or a PubMed id, or an ``IdentifierError`` that says what was expected."""
    value = text.strip()
    pmid = PMID_PREFIX.sub("", value, count=1) if PMID_PREFIX.match(value) else None
    link = PUBMED_LINK.match(value)
    if link:
        pmid = link.group(1)
    if pmid is not None:
        if not PMID.match(pmid):
            raise IdentifierError(f"'{text}' is not a PubMed id: write pmid: and its digits, e.g. pmid:20724638")
        return Identifier("pmid", pmid)
    doi = normalize_doi(value)
    if DOI.match(doi):
        return Identifier("doi", doi)
    if value.isdigit():
        raise IdentifierError(f"'{text}' looks like a PubMed id; write pmid:{value}")
    raise IdentifierError(
        f"'{text}' is neither a DOI (10.NNNN/suffix, doi:10.NNNN/suffix or https://doi.org/10.NNNN/suffix) nor a PubMed id (pmid:NNNN)"
    )


def normalize_doi(text: str) -> str:
    """The bare DOI in ``text``: without doi: or a doi.org link, and with a link's %-escapes decoded."""
    value = text.strip()
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
            if "://" in prefix or prefix == "doi.org/":  # a link: %28 is "(" in the DOI itself
                value = urllib.parse.unquote(value)
            break
    return value.strip()


def same_doi(first: str, second: str) -> bool:
    """DOIs are case-insensitive (DOI Handbook 2.4): 10.1016/S0006… and 10.1016/s0006… are one work."""
    return first.casefold() == second.casefold()
