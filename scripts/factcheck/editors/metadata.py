"""A work's metadata from Crossref and PubMed, read into one plain record.

Crossref (``/works/{doi}``) is the registry behind DOIs: it has the publisher's
title and full author names. PubMed's E-utilities give the PMID (``esearch``
with ``{doi}[doi]``) and, for a PMID, a summary (``esummary``) whose author
names are initials only. Both answers are read defensively: anything but the
documented shape is a ``BadResponse`` with a message, never a KeyError.

Formats: https://api.crossref.org/swagger-ui/index.html (Work) and
https://www.ncbi.nlm.nih.gov/books/NBK25499/ (ESearch, ESummary; JSON with retmode=json).
"""

from __future__ import annotations

import dataclasses
import html
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from .fetching import BadResponse, Fetcher, NotFound
from .identifiers import Identifier

CROSSREF_URL = "https://api.crossref.org"
EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DOI_SAFE = "/:;()._-"  # kept readable in a URL path, as the site's own doi.org links do

# Crossref's work types, as BibTeX entry types; anything else is @misc.
ENTRY_TYPES = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book-chapter": "incollection",
    "book": "book",
    "edited-book": "book",
    "monograph": "book",
    "reference-book": "book",
}
# Crossref's date fields, most authoritative first: "issued" is the earliest of print and online.
CROSSREF_DATES = ("issued", "published-print", "published-online", "published")
RETRACTION = "retraction"  # the Crossref update type; corrections and errata are not retractions
UPDATE_RELATIONS = ("updated-by", "update-to")  # a work's notices, and a notice's works
PUBMED_RETRACTED = "Retracted Publication"  # PubMed's publication type of a retracted article
PUBMED_NOTICE = "Retraction of Publication"  # ... and of the notice that retracts one
INITIALS = re.compile(r"^[A-Z]{1,4}$")
MONTHS = {name: number for number, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
# PubMed's dates: "2010 Aug 20", "2010 Aug", "2010 Aug-Sep", "2010 Spring", "2010".
PUBMED_DATE = re.compile(r"^(\d{4})(?:\s+([A-Za-z]{3})[a-z]*(?:\s+(\d{1,2})(?!\d))?)?")
# Elsevier prefixes a retracted article's title with this; it is a mark, not part of the title.
RETRACTED_MARK = re.compile(r"^\s*retracted\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Author:
    """An author as a registry gives it: a person's family and given names, or an organisation."""

    family: str  # or an organisation's whole name
    given: str = ""  # given names or initials
    organisation: bool = False


@dataclass(frozen=True)
class Update:
    """One of Crossref's links between a work and a notice about it (a retraction, correction, expression of concern, ...).

    ``updated-by`` on a work lists the notices that update it; ``update-to`` on a notice
    lists the works it updates. ``doi`` is the other end of the link.
    """

    relation: str  # "updated-by" or "update-to"
    type: str  # Crossref's update type, lower case: retraction, correction, erratum, expression_of_concern, ...
    doi: str = ""  # the notice (updated-by) or the updated work (update-to); empty when Crossref gives none
    date: tuple[int, ...] = ()  # "updated" as (year, month, day), or fewer parts when Crossref gives fewer
    source: str = ""  # who reported it: "publisher", "retraction-watch", ...
    label: str = ""  # Crossref's own wording: "Retraction", "Correction", ...


@dataclass(frozen=True)
class Link:
    """One of PubMed's comments-and-corrections links of a record: "Retraction in", "Erratum in", "Comment on", ..."""

    type: str  # as PubMed spells it
    pmid: str  # the record at the other end; empty when PubMed gives none
    source: str = ""  # PubMed's citation of it: "Lancet. 2010 Feb 6;375(9713):445"


@dataclass(frozen=True)
class Work:
    """What a service says about one work: enough to write an entry and to check one."""

    entry_type: str  # BibTeX: article, inproceedings, incollection, book or misc
    title: str
    year: str
    authors: tuple[Author, ...] = ()
    container: str = ""  # journal, proceedings or book title
    publisher: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    titles: tuple[str, ...] = ()  # every spelling of the title the record gives (with and without subtitle)
    years: tuple[str, ...] = ()  # every publication year the record gives (print, online, ...)
    retractions: tuple[str, ...] = ()  # why the service says the work is retracted or is a retraction notice
    sources: tuple[str, ...] = ()  # the API URLs this record was read from
    updates: tuple[Update, ...] = ()  # Crossref: the notices of this work, or the works this notice updates
    types: tuple[str, ...] = ()  # PubMed: the publication types ("Journal Article", "Retracted Publication", ...)
    links: tuple[Link, ...] = ()  # PubMed: comments and corrections, when the summary carries them
    date: tuple[int, ...] = ()  # PubMed: the publication date as (year, month, day), or fewer parts


@dataclass(frozen=True)
class Services:
    """Where Crossref and the E-utilities are, and how to ask them."""

    fetcher: Fetcher
    crossref_url: str = CROSSREF_URL
    eutils_url: str = EUTILS_URL

    def crossref(self, doi: str) -> str:
        return f"{self.crossref_url.rstrip('/')}/works/{urllib.parse.quote(doi, safe=DOI_SAFE)}"

    def esummary(self, pmid: str) -> str:
        return f"{self.eutils_url.rstrip('/')}/esummary.fcgi?db=pubmed&id={pmid}&retmode=json"

    def esearch(self, doi: str) -> str:
        term = urllib.parse.quote(f"{doi}[doi]", safe=DOI_SAFE + "[]")
        return f"{self.eutils_url.rstrip('/')}/esearch.fcgi?db=pubmed&term={term}&retmode=json"


def lookup(services: Services, identifier: Identifier) -> Work:
    """The work behind a DOI (Crossref, then its PMID from PubMed) or a PMID (PubMed, with its DOI)."""
    if identifier.kind == "pmid":
        return pubmed_work(services, identifier.value)
    work = crossref_work(services, identifier.value)
    url = services.esearch(work.doi)
    found = services.fetcher.get_json(url, f"there is no esearch at {services.eutils_url}; check --eutils-url")
    ids = pmids_from_esearch(found, work.doi)
    pmid = ids[0] if len(ids) == 1 else ""  # several records for one DOI: leave the choice to the editor
    return dataclasses.replace(work, pmid=pmid, sources=(*work.sources, url))


def crossref_work(services: Services, doi: str) -> Work:
    url = services.crossref(doi)
    return work_from_crossref(services.fetcher.get_json(url, f"Crossref has no work with doi {doi}"), doi, url)


def pubmed_work(services: Services, pmid: str) -> Work:
    url = services.esummary(pmid)
    return work_from_esummary(services.fetcher.get_json(url, f"PubMed has no record {pmid}"), pmid, url)


# --- Crossref ----------------------------------------------------------------------------------


def work_from_crossref(data: object, doi: str, url: str) -> Work:
    what = f"Crossref's record for doi {doi}"
    message = _mapping(_mapping(data, what).get("message"), f"{what} ('message')")
    titles = _texts(message.get("title"))
    if not titles:
        raise BadResponse(f"{what} has no title ({url})")
    subtitles = _texts(message.get("subtitle"))
    years = tuple(dict.fromkeys(year for name in CROSSREF_DATES if (year := _crossref_year(message.get(name)))))
    if not years:
        raise BadResponse(f"{what} has no publication year ({url})")
    authors = tuple(author for item in _list(message.get("author")) if (author := _crossref_author(item)) is not None)
    containers = _texts(message.get("container-title"))
    updates = crossref_updates(message)
    return Work(
        entry_type=ENTRY_TYPES.get(_text(message.get("type")), "misc"),
        title=titles[0],
        year=years[0],
        authors=authors,
        container=containers[0] if containers else "",
        publisher=_text(message.get("publisher")),
        volume=_text(message.get("volume")),
        number=_text(message.get("issue")),
        pages=_text(message.get("page")) or _text(message.get("article-number")),
        doi=_text(message.get("DOI")) or doi,
        titles=tuple(dict.fromkeys([*titles, *(f"{titles[0]}: {sub}" for sub in subtitles)])),
        years=years,
        retractions=_crossref_retractions(updates),
        sources=(url,),
        updates=updates,
    )


def _crossref_year(value: object) -> str:
    """The year of a Crossref date, ``{"date-parts": [[2010, 8, 20]]}``; empty when absent or null."""
    if not isinstance(value, Mapping):
        return ""
    parts = _list(value.get("date-parts"))
    first = _list(parts[0]) if parts else []
    year = first[0] if first else None
    return f"{year:04d}" if isinstance(year, int) and not isinstance(year, bool) and 0 < year < 10000 else ""


def _crossref_author(item: object) -> Author | None:
    if not isinstance(item, Mapping):
        return None
    family, name = _clean(_text(item.get("family"))), _clean(_text(item.get("name")))
    if family:
        return Author(family, _clean(_text(item.get("given"))))
    if name:  # a consortium or an organisation
        return Author(name, organisation=True)
    return None


def crossref_updates(message: Mapping[str, object]) -> tuple[Update, ...]:
    """Crossref's two ways of linking a work and a notice about it, ``updated-by`` first.

    ``updated-by`` on the work lists the notices that update it (from the publisher, or
    since 2023 from Retraction Watch); ``update-to`` on a notice lists the works it
    updates. Items that are not objects, or have no type, are skipped.
    """
    found = []
    for relation in UPDATE_RELATIONS:
        for item in _list(message.get(relation)):
            if not isinstance(item, Mapping) or not (kind := _text(item.get("type")).lower()):
                continue
            found.append(Update(relation, kind, _text(item.get("DOI")), crossref_date(item.get("updated")),
                                _text(item.get("source")), _text(item.get("label"))))
    return tuple(found)


def crossref_date(value: object) -> tuple[int, ...]:
    """A Crossref date, ``{"date-parts": [[2010, 2, 6]]}``, as (2010, 2, 6); as many parts as are valid, () for none."""
    if not isinstance(value, Mapping):
        return ()
    parts = _list(value.get("date-parts"))
    first = _list(parts[0]) if parts else []
    valid: list[int] = []
    for part, (low, high) in zip(first, ((1, 9999), (1, 12), (1, 31)), strict=False):
        if not isinstance(part, int) or isinstance(part, bool) or not low <= part <= high:
            break
        valid.append(part)
    return tuple(valid)


def _crossref_retractions(updates: tuple[Update, ...]) -> tuple[str, ...]:
    """Why Crossref says the work is retracted, or is itself a retraction notice (a doi with an ``update-to``)."""
    found = []
    for update in updates:
        if update.type != RETRACTION:
            continue
        if update.relation == "updated-by":
            year = f"{update.date[0]:04d}" if update.date else ""
            details = ", ".join(part for part in (year, f"reported by {update.source}" if update.source else "") if part)
            notice = update.doi or "a notice without a DOI"
            found.append(f"Crossref lists a retraction of this work, {notice}" + (f" ({details})" if details else ""))
        else:
            found.append(f"the doi is Crossref's record of a retraction notice, which retracts {update.doi or 'another work'}")
    return tuple(found)


# --- PubMed ------------------------------------------------------------------------------------


def pmids_from_esearch(data: object, doi: str) -> tuple[str, ...]:
    what = f"PubMed's search for doi {doi}"
    result = _mapping(_mapping(data, what).get("esearchresult"), f"{what} ('esearchresult')")
    if "ERROR" in result:
        raise BadResponse(f"{what} failed: {_text(result['ERROR'])}")
    ids = result.get("idlist")
    if not isinstance(ids, list) or not all(isinstance(i, str) and i.isdigit() for i in ids):
        raise BadResponse(f"{what} has no list of ids ('idlist')")
    return tuple(ids)


def work_from_esummary(data: object, pmid: str, url: str) -> Work:
    what = f"PubMed's summary of {pmid}"
    result = _mapping(_mapping(data, what).get("result"), f"{what} ('result')")
    if pmid not in result:
        raise BadResponse(f"{what} does not mention it ({url})")
    record = _mapping(result[pmid], what)
    if "error" in record:  # how esummary says that it has no such PMID
        raise NotFound(f"PubMed has no record {pmid}: {_text(record['error'])} ({url})")
    # PubMed ends every title with a period, and encloses a translated one in brackets.
    title = _clean(_text(record.get("title"))).removesuffix(".")
    if title.startswith("[") and title.endswith("]"):
        title = title[1:-1]
    if not title:
        raise BadResponse(f"{what} has no title ({url})")
    years = tuple(dict.fromkeys(m.group() for name in ("pubdate", "epubdate") if (m := re.search(r"\d{4}", _text(record.get(name))))))
    if not years:
        raise BadResponse(f"{what} has no publication year ({url})")
    types = _texts(record.get("pubtype"))
    retractions = []
    if PUBMED_RETRACTED in types:
        retractions.append(f'PubMed marks it a "{PUBMED_RETRACTED}"')
    if PUBMED_NOTICE in types:
        retractions.append(f'PubMed marks it a retraction notice ("{PUBMED_NOTICE}"), not the paper itself')
    return Work(
        entry_type="article",
        title=title,
        year=years[0],
        authors=tuple(author for item in _list(record.get("authors")) if (author := _pubmed_author(item)) is not None),
        container=_clean(_text(record.get("fulljournalname")) or _text(record.get("source"))),
        volume=_text(record.get("volume")),
        number=_text(record.get("issue")),
        pages=_text(record.get("pages")),
        doi=_article_id(record, "doi"),
        pmid=pmid,
        titles=(title,),
        years=years,
        retractions=tuple(retractions),
        sources=(url,),
        types=tuple(types),
        links=_pubmed_links(record),
        date=max((_pubmed_date(_text(record.get(name))) for name in ("pubdate", "epubdate")), key=len),
    )


def _pubmed_links(record: Mapping[str, object]) -> tuple[Link, ...]:
    """PubMed's comments and corrections, which esummary's JSON gives as ``references``.

    Each is ``{"refsource": "Lancet. 2010 Feb 6;375(9713):445", "reftype": "Retraction in",
    "pmid": "20137807", "note": ""}``. Many summaries carry none, and older ones lack the
    field; then the publication types are all PubMed says about notices.
    """
    links = []
    for item in _list(record.get("references")):
        if isinstance(item, Mapping) and (kind := _clean(_text(item.get("reftype")))):
            pmid = _text(item.get("pmid"))
            links.append(Link(kind, pmid if pmid.isdigit() else "", _clean(_text(item.get("refsource")))))
    return tuple(links)


def _pubmed_date(text: str) -> tuple[int, ...]:
    """"2010 Aug 20" as (2010, 8, 20), "2010 Aug-Sep" as (2010, 8), "2010 Spring" as (2010,); () without a year."""
    match = PUBMED_DATE.match(text.strip())
    if not match:
        return ()
    year, month, day = match.groups()
    parts = [int(year)]
    if month and month.lower() in MONTHS:
        parts.append(MONTHS[month.lower()])
        if day and 1 <= int(day) <= 31:
            parts.append(int(day))
    return tuple(parts)


def _pubmed_author(item: object) -> Author | None:
    """``{"name": "Moda-Sava RN", "authtype": "Author"}`` as Moda-Sava, R. N.; a group is an organisation."""
    if not isinstance(item, Mapping):
        return None
    name, kind = _clean(_text(item.get("name"))), _text(item.get("authtype"))
    if not name:
        return None
    if kind == "CollectiveName":
        return Author(name, organisation=True)
    if kind != "Author":
        return None
    family, _, initials = name.rpartition(" ")
    if family and INITIALS.match(initials):
        return Author(family, " ".join(f"{letter}." for letter in initials))
    return Author(name)


def _article_id(record: Mapping[str, object], kind: str) -> str:
    for item in _list(record.get("articleids")):
        if isinstance(item, Mapping) and item.get("idtype") == kind:
            return _text(item.get("value"))
    return ""


# --- reading JSON safely -----------------------------------------------------------------------


def _mapping(value: object, what: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise BadResponse(f"{what} is not in the documented format (expected a JSON object)")
    return value


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    return str(value).strip() if isinstance(value, str | int | float) else ""


def _texts(value: object) -> list[str]:
    return [text for item in _list(value) if (text := _clean(_text(item)))]


def _clean(text: str) -> str:
    """Plain text from a title as registries send it: JATS/HTML tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", text)).split())
