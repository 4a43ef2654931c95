"""Turning a Reference into the parts a reader sees: author list, citation label, links.

Formatting is done once per reference per build and is plain data; the HTML
comes from templates, which escape every part.
"""

from __future__ import annotations

import urllib.parse

from ..model.content import Reference
from ..model.patterns import DOI, PMID, is_safe_url
from ..model.records import record
from ..reading.latex import people, plain

MAX_AUTHORS = 6  # Vancouver style: list six, then "et al."


@record()
class Link:
    """A link of a formatted reference: its label (DOI, PubMed, ...) and address."""

    label: str
    href: str


@record()
class FormattedReference:
    """A reference as the pages show it: the in-text label, the parts of its entry, and its links."""

    key: str
    label: str  # "Li et al., 2010": the in-text citation
    authors: str  # "Li N, Lee B, Liu RJ, et al."
    year: str
    title: str
    container: str  # journal, publisher or organisation
    details: str  # "329(5994):959–964"
    design: str
    links: tuple[Link, ...]


def format_reference(reference: Reference) -> FormattedReference:
    fields = {name: plain(value) for name, value in reference.fields.items() if name not in ("author", "editor")}
    authors, others = people(reference.get("author") or reference.get("editor"))
    title = fields.get("title", "").rstrip(".") or "[title missing]"
    year = fields.get("year", "") or "n.d."
    organisation = fields.get("organization") or fields.get("institution") or ""
    container = fields.get("journal") or fields.get("booktitle") or fields.get("publisher") or organisation
    return FormattedReference(
        key=reference.key,
        label=f"{_label_names(authors, others, organisation)}, {year}",
        authors=_author_list(authors, others, organisation),
        year=year,
        title=title,
        container=container,
        details=_details(fields),
        design=reference.design,
        links=_links(reference),
    )


Names = tuple[tuple[str, str], ...]


def _label_names(authors: Names, others: bool, organisation: str) -> str:
    names = [family for family, _ in authors]
    if not names:
        return organisation or "[author missing]"
    if len(names) == 1 and not others:
        return names[0]
    if len(names) == 2 and not others:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


def _author_list(authors: Names, others: bool, organisation: str) -> str:
    names = [f"{family} {initials}".strip() for family, initials in authors]
    if not names:
        return organisation
    if len(names) > MAX_AUTHORS or others:
        return ", ".join(names[:MAX_AUTHORS]) + ", et al."
    return ", ".join(names)


def _details(fields: dict[str, str]) -> str:
    volume, number, pages = fields.get("volume", ""), fields.get("number", ""), fields.get("pages", "").replace("--", "–")
    text = volume
    if number:
        text += f"({number})"
    if pages:
        text += f":{pages}" if text else f"pp. {pages}"
    return text


def _links(reference: Reference) -> tuple[Link, ...]:
    links = []
    if reference.doi and DOI.match(reference.doi):
        links.append(Link(f"doi:{reference.doi}", "https://doi.org/" + urllib.parse.quote(reference.doi, safe="/:;()._-")))
    if reference.pmid and PMID.match(reference.pmid):
        links.append(Link(f"PubMed {reference.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"))
    if reference.url and is_safe_url(reference.url):
        links.append(Link("Link", reference.url))
    return tuple(links)
