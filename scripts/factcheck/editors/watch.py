"""The literature watch: what has happened, since the editors last looked, to the works the site cites and to its claims' questions.

Two questions, asked of the services ``add_reference.py`` uses:

- **Notices.** For every entry of ``references/*.bib`` with a doi or a pmid: the retractions,
  errata, expressions of concern and withdrawals Crossref knows of (``updated-by``, which
  also carries the Retraction Watch data) and PubMed knows of (the publication type
  "Retracted Publication", and the comments-and-corrections links of its summary), minus
  those the entry's ``notices`` field already records. A notice counts as recorded when
  the field has its DOI (whatever type the editor gave it: that is their judgement), or,
  for a notice without a DOI, a notice of its type.
- **New papers.** For every claim with a ``watch`` query: the papers PubMed lists as
  published after the claim's ``reviewed`` date, minus those the claim cites.

Nothing is written: what a finding means is the editors' call (record the notice, re-review
the claim). A service that cannot be reached stops the watch (``Unreachable``); an answer
that cannot be read, or a record the service does not have, is a finding of its own, at
the entry or claim it concerns.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..checking.output import plural
from ..model import vocabularies
from ..model.content import Claim, Notice, Reference
from ..model.patterns import DOI, PMID
from ..model.problems import printable
from ..reading.bibliography import parse_notices
from ..reading.loading import Loaded
from .fetching import BadResponse, Fetcher, NotFound
from .identifiers import same_doi
from .metadata import Services, Work, crossref_work, pubmed_work, work_from_esummary

FORMATS = ("text", "json", "github")
# NCBI asks for at most three requests a second without an API key; Crossref's public pool
# is more generous, and one pace for both keeps the watch simple and polite.
PACE = 0.34  # seconds between the start of one request and the next
RETMAX = 100  # papers listed per watched claim; the rest are counted, with the search to see them
ISSUE_LIMIT = 60_000  # characters: GitHub refuses an issue body over 65,536

# Crossref's update types (lower case, with underscores), as the ids of the notice vocabulary.
# A partial retraction is reported but has no id: the editor records it as a retraction or an
# erratum, as its text warrants. Other types (addendum, clarification, new_version) are not notices.
CROSSREF_NOTICES = {
    "retraction": "retraction",
    "withdrawal": "withdrawal",
    "removal": "withdrawal",  # Elsevier's "removed article": gone from the record, like a withdrawal
    "expression_of_concern": "expression-of-concern",
    "correction": "erratum",
    "erratum": "erratum",
    "corrigendum": "erratum",
    "partial_retraction": "",
}
# PubMed's comments-and-corrections links from a paper to a notice about it (lower case).
PUBMED_NOTICES = {
    "retraction in": "retraction",
    "retracted and republished in": "retraction",
    "expression of concern in": "expression-of-concern",
    "erratum in": "erratum",
    "corrected and republished in": "erratum",
    "partial retraction in": "",
}
PUBMED_RETRACTED = "Retracted Publication"  # the publication type PubMed gives a retracted paper
PARTIAL = "partial retraction"
PARTIAL_KINDS = ("retraction", "erratum")  # what an editor may record a partial retraction as
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"
DOI_ORG = "https://doi.org/"


@dataclass(frozen=True)
class PacedFetcher(Fetcher):
    """A ``Fetcher`` that waits ``pace`` seconds between requests: a whole bibliography is many requests in a row."""

    # Read when a fetcher is made, not when this module is imported, so tests can set it to 0.
    pace: float = field(default_factory=lambda: PACE)
    _last: list[float] = field(default_factory=list, compare=False, repr=False)  # when the last request ended

    def get_json(self, url: str, not_found: str) -> object:
        if self._last:
            wait = self._last[0] + self.pace - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        try:
            return super().get_json(url, not_found)
        finally:
            self._last[:] = [time.monotonic()]


# --- what the watch finds ----------------------------------------------------------------------


@dataclass(frozen=True)
class FoundNotice:
    """A notice about a cited work, as the services give it; ``entry`` is how the ``notices`` field records it."""

    kind: str  # an id of the notice vocabulary; "" for a partial retraction
    doi: str = ""  # the notice's own DOI; empty when no service gives one
    date: tuple[int, ...] = ()  # (year, month, day), or fewer parts when that is all the service gives
    pmid: str = ""  # PubMed's record of the notice
    sources: tuple[str, ...] = ()  # who lists it, in their words: 'Crossref ("correction", reported by publisher)'
    note: str = ""  # what stopped part of it being read

    @property
    def day(self) -> datetime.date | None:
        """The date to record: the service's, or the first day of its month or year when it gives no more."""
        if not self.date:
            return None
        try:
            return datetime.date(*self.date, *(1,) * (3 - len(self.date)))
        except ValueError:  # 31 February
            return None

    @property
    def entry(self) -> str:
        """'type DOI YYYY-MM-DD', as the notices field holds it; empty when the type, DOI or date is missing."""
        if not (self.kind and self.doi and self.day) or any(char in self.doi for char in "{}\\"):
            return ""  # a brace or backslash would break the BibTeX field; such a notice is typed by hand
        return f"{self.kind} {self.doi} {self.day.isoformat()}"

    @property
    def label(self) -> str:
        """What the notice is, as the site's notice types name it: "Retraction", "Erratum", ..."""
        term = vocabularies.load().notice.get(self.kind)
        return term.label if term else PARTIAL.capitalize()

    @property
    def listed_by(self) -> str:
        return " and ".join(self.sources)

    def advice(self) -> list[str]:
        """What the editor must still find out or decide before the notice can be recorded."""
        advice = [self.note] if self.note else []
        if not self.kind:
            advice.append(f"the notice types have no {PARTIAL}: record it as {' or '.join(PARTIAL_KINDS)}, as its text warrants")
        elif not self.doi or not self.day:
            advice.append("find the notice's DOI and date to record it")
        elif not self.entry:
            advice.append("its DOI cannot go in a BibTeX field as it is: record it by hand")
        elif len(self.date) < 3:
            advice.append(f"the day is not given, so the notices line has {self.day}: check it on the notice")
        return advice

    def describe(self) -> str:
        """One line on the notice: what it is, which, when, who lists it, and what the editor must still find out."""
        which = self.doi or "without a DOI"
        if self.pmid:
            which += f" (PubMed {self.pmid})"
        when = _date_text(self.date) if self.date else "unknown date"
        return "; ".join([f"{self.label.lower()} {which} of {when}, listed by {self.listed_by}", *self.advice()])


@dataclass(frozen=True)
class NoticeFinding:
    """The notices of one entry that its ``notices`` field does not record."""

    reference: Reference
    notices: tuple[FoundNotice, ...]

    @property
    def field_line(self) -> str:
        """The whole ``notices`` field to paste into the entry: what it holds now, then the new notices by date."""
        kept = [part.strip() for part in self.reference.get("notices").split(";") if part.strip()]
        new = sorted((n for n in self.notices if n.entry), key=lambda n: n.entry.rsplit(" ", 1)[1])
        if not new:
            return ""
        return f"notices = {{{'; '.join([*kept, *(n.entry for n in new)])}}},"


@dataclass(frozen=True)
class Paper:
    """A paper PubMed lists for a watched claim."""

    pmid: str
    title: str = ""
    journal: str = ""
    date: tuple[int, ...] = ()
    doi: str = ""
    note: str = ""  # why its summary could not be read

    @property
    def url(self) -> str:
        return f"{PUBMED}{self.pmid}/"


@dataclass(frozen=True)
class PaperFinding:
    """The new papers of one watched claim: published from ``since`` to ``until``, not cited by the claim."""

    claim: Claim
    since: datetime.date
    until: datetime.date
    papers: tuple[Paper, ...]
    more: int = 0  # found but not listed (beyond RETMAX)

    @property
    def line(self) -> int:
        return self.claim.line_of("watch")

    @property
    def search_url(self) -> str:
        """The same search on PubMed's own site, for the editor to read."""
        term = f"({self.claim.watch}) AND {self.since:%Y/%m/%d}:{self.until:%Y/%m/%d}[dp]"
        return f"{PUBMED}?{urllib.parse.urlencode({'term': term, 'sort': 'pubdate'}, quote_via=urllib.parse.quote, safe='/')}"


@dataclass(frozen=True)
class Unchecked:
    """An entry or a claim the watch could not check, and why."""

    path: str
    line: int
    subject: str  # the entry's key or the claim's id
    message: str


@dataclass(frozen=True)
class WatchReport:
    """Everything one run of the watch found, and how much it looked at."""

    today: datetime.date
    notices: tuple[NoticeFinding, ...] = ()
    papers: tuple[PaperFinding, ...] = ()
    unchecked: tuple[Unchecked, ...] = ()
    references: int = 0  # entries looked up
    claims: int = 0  # watched claims searched

    @property
    def findings(self) -> int:
        return (sum(len(f.notices) for f in self.notices) + sum(len(f.papers) + bool(f.more) for f in self.papers)
                + len(self.unchecked))


# --- watching ----------------------------------------------------------------------------------


def watch(loaded: Loaded, services: Services, today: datetime.date) -> WatchReport:
    """Look up every entry with a doi or pmid, and search every watched claim. ``Unreachable`` is not caught."""
    unchecked: list[Unchecked] = []
    notices: list[NoticeFinding] = []
    entries = 0
    for bib in loaded.bib_files:
        for reference in bib.references:
            doi = reference.doi if DOI.match(reference.doi) else ""  # a malformed one is the checker's to report
            pmid = reference.pmid if PMID.match(reference.pmid) else ""
            if not (doi or pmid):
                continue
            entries += 1
            new = _new_notices(reference, _notices(reference, doi, pmid, services, unchecked))
            if new:
                notices.append(NoticeFinding(reference, tuple(new)))
    papers: list[PaperFinding] = []
    searched = 0
    references = loaded.project.references
    for claim in sorted(loaded.project.claims, key=lambda c: c.path):
        if not claim.watch:
            continue
        if claim.reviewed is None:
            unchecked.append(Unchecked(claim.path, claim.line_of("watch"), claim.id,
                                       "the claim has a watch query but no reviewed date to search from; add reviewed"))
            continue
        since = claim.reviewed + datetime.timedelta(days=1)
        if since > today:  # reviewed today: nothing can have appeared since
            continue
        searched += 1
        cited = [references[key] for key in claim.cited_keys if key in references]
        try:
            found = _search(claim, since, today, cited, services)
        except (NotFound, BadResponse) as exc:
            unchecked.append(Unchecked(claim.path, claim.line_of("watch"), claim.id, str(exc)))
            continue
        if found.papers or found.more:
            papers.append(found)
    return WatchReport(today, tuple(notices), tuple(papers), tuple(unchecked), entries, searched)


def _notices(reference: Reference, doi: str, pmid: str, services: Services, unchecked: list[Unchecked]) -> list[FoundNotice]:
    """Every notice Crossref and PubMed list for the entry, one per notice; a service that fails is noted in ``unchecked``."""
    found: list[FoundNotice] = []
    if doi:
        try:
            found += _from_crossref(crossref_work(services, doi))
        except (NotFound, BadResponse) as exc:
            unchecked.append(Unchecked(reference.path, reference.line, reference.key, str(exc)))
    if pmid:
        try:
            found += _from_pubmed(pubmed_work(services, pmid), services)
        except (NotFound, BadResponse) as exc:
            unchecked.append(Unchecked(reference.path, reference.line, reference.key, str(exc)))
    return _merge(found)


def _from_crossref(work: Work) -> list[FoundNotice]:
    # Only updated-by: it is the work's own list of notices. Its mirror, update-to, is on the
    # notices' records (Crossref derives the one from the other), so it adds nothing here; an
    # entry that is itself a notice is what `add_reference.py --verify` reports.
    found = []
    for update in work.updates:
        kind = CROSSREF_NOTICES.get(re.sub(r"[\s-]+", "_", update.type))
        if update.relation != "updated-by" or kind is None:
            continue
        source = f'Crossref ("{update.type}"' + (f", reported by {update.source})" if update.source else ")")
        found.append(FoundNotice(kind, update.doi if DOI.match(update.doi) else "", update.date, sources=(source,)))
    return found


def _from_pubmed(work: Work, services: Services) -> list[FoundNotice]:
    # esummary gives the comments-and-corrections links as "references" (see metadata._pubmed_links),
    # each with the notice's PMID but not its DOI or date: those come from the notice's own summary,
    # asked for all the entry's notices at once. Where the field is missing, as in older answers,
    # the publication type "Retracted Publication" is all PubMed says, with no notice to name.
    links = [(kind, link) for link in work.links if (kind := PUBMED_NOTICES.get(link.type.lower())) is not None]
    summaries, note = _summaries(services, [link.pmid for _, link in links if link.pmid], "the notice")
    found = []
    for kind, link in links:
        summary = summaries.get(link.pmid)
        if isinstance(summary, Work):
            doi = summary.doi if DOI.match(summary.doi) else ""
            found.append(FoundNotice(kind, doi, summary.date, link.pmid, (f'PubMed ("{link.type}")',)))
        else:
            found.append(FoundNotice(kind, pmid=link.pmid, sources=(f'PubMed ("{link.type}")',), note=summary or note))
    if PUBMED_RETRACTED in work.types and not any(notice.kind == "retraction" for notice in found):
        found.append(FoundNotice("retraction", sources=(f'PubMed ("{PUBMED_RETRACTED}")',)))
    return found


def _summaries(services: Services, pmids: list[str], what: str) -> tuple[dict[str, Work | str], str]:
    """PubMed's summary of each PMID (one request for all), or why it could not be read; and why none could.

    ``what`` names the records in the messages: "the notice", "this paper".
    """
    pmids = list(dict.fromkeys(pmids))
    if not pmids:
        return {}, ""
    url = services.esummary(",".join(pmids))
    try:
        data = services.fetcher.get_json(url, f"PubMed has no records {', '.join(pmids)}")
    except (NotFound, BadResponse) as exc:
        return {}, f"PubMed's summary of {what} could not be read: {exc}"
    if not isinstance(data, Mapping) or not isinstance(data.get("result"), Mapping):
        return {}, f"PubMed's summary of {what} is not in the documented format (expected a 'result' object) ({url})"
    summaries: dict[str, Work | str] = {}
    for pmid in pmids:
        try:
            summaries[pmid] = work_from_esummary(data, pmid, url)
        except (NotFound, BadResponse) as exc:
            summaries[pmid] = f"PubMed's summary of {what} could not be read: {exc}"
    return summaries, ""


def _merge(found: Iterable[FoundNotice]) -> list[FoundNotice]:
    """One notice per notice: the same DOI twice (Crossref and Retraction Watch, Crossref and PubMed) is one.

    A notice without a DOI is taken to be the one of its type listed with a DOI, if any:
    PubMed's "Retracted Publication" is the retraction Crossref names.
    """
    merged: list[FoundNotice] = []
    for notice in found:
        index = next((i for i, other in enumerate(merged) if _same(other, notice)), None)
        if index is None:
            merged.append(notice)
            continue
        first = merged[index]
        merged[index] = dataclasses.replace(
            first,
            doi=first.doi or notice.doi,
            date=max(first.date, notice.date, key=len),  # the fuller date; Crossref's when both are full
            pmid=first.pmid or notice.pmid,
            sources=tuple(dict.fromkeys([*first.sources, *notice.sources])),
            note=first.note if first.doi or not notice.doi else notice.note,
        )
    return merged


def _same(first: FoundNotice, second: FoundNotice) -> bool:
    if first.doi and second.doi:
        return same_doi(first.doi, second.doi)
    return first.kind == second.kind


def _new_notices(reference: Reference, found: list[FoundNotice]) -> list[FoundNotice]:
    """The notices the entry's ``notices`` field does not record (malformed parts of it are the checker's to report)."""
    recorded, _ = parse_notices(reference.get("notices"))
    return [notice for notice in found if not _recorded(notice, recorded)]


def _recorded(notice: FoundNotice, recorded: list[Notice]) -> bool:
    if notice.doi:
        return any(same_doi(notice.doi, item.doi) for item in recorded)
    kinds = (notice.kind,) if notice.kind else PARTIAL_KINDS
    return any(item.kind in kinds for item in recorded)


def search_url(services: Services, query: str, since: datetime.date, until: datetime.date) -> str:
    """PubMed's esearch for ``query``, restricted to publication dates from ``since`` to ``until``, newest first."""
    params = {
        "db": "pubmed", "term": query, "datetype": "pdat", "mindate": f"{since:%Y/%m/%d}", "maxdate": f"{until:%Y/%m/%d}",
        "retmax": str(RETMAX), "sort": "pub_date", "retmode": "json",
    }
    return f"{services.eutils_url.rstrip('/')}/esearch.fcgi?{urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe='/')}"


def _search(claim: Claim, since: datetime.date, until: datetime.date, cited: list[Reference], services: Services) -> PaperFinding:
    url = search_url(services, claim.watch, since, until)
    data = services.fetcher.get_json(url, f"there is no esearch at {services.eutils_url}; check --eutils-url")
    ids, count = _search_result(data, url)
    cited_pmids = {reference.pmid for reference in cited if reference.pmid}
    cited_dois = [reference.doi for reference in cited if reference.doi]
    new = [pmid for pmid in ids if pmid not in cited_pmids]
    summaries, note = _summaries(services, new, "the papers found")
    if note:  # the whole answer is unreadable: the claim is not checked, rather than listed without titles
        raise BadResponse(note)
    papers = []
    for pmid in new:
        summary = summaries[pmid]
        if isinstance(summary, str):
            papers.append(Paper(pmid, note=summary))
        elif not any(same_doi(summary.doi, doi) for doi in cited_dois):  # cited by its DOI alone
            papers.append(Paper(pmid, summary.title, summary.container, summary.date, summary.doi))
    return PaperFinding(claim, since, until, tuple(papers), max(0, count - len(ids)))


def _search_result(data: object, url: str) -> tuple[list[str], int]:
    """The PMIDs an esearch answer lists, and how many it found in all; a query PubMed could not read is a ``BadResponse``."""
    what = "PubMed's answer to the watch query"
    result = data.get("esearchresult") if isinstance(data, Mapping) else None
    if not isinstance(result, Mapping):
        raise BadResponse(f"{what} is not in the documented format (no 'esearchresult' object) ({url})")
    if "ERROR" in result:
        raise BadResponse(f"PubMed could not run the watch query: {result['ERROR']} ({url})")
    errors = result.get("errorlist")
    if isinstance(errors, Mapping):
        unread = [f"{name} {', '.join(map(str, items))}" for name, items in errors.items() if isinstance(items, list) and items]
        if unread:  # PubMed drops what it cannot read and searches for the rest: not the query the editor wrote
            raise BadResponse(f"PubMed could not read part of the watch query ({'; '.join(unread)}); fix the query")
    ids = result.get("idlist")
    if not isinstance(ids, list) or not all(isinstance(i, str) and PMID.match(i) for i in ids):
        raise BadResponse(f"{what} has no list of PMIDs ('idlist') ({url})")
    count = result.get("count")
    return ids, int(count) if isinstance(count, str) and count.isdigit() else len(ids)


# --- reporting ---------------------------------------------------------------------------------


def render(report: WatchReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(_as_json(report), indent=2, ensure_ascii=False)
    if fmt == "github":
        return _github(report)
    return _text(report)


def summary(report: WatchReport) -> str:
    """The last line of the text report: what was found, and what was looked at."""
    entries = "1 entry" if report.references == 1 else f"{report.references} entries"
    looked = f"{entries} with a doi or pmid and {plural(report.claims, 'watched claim')} looked up"
    if not report.findings:
        return f"nothing new: {looked} on {report.today}"
    counts = [
        f"{plural(sum(len(f.notices) for f in report.notices), 'notice')} not recorded",
        f"{plural(sum(len(f.papers) for f in report.papers), 'new paper')} for watched claims",
        f"{len(report.unchecked)} not checked",
    ]
    return f"{', '.join(counts)}: {looked} on {report.today}"


def _date_text(date: tuple[int, ...]) -> str:
    return "-".join(f"{part:04d}" if index == 0 else f"{part:02d}" for index, part in enumerate(date))


def _paper_text(paper: Paper) -> str:
    if paper.note:
        return f"pmid {paper.pmid}: {paper.note}"
    when = f" ({_date_text(paper.date)})" if paper.date else ""
    journal = f" {paper.journal}." if paper.journal else ""
    return f"pmid {paper.pmid}{when}: {paper.title}.{journal}"


def _text(report: WatchReport) -> str:
    lines: list[str] = []
    if report.notices:
        lines.append("Notices not recorded in the bibliography:")
        for finding in report.notices:
            reference = finding.reference
            lines += [f"{reference.path}:{reference.line}: {reference.key}: {notice.describe()}" for notice in finding.notices]
            if finding.field_line:
                lines.append(f"  {finding.field_line}")
    if report.papers:
        lines.append("New papers for watched claims:")
        for found in report.papers:
            where = f"{found.claim.path}:{found.line}: {found.claim.id}"
            lines += [f"{where}: {_paper_text(paper)} {paper.url}" for paper in found.papers]
            if found.more:
                lines.append(f"{where}: {plural(found.more, 'more paper')} since {found.since} not listed; see {found.search_url}")
    if report.unchecked:
        lines.append("Not checked:")
        lines += [f"{item.path}:{item.line}: {item.subject}: {item.message}" for item in report.unchecked]
    return "\n".join([*(printable(line) for line in lines), summary(report)])


def _as_json(report: WatchReport) -> dict[str, object]:
    return {
        "today": report.today.isoformat(),
        "looked_up": {"references": report.references, "claims": report.claims},
        "notices": [
            {
                "key": f.reference.key, "path": f.reference.path, "line": f.reference.line, "field": f.field_line,
                "notices": [
                    {"type": n.kind, "doi": n.doi, "date": _date_text(n.date) if n.date else "", "pmid": n.pmid,
                     "sources": list(n.sources), "entry": n.entry, "message": n.describe()}
                    for n in f.notices
                ],
            }
            for f in report.notices
        ],
        "papers": [
            {
                "claim": f.claim.id, "path": f.claim.path, "line": f.line, "query": f.claim.watch,
                "since": f.since.isoformat(), "until": f.until.isoformat(), "more": f.more, "search": f.search_url,
                "papers": [
                    {"pmid": p.pmid, "title": p.title, "journal": p.journal, "date": _date_text(p.date) if p.date else "",
                     "doi": p.doi, "url": p.url, "note": p.note}
                    for p in f.papers
                ],
            }
            for f in report.papers
        ],
        "unchecked": [{"path": u.path, "line": u.line, "subject": u.subject, "message": u.message} for u in report.unchecked],
    }


# --- GitHub issue ------------------------------------------------------------------------------

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$])")
# "@name" would notify a GitHub user and "#12" link an issue, in a public issue rewritten every
# week; a word joiner after the sign keeps the text as it reads and breaks both.
_MENTION = re.compile(r"([@#])(?=\w)")


def _md(text: str) -> str:
    """``text`` as literal Markdown: one line, its markup escaped, no mentions or issue links."""
    return _MENTION.sub("\\1\u2060", _MARKDOWN.sub(r"\\\1", " ".join(printable(text).split())))


def _code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    text = " ".join(printable(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""  # CommonMark strips one space each side
    return f"{fence}{pad}{text}{pad}{fence}"


def _link(label: str, url: str) -> str:
    return f"[{_md(label)}]({url.replace('(', '%28').replace(')', '%29').replace(' ', '%20')})"


def _doi_link(doi: str) -> str:
    return _link(doi, DOI_ORG + urllib.parse.quote(doi, safe="/:;._-"))


def _github(report: WatchReport) -> str:
    """An issue body: a heading per section, a checklist item per finding, links to doi.org and PubMed."""
    head = [
        "<!-- Written by scripts/watch_literature.py; each run of the literature watch replaces this text. -->",
        f"The literature watch of {report.today} found what follows. Deal with each item in a pull request"
        " (see *The literature watch* in docs/contributing.md); the next run lists only what is still open.",
    ]
    blocks: list[str] = []
    if report.notices:
        blocks.append("## Notices not recorded in the bibliography")
        for finding in report.notices:
            reference = finding.reference
            items = [f"### {_code(reference.key)} ({_code(f'{reference.path}:{reference.line}')})", ""]
            for notice in finding.notices:
                doi = _doi_link(notice.doi) if notice.doi else "without a DOI"
                pubmed = f" ({_link(f'PubMed {notice.pmid}', f'{PUBMED}{notice.pmid}/')})" if notice.pmid else ""
                when = f" of {_date_text(notice.date)}" if notice.date else " of unknown date"
                advice = "".join(f"; {_md(text)}" for text in notice.advice())
                items.append(f"- [ ] {notice.label} {doi}{pubmed}{when}, listed by {_md(notice.listed_by)}{advice}")
            if finding.field_line:
                items += ["", "The entry's `notices` field, with them:", "", "```bibtex", f"  {printable(finding.field_line)}", "```"]
            blocks.append("\n".join(items))
    if report.papers:
        blocks.append("## New papers for watched claims")
        for found in report.papers:
            claim = found.claim
            items = [
                f"### {_code(claim.id)} ({_code(f'{claim.path}:{found.line}')})", "",
                f"PubMed: {_code(claim.watch)}, published {found.since} to {found.until} ({_link('the search on PubMed', found.search_url)}).", "",
            ]
            for paper in found.papers:
                if paper.note:
                    items.append(f"- [ ] {_link(f'PMID {paper.pmid}', paper.url)}: {_md(paper.note)}")
                    continue
                details = ", ".join(part for part in (f"*{_md(paper.journal)}*" if paper.journal else "",
                                                       _date_text(paper.date) if paper.date else "") if part)
                doi = f" {_doi_link(paper.doi)}" if paper.doi else ""
                items.append(f"- [ ] {_link(f'PMID {paper.pmid}', paper.url)}: {_md(paper.title)}." + (f" {details}." if details else "") + doi)
            if found.more:
                items.append(f"- [ ] {plural(found.more, 'more paper')} not listed: {_link('see them on PubMed', found.search_url)}")
            blocks.append("\n".join(items))
    if report.unchecked:
        blocks.append("## Not checked")
        blocks.append("\n".join(f"- [ ] {_code(f'{u.path}:{u.line}')} {_code(u.subject)}: {_md(u.message)}" for u in report.unchecked))
    return _bounded([*head, f"_{_md(summary(report))}._", *blocks])


def _bounded(blocks: list[str]) -> str:
    """The blocks joined, dropping whole blocks from the end when they would make the body too long for GitHub."""
    kept: list[str] = []
    size = 0
    for index, block in enumerate(blocks):
        if size + len(block) + 2 > ISSUE_LIMIT - 200:
            dropped = len(blocks) - index
            kept.append(f"_… and {plural(dropped, 'more section')}, too long for an issue: run"
                        " `.venv/bin/python scripts/watch_literature.py` for the whole list._")
            break
        kept.append(block)
        size += len(block) + 2
    return "\n\n".join(kept) + "\n"
