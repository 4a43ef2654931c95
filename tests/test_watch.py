"""The literature watch against a local stand-in for Crossref and PubMed: recorded answers, never the real network.

The works, notices and searches of these tests do not exist (DOIs under Crossref's test prefix
10.5555, PMIDs from 99000000; see tests/recorded/README.md), except Wakefield's retracted paper,
whose recorded answers the reference tool's tests share.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import yaml

import fakeservices
import watch_literature
from conftest import REPO, TinySite, claim_path
from factcheck.editors import metadata, watch
from factcheck.editors.watch import CROSSREF_NOTICES, PUBMED_NOTICES, FoundNotice, PacedFetcher
from factcheck.model import vocabularies

TODAY = "2026-06-01"
QUERY = "ketamine[tiab] AND depression[tiab]"
CROSSREF_TRIAL = "/crossref/works/10.5555/watch.trial"
CROSSREF_REVIEW = "/crossref/works/10.5555/watch.review"
ESUMMARY_TRIAL = "/eutils/esummary.fcgi?db=pubmed&id=99000010&retmode=json"
ESUMMARY_NOTICES = "/eutils/esummary.fcgi?db=pubmed&id=99000011,99000012&retmode=json"
CROSSREF_WAKEFIELD = "/crossref/works/10.1016/S0140-6736(97)11096-0"
ESUMMARY_WAKEFIELD = "/eutils/esummary.fcgi?db=pubmed&id=9500320&retmode=json"
ESEARCH = (
    "/eutils/esearch.fcgi?db=pubmed&term=ketamine%5Btiab%5D%20AND%20depression%5Btiab%5D"
    "&datetype=pdat&mindate=2026/01/02&maxdate=2026/06/01&retmax=100&sort=pub_date&retmode=json"
)
ESUMMARY_PAPERS = "/eutils/esummary.fcgi?db=pubmed&id=99000020,99000021,99000022&retmode=json"
RETRACTION = "10.1016/S0140-6736(10)60175-4"
BOTH_NOTICES = "erratum 10.5555/watch.trial.erratum 2026-03-02; expression-of-concern 10.5555/watch.trial.concern 2026-04-14"

BIB = """\
@article{{berman2000,
  author = {{Tester, Ann}},
  title = {{A watched trial}},
  journal = {{Journal of Tests}},
  year = {{2025}},
  doi = {{10.5555/watch.trial}},
  pmid = {{99000010}},
  design = {{rct}},{notices}
}}

@article{{short2018,
  author = {{Tester, Bo}},
  title = {{A review without notices}},
  journal = {{Journal of Tests}},
  year = {{2024}},
  doi = {{10.5555/watch.review}},
  design = {{cohort/case-control}},
}}

@misc{{clinic,
  organization = {{A clinic}},
  title = {{A web page}},
  year = {{n.d.}},
  url = {{https://example.org/}},
  design = {{other}},
}}
"""
WAKEFIELD = """\
@article{{wakefield1998ileal,
  author = {{Wakefield, A. J. and Murch, S. H. and Anthony, A. and others}},
  title = {{Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in children}},
  journal = {{The Lancet}},
  year = {{1998}},
  doi = {{10.1016/S0140-6736(97)11096-0}},
  pmid = {{9500320}},
  design = {{open-label/case-series}},{notices}
}}
"""
WATCHED = claim_path("works-fast")
WATCH_LINE = 17  # of WATCHED, once watched() has added short2018 to its sources and the query


@pytest.fixture
def services() -> Iterator[fakeservices.FakeServices]:
    fake = fakeservices.FakeServices()
    try:
        yield fake
    finally:
        fake.close()


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    fakeservices.offline(monkeypatch)
    monkeypatch.setattr(watch, "PACE", 0.0)


@dataclass
class Run:
    code: int
    out: list[str]
    err: str


def run(tiny: TinySite, services: fakeservices.FakeServices, *args: str) -> Run:
    tiny.capsys.readouterr()
    code = watch_literature.main(["--root", str(tiny.root), "--today", TODAY, *services.args(), *args])
    captured = tiny.capsys.readouterr()
    return Run(code, captured.out.splitlines(), captured.err)


def bibliography(tiny: TinySite, services: fakeservices.FakeServices, notices: str = "", wakefield: str | None = None) -> None:
    """The test bibliography, with the trial's ``notices`` field and, unless None, Wakefield's; every service answers."""
    tiny.write("references/main.bib", BIB.format(notices=_field(notices)))
    services.answer(CROSSREF_TRIAL, "crossref/watch-trial.json")
    services.answer(ESUMMARY_TRIAL, "eutils/esummary-watch-99000010.json")
    services.answer(ESUMMARY_NOTICES, "eutils/esummary-watch-notices.json")
    services.answer(CROSSREF_REVIEW, "crossref/watch-review.json")
    if wakefield is not None:
        tiny.write("references/retracted.bib", WAKEFIELD.format(notices=_field(wakefield)))
        services.answer(CROSSREF_WAKEFIELD, "crossref/wakefield1998ileal.json")
        services.answer(ESUMMARY_WAKEFIELD, "eutils/esummary-9500320.json")


def _field(notices: str) -> str:
    return f"\n  notices = {{{notices}}}," if notices else ""


def watched(tiny: TinySite, services: fakeservices.FakeServices, reviewed: str = "2026-01-01") -> None:
    """works-fast watches QUERY and cites short2018 (by DOI alone) besides berman2000; PubMed answers the search."""
    tiny.replace(WATCHED, '    note: "Improvement within 72 hours."\n',
                 '    note: "Improvement within 72 hours."\n  - key: short2018\n    stance: context\n    note: "A review."\n')
    tiny.replace(WATCHED, "reviewed: 2026-01-01\n", f'reviewed: {reviewed}\nwatch: "{QUERY}"\n')
    services.answer(ESEARCH, "eutils/esearch-watch.json")
    services.answer(ESUMMARY_PAPERS, "eutils/esummary-watch-papers.json")


# --- notices -----------------------------------------------------------------------------------


def test_a_new_retraction_is_reported_with_the_field_to_paste(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES, wakefield="")
    result = run(tiny, services)
    assert (result.code, result.err) == (1, "")
    assert result.out == [
        "Notices not recorded in the bibliography:",
        f"references/retracted.bib:1: wakefield1998ileal: retraction {RETRACTION} of 2010-02-06,"
        ' listed by Crossref ("retraction", reported by retraction-watch) and PubMed ("Retracted Publication")',
        f"  notices = {{retraction {RETRACTION} 2010-02-06}},",
        "1 notice not recorded, 0 new papers for watched claims, 0 not checked: 3 entries with a doi or pmid and 0 watched claims"
        " looked up on 2026-06-01",
    ]
    # Each work asked once of each service, the notices' summaries in one request; the entry with a url alone not at all.
    assert sorted(services.paths) == sorted([CROSSREF_TRIAL, ESUMMARY_TRIAL, ESUMMARY_NOTICES, CROSSREF_REVIEW,
                                             CROSSREF_WAKEFIELD, ESUMMARY_WAKEFIELD])
    assert all(agent.startswith("kap-factcheck/") for _, agent in services.requests)


def test_the_pasted_field_is_what_the_checker_reads_and_silences_the_watch(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES, wakefield="")
    field = run(tiny, services).out[2].strip()
    tiny.replace("references/retracted.bib", "  design = {open-label/case-series},\n", f"  design = {{open-label/case-series}},\n  {field}\n")
    assert not [line for line in tiny.check().problems if "bad-notice" in line or "unknown-term" in line]
    again = run(tiny, services)
    assert again.code == 0
    assert again.out == ["nothing new: 3 entries with a doi or pmid and 0 watched claims looked up on 2026-06-01"]


def test_recorded_notices_are_not_reported_again_whatever_the_case_or_date(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    # DOIs are case-insensitive; the date and even the type are the editor's to judge once the notice is recorded.
    bibliography(tiny, services, notices=BOTH_NOTICES.upper().replace("ERRATUM ", "erratum ").replace("EXPRESSION-OF-CONCERN", "expression-of-concern"),
                 wakefield=f"withdrawal {RETRACTION.lower()} 2010-01-01")
    result = run(tiny, services)
    assert (result.code, result.out) == (0, ["nothing new: 3 entries with a doi or pmid and 0 watched claims looked up on 2026-06-01"])


def test_an_erratum_and_an_expression_of_concern_from_both_services_are_one_notice_each(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services)
    result = run(tiny, services)
    assert result.code == 1
    assert result.out[:4] == [
        "Notices not recorded in the bibliography:",
        "references/main.bib:1: berman2000: erratum 10.5555/watch.trial.erratum (PubMed 99000011) of 2026-03-02,"
        ' listed by Crossref ("correction", reported by publisher) and PubMed ("Erratum in")',
        # Crossref gives the month only; PubMed's record of the notice gives the day.
        "references/main.bib:1: berman2000: expression of concern 10.5555/watch.trial.concern (PubMed 99000012) of 2026-04-14,"
        ' listed by Crossref ("expression_of_concern", reported by retraction-watch) and PubMed ("Expression of concern in")',
        f"  notices = {{{BOTH_NOTICES}}},",
    ]
    assert "new_version" not in "\n".join(result.out) and "99000013" not in "\n".join(result.out)  # not notices


def test_a_new_notice_is_added_after_those_the_field_holds(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices="erratum 10.5555/watch.trial.erratum 2026-03-02")
    result = run(tiny, services)
    assert result.code == 1
    assert result.out[1].startswith("references/main.bib:1: berman2000: expression of concern 10.5555/watch.trial.concern")
    assert result.out[2] == f"  notices = {{{BOTH_NOTICES}}},"


def test_a_date_without_its_day_is_flagged_and_a_notice_without_a_doi_has_no_line(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES)
    services.answers.clear()
    services.answer(CROSSREF_TRIAL, body=json.dumps({"status": "ok", "message": {
        "DOI": "10.5555/watch.trial", "title": ["A watched trial"], "issued": {"date-parts": [[2025]]},
        "updated-by": [
            {"DOI": "10.5555/watch.trial.withdrawn", "type": "withdrawal", "updated": {"date-parts": [[2026, 5]]}},
            {"DOI": "10.5555/watch.trial.part", "type": "partial_retraction", "updated": {"date-parts": [[2026, 5, 9]]}},
        ]}}).encode())
    services.answer(ESUMMARY_TRIAL, body=json.dumps({"result": {"99000010": {
        "title": "A watched trial.", "pubdate": "2025", "pubtype": ["Journal Article"],
        "references": [{"reftype": "Retraction in", "pmid": "99000014", "refsource": "J Tests. 2026"}]}}}).encode())
    services.answer("/eutils/esummary.fcgi?db=pubmed&id=99000014&retmode=json",
                    body=b'{"result": {"uids": ["99000014"], "99000014": {"uid": "99000014", "error": "cannot get document summary"}}}')
    services.answer(CROSSREF_REVIEW, "crossref/watch-review.json")
    result = run(tiny, services)
    assert result.out[1:5] == [
        "references/main.bib:1: berman2000: withdrawal 10.5555/watch.trial.withdrawn of 2026-05, listed by Crossref (\"withdrawal\");"
        " the day is not given, so the notices line has 2026-05-01: check it on the notice",
        "references/main.bib:1: berman2000: partial retraction 10.5555/watch.trial.part of 2026-05-09, listed by Crossref"
        ' ("partial_retraction"); the notice types have no partial retraction: record it as retraction or erratum, as its text warrants',
        "references/main.bib:1: berman2000: retraction without a DOI (PubMed 99000014) of unknown date, listed by PubMed"
        " (\"Retraction in\"); PubMed's summary of the notice could not be read: PubMed has no record 99000014:"
        f" cannot get document summary ({services.url}/eutils/esummary.fcgi?db=pubmed&id=99000014&retmode=json);"
        " find the notice's DOI and date to record it",
        f"  notices = {{{BOTH_NOTICES}; withdrawal 10.5555/watch.trial.withdrawn 2026-05-01}},",
    ]


# --- new papers --------------------------------------------------------------------------------


def test_a_watch_query_lists_papers_published_after_the_review_and_not_cited(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES)
    watched(tiny, services)
    result = run(tiny, services)
    assert (result.code, result.err) == (1, "")
    where = f"{WATCHED}:{WATCH_LINE}: works-fast"
    assert result.out == [
        "New papers for watched claims:",
        f"{where}: pmid 99000020 (2026-03-15): Fast relief in a test cohort. Journal of tests. https://pubmed.ncbi.nlm.nih.gov/99000020/",
        f"{where}: pmid 99000021 (2026-02): Ketamine_and *stars* for @someone in trial #12. Test reviews. https://pubmed.ncbi.nlm.nih.gov/99000021/",
        "0 notices not recorded, 2 new papers for watched claims, 0 not checked: 2 entries with a doi or pmid and 1 watched claim"
        " looked up on 2026-06-01",
    ]
    # Searched from the day after the review to --today; the summaries asked once, without the PMID the claim cites
    # (99000010, berman2000's); 99000022 went after its summary, whose DOI is short2018's.
    assert services.paths.count(ESEARCH) == 1
    assert services.paths.count(ESUMMARY_PAPERS) == 1


def test_a_claim_reviewed_today_is_not_searched(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES)
    watched(tiny, services, reviewed=TODAY)
    result = run(tiny, services)
    assert (result.code, result.out[-1]) == (0, "nothing new: 2 entries with a doi or pmid and 0 watched claims looked up on 2026-06-01")
    assert ESEARCH not in services.paths


def test_a_watched_claim_without_a_review_date_cannot_be_searched(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES)
    watched(tiny, services)
    tiny.replace(WATCHED, "reviewed: 2026-01-01\n", "")
    result = run(tiny, services)
    assert result.code == 1
    assert result.out[:2] == ["Not checked:", f"{WATCHED}:{WATCH_LINE - 1}: works-fast: the claim has a watch query but no reviewed date"
                                              " to search from; add reviewed"]
    assert ESEARCH not in services.paths


def test_papers_beyond_the_list_are_counted_with_the_search_to_see_them(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES)
    watched(tiny, services)
    services.answers[ESEARCH] = []
    services.answer(ESEARCH, body=b'{"esearchresult": {"count": "250", "idlist": ["99000010"]}}')
    result = run(tiny, services)
    assert result.code == 1
    assert result.out[1] == (
        f"{WATCHED}:{WATCH_LINE}: works-fast: 249 more papers since 2026-01-02 not listed; see https://pubmed.ncbi.nlm.nih.gov/"
        "?term=%28ketamine%5Btiab%5D%20AND%20depression%5Btiab%5D%29%20AND%202026/01/02%3A2026/06/01%5Bdp%5D&sort=pubdate"
    )
    assert not any("esummary.fcgi?db=pubmed&id=&" in path for path in services.paths)  # nothing left to summarise, nothing asked


# --- output formats ----------------------------------------------------------------------------


def test_json_holds_every_finding_with_its_place(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices="erratum 10.5555/watch.trial.erratum 2026-03-02", wakefield="")
    watched(tiny, services)
    result = run(tiny, services, "--format", "json")
    assert result.code == 1
    data = json.loads("\n".join(result.out))
    assert data["today"] == TODAY and data["looked_up"] == {"references": 3, "claims": 1}
    trial, wakefield = data["notices"]
    assert (trial["key"], trial["path"], trial["line"], trial["field"]) == ("berman2000", "references/main.bib", 1, f"notices = {{{BOTH_NOTICES}}},")
    assert trial["notices"] == [{
        "type": "expression-of-concern", "doi": "10.5555/watch.trial.concern", "date": "2026-04-14", "pmid": "99000012",
        "sources": ['Crossref ("expression_of_concern", reported by retraction-watch)', 'PubMed ("Expression of concern in")'],
        "entry": "expression-of-concern 10.5555/watch.trial.concern 2026-04-14", "message": trial["notices"][0]["message"],
    }]
    assert [n["entry"] for n in wakefield["notices"]] == [f"retraction {RETRACTION} 2010-02-06"]
    (claim,) = data["papers"]
    assert (claim["claim"], claim["path"], claim["line"], claim["query"], claim["since"], claim["until"], claim["more"]) == (
        "works-fast", WATCHED, WATCH_LINE, QUERY, "2026-01-02", TODAY, 0)
    assert claim["papers"][0] == {"pmid": "99000020", "title": "Fast relief in a test cohort", "journal": "Journal of tests",
                                  "date": "2026-03-15", "doi": "10.5555/watch.new1", "url": "https://pubmed.ncbi.nlm.nih.gov/99000020/", "note": ""}
    assert data["unchecked"] == []


def test_github_is_an_issue_body_with_a_checklist_and_links(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES, wakefield="")
    watched(tiny, services)
    services.answers[CROSSREF_REVIEW] = []
    services.answer(CROSSREF_REVIEW, body=b"[]")
    result = run(tiny, services, "--format", "github")
    assert result.code == 1
    body = "\n".join(result.out)
    headings = [line for line in result.out if line.startswith("#")]
    assert headings == [
        "## Notices not recorded in the bibliography",
        "### `wakefield1998ileal` (`references/retracted.bib:1`)",
        "## New papers for watched claims",
        f"### `works-fast` (`{WATCHED}:{WATCH_LINE}`)",
        "## Not checked",
    ]
    assert (
        "- [ ] Retraction [10.1016/S0140-6736\\(10\\)60175-4](https://doi.org/10.1016/S0140-6736%2810%2960175-4) of 2010-02-06,"
        ' listed by Crossref \\("retraction", reported by retraction-watch\\) and PubMed \\("Retracted Publication"\\)'
    ) in result.out
    assert f"```bibtex\n  notices = {{retraction {RETRACTION} 2010-02-06}},\n```" in body
    assert ("- [ ] [PMID 99000020](https://pubmed.ncbi.nlm.nih.gov/99000020/): Fast relief in a test cohort. *Journal of tests*, 2026-03-15."
            " [10.5555/watch.new1](https://doi.org/10.5555/watch.new1)") in result.out
    # A title's markup is escaped, and it can neither mention anyone nor link an issue.
    assert "Ketamine\\_and \\*stars\\* for @\u2060someone in trial \\#\u206012." in body
    assert ("- [ ] `references/main.bib:12` `short2018`: Crossref's record for doi 10.5555/watch.review is not in the documented"
            " format \\(expected a JSON object\\)") in result.out
    assert len([line for line in result.out if line.startswith("- [ ] ")]) == 4


def test_github_body_stays_within_an_issue_s_length(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch, "ISSUE_LIMIT", 700)
    unchecked = tuple(watch.Unchecked("references/main.bib", n, f"key{n}", "x" * 100) for n in range(40))
    body = watch.render(watch.WatchReport(datetime.date(2026, 6, 1), unchecked=unchecked), "github")
    assert len(body) < 700
    assert body.rstrip().endswith("run `.venv/bin/python scripts/watch_literature.py` for the whole list._")
    assert "40 not checked" in body  # the summary comes first, so it is never cut


# --- failures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CROSSREF_TRIAL, ESUMMARY_TRIAL], ids=["crossref", "eutils"])
def test_a_service_down_stops_the_watch_with_exit_2(tiny: TinySite, services: fakeservices.FakeServices, path: str) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES)
    services.answers[path] = []
    services.answer(path, status=503)
    result = run(tiny, services)
    assert (result.code, result.out) == (2, [])
    assert result.err == (
        f"watch_literature.py: error: could not reach 127.0.0.1:{services.server.server_address[1]} after 3 attempts:"
        " HTTP 503 Service Unavailable; check your connection or use --timeout; nothing was reported\n"
    )


def test_nothing_listening_is_exit_2_too(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES)
    tiny.capsys.readouterr()
    code = watch_literature.main(["--root", str(tiny.root), "--today", TODAY])  # the environment's closed port
    assert code == 2
    assert tiny.capsys.readouterr().err.startswith("watch_literature.py: error: could not reach 127.0.0.1:9 after 3 attempts: ")


@pytest.mark.parametrize(
    ("path", "body", "where", "message"),
    [
        (CROSSREF_REVIEW, b"<html>rebuilding</html>", "references/main.bib:12: short2018",
         "127.0.0.1:{port} sent an answer that is not JSON ({url}{path}): Expecting value: line 1 column 1 (char 0)"),
        (ESUMMARY_TRIAL, b'{"result": {"99000010": {"title": "", "pubdate": "2025"}}}', "references/main.bib:1: berman2000",
         "PubMed's summary of 99000010 has no title ({url}{path})"),
        (ESEARCH, b'{"esearchresult": {"count": "1", "idlist": [12]}}', f"{WATCHED}:{WATCH_LINE}: works-fast",
         "PubMed's answer to the watch query has no list of PMIDs ('idlist') ({url}{path})"),
        (ESEARCH, b'{"esearchresult": {"count": "0", "idlist": [], "errorlist": {"phrasesnotfound": [], "fieldsnotfound": ["tiabx"]}}}',
         f"{WATCHED}:{WATCH_LINE}: works-fast", "PubMed could not read part of the watch query (fieldsnotfound tiabx); fix the query"),
        (ESUMMARY_PAPERS, b'"busy"', f"{WATCHED}:{WATCH_LINE}: works-fast",
         "PubMed's summary of the papers found is not in the documented format (expected a 'result' object) ({url}{path})"),
    ],
    ids=["crossref-not-json", "esummary-no-title", "esearch-bad-ids", "query-not-read", "papers-unreadable"],
)
def test_a_malformed_answer_is_a_located_finding(tiny: TinySite, services: fakeservices.FakeServices, path: str, body: bytes, where: str, message: str) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES)
    watched(tiny, services)
    services.answers[path] = []
    services.answer(path, body=body)
    result = run(tiny, services)
    assert result.code == 1
    assert "Traceback" not in result.err and result.err == ""
    expected = f"{where}: " + message.format(port=services.server.server_address[1], url=services.url, path=path)
    assert result.out[result.out.index("Not checked:") + 1] == expected


def test_an_unknown_doi_is_a_located_finding(tiny: TinySite, services: fakeservices.FakeServices) -> None:
    bibliography(tiny, services, notices=BOTH_NOTICES)
    services.answers[CROSSREF_REVIEW] = []  # no answer: the fake's 404
    result = run(tiny, services)
    assert result.code == 1
    assert result.out == [
        "Not checked:",
        f"references/main.bib:12: short2018: Crossref has no work with doi 10.5555/watch.review (HTTP 404 from {services.url}{CROSSREF_REVIEW})",
        "0 notices not recorded, 0 new papers for watched claims, 1 not checked: 2 entries with a doi or pmid and 0 watched claims"
        " looked up on 2026-06-01",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "html"], "argument --format: invalid choice: 'html' (choose from "),
        (["--today", "1 June"], "argument --today: '1 June' is not a date written YYYY-MM-DD"),
        (["--timeout", "0"], "argument --timeout: the timeout must be more than 0 and at most 600 seconds"),
        (["--crossref-url", "ftp://example.org/"], "--crossref-url 'ftp://example.org/' is not an http: or https: URL"),
    ],
)
def test_bad_command_lines_exit_2_before_any_request(tiny: TinySite, services: fakeservices.FakeServices, args: list[str], message: str) -> None:
    result = run(tiny, services, *args)
    assert result.code == 2
    assert f"\nwatch_literature.py: error: {message}" in result.err, result.err
    assert services.requests == []


def test_a_folder_that_is_not_a_project_is_exit_2(tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]) -> None:
    assert watch_literature.main(["--root", str(tmp_path)]) == 2
    assert "has no docs/ and references/ folders; pass --root" in capsys.readouterr().err


# --- the parts ---------------------------------------------------------------------------------


def test_every_mapped_notice_type_is_in_the_vocabulary() -> None:
    ids = vocabularies.load().notice.ids
    assert {kind for kind in (*CROSSREF_NOTICES.values(), *PUBMED_NOTICES.values()) if kind} == set(ids)


@pytest.mark.parametrize(
    ("value", "parts"),
    [({"date-parts": [[2010, 2, 6]]}, (2010, 2, 6)), ({"date-parts": [[2010, 13, 6]]}, (2010,)), ({"date-parts": [[None]]}, ()),
     ({"date-parts": [[True, 1]]}, ()), (None, ())],
)
def test_crossref_dates(value: object, parts: tuple[int, ...]) -> None:
    assert metadata.crossref_date(value) == parts


@pytest.mark.parametrize(
    ("pubdate", "parts"),
    [("2010 Aug 20", (2010, 8, 20)), ("2010 Aug", (2010, 8)), ("2010 Aug-Sep", (2010, 8)), ("2010 Spring", (2010,)),
     ("2010 Dec 2012", (2010, 12)), ("", ())],
)
def test_pubmed_dates(pubdate: str, parts: tuple[int, ...]) -> None:
    record = {"result": {"1": {"title": "T.", "pubdate": pubdate or "1999", "epubdate": ""}}}
    work = metadata.work_from_esummary(record, "1", "u")
    assert work.date == (parts or (1999,))


def test_a_doi_that_would_break_the_field_gets_no_line() -> None:
    notice = FoundNotice("erratum", "10.5555/odd}doi", (2026, 1, 2), sources=("Crossref",))
    assert notice.entry == ""
    assert notice.describe().endswith("its DOI cannot go in a BibTeX field as it is: record it by hand")


def test_the_fetcher_waits_its_pace_between_requests(services: fakeservices.FakeServices, monkeypatch: pytest.MonkeyPatch) -> None:
    services.answer("/crossref/works/a", body=b"{}")
    waits: list[float] = []
    monkeypatch.setattr(watch.time, "sleep", waits.append)
    fetcher = PacedFetcher(pace=30.0)
    fetcher.get_json(f"{services.url}/crossref/works/a", "none")
    fetcher.get_json(f"{services.url}/crossref/works/a", "none")
    assert len(waits) == 1 and 29.0 < waits[0] <= 30.0  # asked to wait, not timed


def test_the_workflow_pins_its_actions_and_asks_only_for_issues() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/watch.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", use) for use in uses), uses
    script = "\n".join(step.get("run", "") for step in steps)
    assert "scripts/watch_literature.py --format github" in script and "gh issue edit" in script and "gh issue create" in script
