"""``corrections.xml``: every correction and verdict change as an Atom feed (RFC 4287), newest first."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ...model.patterns import CONTROL

if TYPE_CHECKING:
    from ..render import Settings
    from ..view import Site

FILE = "corrections.xml"
ATOM = "http://www.w3.org/2005/Atom"


def _time(date: datetime.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def corrections_feed(site: Site, settings: Settings) -> str:
    ET.register_namespace("", ATOM)
    entries = site.corrections()
    feed = ET.Element(f"{{{ATOM}}}feed")
    page = settings.absolute(site.urls.get("corrections.md", ""))
    ET.SubElement(feed, f"{{{ATOM}}}id").text = settings.absolute(FILE)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{settings.site_name}: corrections"
    ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = "Every correction and verdict change, newest first."
    updated = max((entry.correction.date for entry in entries), default=datetime.date(2000, 1, 1))
    if site.project.claims:
        updated = max([updated, *(claim.reviewed for claim in site.project.claims if claim.reviewed)])
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _time(updated)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=settings.absolute(FILE), type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=page, type="text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = settings.site_name
    for index, entry in enumerate(entries):
        claim, correction = entry.claim, entry.correction
        url = settings.absolute(site.urls.get(claim.src_uri, ""))
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(item, f"{{{ATOM}}}id").text = f"{url}#correction-{correction.date.isoformat()}-{len(entries) - index}"
        ET.SubElement(item, f"{{{ATOM}}}title").text = f"Claim {site.number[claim.id]} corrected: {claim.claim_short or claim.claim}"
        ET.SubElement(item, f"{{{ATOM}}}updated").text = _time(correction.date)
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=url + "#corrections", type="text/html")
        change = []
        if correction.previous_verdict:
            change.append(f"Verdict changed from {_label(site, 'verdict', correction.previous_verdict)} to {_label(site, 'verdict', claim.verdict)}.")
        if correction.previous_certainty:
            change.append(f"Certainty changed from {_label(site, 'certainty', correction.previous_certainty)} to "
                          f"{_label(site, 'certainty', claim.certainty)}.")
        ET.SubElement(item, f"{{{ATOM}}}summary", type="text").text = " ".join([*change, correction.note])
    for element in feed.iter():  # the checker reports such characters; whatever slips by, XML cannot hold
        if element.text:
            element.text = CONTROL.sub("", element.text)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _label(site: Site, vocabulary: str, term_id: str) -> str:
    term = getattr(site.vocab, vocabulary).get(term_id)
    return term.label if term else term_id
