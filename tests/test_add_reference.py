"""The reference tool against a local stand-in for Crossref and PubMed: recorded answers, never the real network."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import add_reference
import fakeservices
from conftest import TinySite
from factcheck.editors import bibwriter, identifiers
from factcheck.editors.metadata import Author, Work
from factcheck.reading.bibliography import parse_file
from factcheck.reading.latex import plain

DOI = "10.1126/science.1190287"
PMID = "20724638"
CROSSREF_LI = f"/crossref/works/{DOI}"
ESEARCH_LI = f"/eutils/esearch.fcgi?db=pubmed&term={DOI}[doi]&retmode=json"
ESUMMARY_LI = f"/eutils/esummary.fcgi?db=pubmed&id={PMID}&retmode=json"
WAKEFIELD_DOI = "10.1016/S0140-6736(97)11096-0"
DESIGNS = (
    "systematic-review/meta-analysis, rct, cohort/case-control, open-label/case-series, animal/in-vitro/mechanistic, "
    "guideline/consensus, narrative-review/expert-opinion, regulatory/official, other"
)
TODO = f"% TODO(editor): set design to one of {DESIGNS}\n"


class FakeServices(fakeservices.FakeServices):
    def answer_li2010(self) -> None:
        self.answer(CROSSREF_LI, "crossref/li2010mtor.json")
        self.answer(ESEARCH_LI, "eutils/esearch-li2010mtor.json")
        self.answer(ESUMMARY_LI, "eutils/esummary-20724638.json")


@pytest.fixture
def services() -> Iterator[FakeServices]:
    fake = FakeServices()
    try:
        yield fake
    finally:
        fake.close()


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    fakeservices.offline(monkeypatch)


@dataclass
class Run:
    code: int
    out: list[str]
    err: str


def run(tiny: TinySite, services: FakeServices, *args: str) -> Run:
    tiny.capsys.readouterr()
    code = add_reference.main(["--root", str(tiny.root), *services.args(), *args])
    captured = tiny.capsys.readouterr()
    return Run(code, captured.out.splitlines(), captured.err)


def li2010_entry(url: str) -> str:
    return TODO + (
        "@article{li2010mtor,\n"
        "  author = {Li, Nanxin and Lee, Boyoung and Liu, Rong-Jian and Banasr, Mounira and Dwyer, Jason M. and Iwata, Masaaki"
        " and Li, Xiao-Yuan and Aghajanian, George and Duman, Ronald S.},\n"
        "  title = {{mTOR}-Dependent Synapse Formation Underlies the Rapid Antidepressant Effects of {NMDA} Antagonists},\n"
        "  journal = {Science},\n"
        "  year = {2010},\n"
        "  volume = {329},\n"
        "  number = {5994},\n"
        "  pages = {959--964},\n"
        f"  doi = {{{DOI}}},\n"
        f"  pmid = {{{PMID}}},\n"
        "  design = {other},\n"
        f"  verified = {{{url}/crossref/works/{DOI}; {url}/eutils/esearch.fcgi?db=pubmed\\&term={DOI}[doi]\\&retmode=json}},\n"
        "}\n"
    )


# --- adding ------------------------------------------------------------------------------------


def test_add_by_doi_writes_the_entry_and_the_checker_accepts_it(tiny: TinySite, services: FakeServices) -> None:
    services.answer_li2010()
    result = run(tiny, services, f"https://doi.org/{DOI}")
    assert (result.code, result.err) == (0, "")
    assert result.out == ["added 'li2010mtor' at references/new.bib:2; set its design (the comment above it lists the choices)"]
    assert (tiny.root / "references/new.bib").read_text(encoding="utf-8") == li2010_entry(services.url)
    assert services.paths == [CROSSREF_LI, ESEARCH_LI]
    assert all(agent.startswith("kap-factcheck/") for _, agent in services.requests)

    bib = parse_file(tiny.root / "references/new.bib", "references/new.bib")
    assert bib.problems == ()
    (entry,) = bib.references
    assert (entry.key, entry.line, entry.design, entry.pmid) == ("li2010mtor", 2, "other", PMID)
    assert plain(entry.get("title")) == "mTOR-Dependent Synapse Formation Underlies the Rapid Antidepressant Effects of NMDA Antagonists"
    assert entry.get("verified").startswith(f"{services.url}/crossref/works/{DOI}; ")
    check = tiny.check()
    assert check.code == 0
    assert check.problems == ["references/new.bib:2:1: warning: reference 'li2010mtor' is cited by no claim; cite it or remove the entry [uncited-reference]"]


def test_add_by_pmid_takes_the_doi_from_pubmed(tiny: TinySite, services: FakeServices, monkeypatch: pytest.MonkeyPatch) -> None:
    services.answer_li2010()
    # The base URLs from the environment, as a CI job or an editor behind a proxy would set them.
    monkeypatch.setenv("FACTCHECK_CROSSREF_URL", f"{services.url}/crossref")
    monkeypatch.setenv("FACTCHECK_EUTILS_URL", f"{services.url}/eutils")
    tiny.capsys.readouterr()
    code = add_reference.main(["--root", str(tiny.root), "--bib", "references/mechanism.bib", f"pmid:{PMID}"])
    assert code == 0, tiny.capsys.readouterr().err
    assert (tiny.root / "references/mechanism.bib").read_text(encoding="utf-8") == TODO + (
        "@article{li2010mtor,\n"
        "  author = {Li, N. and Lee, B. and Liu, R. J. and Banasr, M. and Dwyer, J. M. and Iwata, M. and Li, X. Y. and Aghajanian, G. and Duman, R. S.},\n"
        "  title = {{mTOR}-dependent synapse formation underlies the rapid antidepressant effects of {NMDA} antagonists},\n"
        "  journal = {Science (New York, N.Y.)},\n"
        "  year = {2010},\n"
        "  volume = {329},\n"
        "  number = {5994},\n"
        "  pages = {959--964},\n"
        f"  doi = {{{DOI}}},\n"
        f"  pmid = {{{PMID}}},\n"
        "  design = {other},\n"
        f"  verified = {{{services.url}/eutils/esummary.fcgi?db=pubmed\\&id={PMID}\\&retmode=json}},\n"
        "}\n"
    )
    assert services.paths == [ESUMMARY_LI]


def test_unknown_doi_is_not_found(tiny: TinySite, services: FakeServices) -> None:
    result = run(tiny, services, "doi:10.9999/no-such-work")
    assert result.code == 1
    assert result.err == (
        f"add_reference.py: error: Crossref has no work with doi 10.9999/no-such-work (HTTP 404 from {services.url}/crossref/works/10.9999/no-such-work)\n"
    )
    assert not (tiny.root / "references/new.bib").exists()


def test_unknown_pmid_is_not_found(tiny: TinySite, services: FakeServices) -> None:
    url = "/eutils/esummary.fcgi?db=pubmed&id=99999999&retmode=json"
    services.answer(url, "eutils/esummary-not-found.json")
    result = run(tiny, services, "pmid:99999999")
    assert result.code == 1
    assert result.err == f"add_reference.py: error: PubMed has no record 99999999: cannot get document summary ({services.url}{url})\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>Service temporarily rebuilding</body></html>", "127.0.0.1:{port} sent an answer that is not JSON ({url}): "),
        (b'{"status": "ok", "message-type": "work", "message": {"DOI": "10.1126/science.1190287", "title": []}}',
         f"Crossref's record for doi {DOI} has no title ({{url}})"),
        (b'{"status": "ok", "message": ["not", "a", "work"]}', f"Crossref's record for doi {DOI} ('message') is not in the documented format"),
    ],
    ids=["not-json", "no-title", "wrong-shape"],
)
def test_malformed_answer_is_refused_clearly(tiny: TinySite, services: FakeServices, body: bytes, message: str) -> None:
    services.answer(CROSSREF_LI, body=body)
    result = run(tiny, services, DOI)
    assert result.code == 1
    expected = message.format(port=services.server.server_address[1], url=services.url + CROSSREF_LI)
    assert result.err.startswith(f"add_reference.py: error: {expected}"), result.err
    assert "Traceback" not in result.err
    assert not (tiny.root / "references/new.bib").exists()


def test_timeout_gives_up_after_three_attempts(tiny: TinySite, services: FakeServices) -> None:
    services.answer(CROSSREF_LI, "crossref/li2010mtor.json", delay=5.0)
    started = time.monotonic()
    result = run(tiny, services, "--timeout", "0.2", DOI)
    assert time.monotonic() - started < 3.0
    assert result.code == 2
    assert result.err == (
        f"add_reference.py: error: could not reach 127.0.0.1:{services.server.server_address[1]} after 3 attempts: timed out;"
        " check your connection or use --timeout\n"
    )
    assert services.paths == [CROSSREF_LI] * 3


def test_server_errors_and_rate_limits_are_retried(tiny: TinySite, services: FakeServices) -> None:
    services.answer(CROSSREF_LI, status=503)
    services.answer(CROSSREF_LI, status=429, headers={"Retry-After": "0"})
    services.answer_li2010()
    result = run(tiny, services, DOI)
    assert result.code == 0, result.err
    assert services.paths == [CROSSREF_LI, CROSSREF_LI, CROSSREF_LI, ESEARCH_LI]


def test_adding_a_retracted_work_warns(tiny: TinySite, services: FakeServices) -> None:
    services.answer("/crossref/works/10.1016/S0140-6736(97)11096-0", "crossref/wakefield1998ileal.json")
    services.answer(f"/eutils/esearch.fcgi?db=pubmed&term={WAKEFIELD_DOI}[doi]&retmode=json",
                    body=b'{"header": {"type": "esearch", "version": "0.3"}, "esearchresult": {"count": "1", "idlist": ["9500320"]}}')
    result = run(tiny, services, f"doi:{WAKEFIELD_DOI}")
    assert result.code == 0, result.err
    assert result.out == [
        "added 'wakefield1998ileal' at references/new.bib:2; set its design (the comment above it lists the choices)",
        "warning: Crossref lists a retraction of this work, 10.1016/S0140-6736(10)60175-4 (2010, reported by retraction-watch)",
    ]
    text = (tiny.root / "references/new.bib").read_text(encoding="utf-8")
    assert "  author = {Wakefield, AJ and Murch, SH and Anthony, A},\n" in text
    assert "  title = {{RETRACTED}: Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in children},\n" in text
    assert "  journal = {The Lancet},\n  year = {1998},\n  volume = {351},\n  number = {9103},\n  pages = {637--641},\n" in text


def test_duplicate_doi_is_refused_with_the_existing_entry(tiny: TinySite, services: FakeServices) -> None:
    before = (tiny.root / "references/main.bib").read_bytes()
    result = run(tiny, services, "doi:10.1016/s0006-3223(99)00230-9")  # berman2000's, in lower case
    assert result.code == 1
    assert result.err == (
        "references/main.bib:1:1: error: doi 10.1016/s0006-3223(99)00230-9 is already in the bibliography as 'berman2000';"
        " cite that key [duplicate-reference]\n"
    )
    assert services.requests == []  # refused before asking anyone
    assert (tiny.root / "references/main.bib").read_bytes() == before
    assert not (tiny.root / "references/new.bib").exists()


def test_pmid_found_for_a_doi_is_refused_when_another_entry_has_it(tiny: TinySite, services: FakeServices) -> None:
    services.answer_li2010()
    tiny.write("references/other.bib", "@article{mtor2010,\n  title = {T},\n  year = {2010},\n  author = {Li, N.},\n"
                                       f"  pmid = {{{PMID}}},\n  design = {{other}},\n}}\n")
    result = run(tiny, services, DOI)
    assert result.code == 1
    assert result.err == (
        f"references/other.bib:1:1: error: pmid {PMID} is already in the bibliography as 'mtor2010'; cite that key [duplicate-reference]\n"
    )


def test_key_collision_gets_a_suffix(tiny: TinySite, services: FakeServices) -> None:
    services.answer_li2010()
    tiny.write("references/new.bib", "@article{Li2010mTOR,\n  title = {Another paper},\n  year = {2010},\n  author = {Li, Q.},\n"
                                     "  doi = {10.1000/another},\n  design = {other},\n}\n")
    result = run(tiny, services, DOI)
    assert result.code == 0, result.err
    assert result.out[0] == "added 'li2010mtorb' at references/new.bib:10; set its design (the comment above it lists the choices)"
    keys = [r.key for r in parse_file(tiny.root / "references/new.bib", "references/new.bib").references]
    assert keys == ["Li2010mTOR", "li2010mtorb"]


def test_append_never_touches_the_existing_entries(tiny: TinySite, services: FakeServices) -> None:
    services.answer_li2010()
    # Odd but valid: CRLF line ends, a comment, no newline at the end of the file.
    old = (
        b"% mechanism papers\r\n@article{zanos2016,\r\n  title = {NMDAR inhibition-independent},\r\n  year = {2016},\r\n"
        b"  author = {Zanos, P.},\r\n  doi = {10.1038/nature17998},\r\n  design = {animal/in-vitro/mechanistic},\r\n}"
    )
    target = tiny.write("references/new.bib", old)
    target.chmod(0o640)
    result = run(tiny, services, DOI)
    assert result.code == 0, result.err
    new = target.read_bytes()
    assert new[: len(old)] == old
    assert new[len(old) :] == b"\n\n" + li2010_entry(services.url).encode("utf-8")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (tiny.root / "references").iterdir()) == ["main.bib", "new.bib"]  # no temporary file left


def test_append_refuses_when_the_file_changed_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "new.bib"
    target.write_text("@article{a,}\n", encoding="utf-8")
    with pytest.raises(bibwriter.FileChanged):
        bibwriter.append_entry(target, "@article{b,}\n", b"something else")
    assert target.read_text(encoding="utf-8") == "@article{a,}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.bib"]


def test_several_identifiers_are_added_in_turn_and_the_second_of_one_work_is_refused(tiny: TinySite, services: FakeServices) -> None:
    services.answer_li2010()
    result = run(tiny, services, DOI, f"pmid:{PMID}")
    assert result.code == 1
    assert result.out[0].startswith("added 'li2010mtor' at references/new.bib:2")
    assert result.err == f"references/new.bib:2:1: error: pmid {PMID} is already in the bibliography as 'li2010mtor'; cite that key [duplicate-reference]\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["20724638"], "add_reference.py: error: '20724638' looks like a PubMed id; write pmid:20724638\n"),
        (["pmid:abc"], "add_reference.py: error: 'pmid:abc' is not a PubMed id: write pmid: and its digits, e.g. pmid:20724638\n"),
        (["--bib", "docs/new.bib", DOI], "add_reference.py: error: --bib docs/new.bib: the file must be a .bib file directly in references/,"
                                         " where the checker reads the bibliography\n"),
    ],
)
def test_bad_command_lines_exit_2_before_any_request(tiny: TinySite, services: FakeServices, args: list[str], message: str) -> None:
    result = run(tiny, services, *args)
    assert (result.code, result.err) == (2, message)
    assert services.requests == []


# --- verifying ---------------------------------------------------------------------------------

VERIFY_BIB = f"""\
@article{{li2010mtor,
  author = {{Li, Nanxin and others}},
  title = {{MTOR dependent synapse-formation underlies the rapid antidepressant effects of NMDA antagonists.}},
  journal = {{Science}},
  year = {{2010}},
  doi = {{{DOI}}},
  pmid = {{{PMID}}},
  design = {{animal/in-vitro/mechanistic}},
}}

@article{{li2011wrong,
  author = {{Li, Nanxin and others}},
  title = {{{{mTOR}}-dependent synapse formation underlies rapid antidepressant effects}},
  journal = {{Science}},
  year = {{2011}},
  doi = {{{DOI}}},
  design = {{animal/in-vitro/mechanistic}},
}}

@article{{wakefield1998ileal,
  author = {{Wakefield, A. J. and Murch, S. H. and Anthony, A. and others}},
  title = {{Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in children}},
  journal = {{The Lancet}},
  year = {{1998}},
  doi = {{{WAKEFIELD_DOI}}},
  pmid = {{9500320}},
  design = {{open-label/case-series}},
}}

@article{{gone2020,
  author = {{Nobody, A.}},
  title = {{Not registered}},
  year = {{2020}},
  doi = {{10.9999/gone}},
  design = {{other}},
}}

@misc{{clinic,
  organization = {{A clinic}},
  title = {{A web page}},
  year = {{n.d.}},
  url = {{https://example.org/}},
  design = {{other}},
}}
"""


def test_verify_reports_mismatches_retractions_and_missing_works(tiny: TinySite, services: FakeServices) -> None:
    services.answer_li2010()
    services.answer("/crossref/works/10.1016/S0140-6736(97)11096-0", "crossref/wakefield1998ileal.json")
    services.answer("/eutils/esummary.fcgi?db=pubmed&id=9500320&retmode=json", "eutils/esummary-9500320.json")
    tiny.write("references/verify.bib", VERIFY_BIB)
    result = run(tiny, services, "--verify", "--bib", "references/verify.bib")
    bib = "references/verify.bib"
    assert result.out == [
        f"{bib}:11:1: error: entry 'li2011wrong': the title is not Crossref's \"mTOR-Dependent Synapse Formation Underlies the Rapid"
        " Antidepressant Effects of NMDA Antagonists\" (compared ignoring case and punctuation) [title-mismatch]",
        f"{bib}:11:1: error: entry 'li2011wrong': year 2011, but Crossref gives 2010 [year-mismatch]",
        f"{bib}:20:1: error: entry 'wakefield1998ileal': retracted: Crossref lists a retraction of this work,"
        " 10.1016/S0140-6736(10)60175-4 (2010, reported by retraction-watch) [retracted]",
        f"{bib}:20:1: error: entry 'wakefield1998ileal': retracted: PubMed marks it a \"Retracted Publication\" [retracted]",
        f"{bib}:30:1: error: entry 'gone2020': Crossref has no work with doi 10.9999/gone (HTTP 404 from {services.url}/crossref/works/10.9999/gone)"
        " [doi-not-found]",
        "4 entries verified (4 DOIs at Crossref, 2 PMIDs at PubMed): 5 errors",
    ]
    assert result.code == 1


def test_verify_passes_entries_that_match(tiny: TinySite, services: FakeServices) -> None:
    services.answer_li2010()
    tiny.write("references/verify.bib", VERIFY_BIB.split("\n\n")[0] + "\n")
    result = run(tiny, services, "--verify", "--bib", "references/verify.bib")
    assert (result.code, result.out) == (0, ["1 entries verified (1 DOIs at Crossref, 1 PMIDs at PubMed): 0 errors"])


def test_verify_reports_a_pmid_of_another_work_and_a_retraction_notice(tiny: TinySite, services: FakeServices) -> None:
    notice = "10.1016/S0140-6736(10)60175-4"
    services.answer(f"/crossref/works/{notice}", body=(
        b'{"status": "ok", "message": {"DOI": "10.1016/S0140-6736(10)60175-4", "type": "journal-article",'
        b' "title": ["Retraction\\u2014Ileal-lymphoid-nodular hyperplasia"], "issued": {"date-parts": [[2010, 2]]},'
        b' "update-to": [{"DOI": "10.1016/S0140-6736(97)11096-0", "type": "retraction", "label": "Retraction",'
        b' "updated": {"date-parts": [[2010, 2, 6]]}}]}}'))
    services.answer(ESUMMARY_LI, "eutils/esummary-20724638.json")
    tiny.write("references/verify.bib", "@article{notice2010,\n  title = {Retraction---Ileal-lymphoid-nodular hyperplasia},\n"
                                        f"  year = {{2010}},\n  doi = {{{notice}}},\n  pmid = {{{PMID}}},\n}}\n")
    result = run(tiny, services, "--verify", "--bib", "references/verify.bib")
    assert result.out[:3] == [
        "references/verify.bib:1:1: error: entry 'notice2010': PubMed gives doi 10.1126/science.1190287 for pmid 20724638,"
        f" but the entry's doi is {notice} [identifier-mismatch]",
        "references/verify.bib:1:1: error: entry 'notice2010': retracted: the doi is Crossref's record of a retraction notice,"
        f" which retracts {WAKEFIELD_DOI} [retracted]",
        "references/verify.bib:1:1: error: entry 'notice2010': the title is not PubMed's \"mTOR-dependent synapse formation underlies"
        " the rapid antidepressant effects of NMDA antagonists\" (compared ignoring case and punctuation) [title-mismatch]",
    ]
    assert result.code == 1


def test_verify_stops_with_exit_2_when_a_service_is_unreachable(tiny: TinySite, services: FakeServices) -> None:
    services.answer("/crossref/works/10.1016/S0006-3223(99)00230-9", status=502)
    result = run(tiny, services, "--verify")
    assert result.code == 2
    assert result.err == (
        f"add_reference.py: error: could not reach 127.0.0.1:{services.server.server_address[1]} after 3 attempts:"
        " HTTP 502 Bad Gateway; check your connection or use --timeout\n"
    )


# --- the parts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("10.1126/science.1190287", "doi", "10.1126/science.1190287"),
        (" doi:10.1126/science.1190287 ", "doi", "10.1126/science.1190287"),
        ("DOI:10.1126/science.1190287", "doi", "10.1126/science.1190287"),
        ("https://doi.org/10.1016/S0006-3223%2899%2900230-9", "doi", "10.1016/S0006-3223(99)00230-9"),
        ("http://dx.doi.org/10.1126/science.1190287", "doi", "10.1126/science.1190287"),
        ("pmid:20724638", "pmid", "20724638"),
        ("PMID: 20724638", "pmid", "20724638"),
        ("https://pubmed.ncbi.nlm.nih.gov/20724638/", "pmid", "20724638"),
    ],
)
def test_identifiers_in_every_accepted_form(text: str, kind: str, value: str) -> None:
    assert identifiers.parse(text) == identifiers.Identifier(kind, value)


def test_something_else_is_not_an_identifier() -> None:
    with pytest.raises(identifiers.IdentifierError, match="is neither a DOI"):
        identifiers.parse("science.1190287")


@pytest.mark.parametrize(
    ("family", "title", "key"),
    [
        ("Müller-Lüdenscheidt", "The effect of ketamine", "muller-ludenscheidt2020effect"),
        ("O'Brien", "A randomized trial", "obrien2020randomized"),
        ("van der Berg", "On the use of esketamine", "vanderberg2020use"),
        ("Łukasiewicz", "(2R,6R)-hydroxynorketamine in mice", "lukasiewicz20202r"),
        ("李", "Of and the", "anon2020"),
    ],
)
def test_keys_from_family_name_year_and_first_significant_word(family: str, title: str, key: str) -> None:
    work = Work("article", title, "2020", (Author(family, "A."),))
    assert bibwriter.citation_key(work, ()) == key


def test_a_taken_key_gets_the_next_free_letter() -> None:
    work = Work("article", "Ketamine", "2020", (Author("Li", "N."),))
    assert bibwriter.citation_key(work, ["li2020ketamine", "LI2020KETAMINEB"]) == "li2020ketaminec"


def test_escaping_and_title_protection() -> None:
    assert bibwriter.escape("R&D: 50% of $5 #1 a_b {x} \\") == (
        "R\\&D: 50\\% of \\$5 \\#1 a\\_b {\\textbraceleft}x{\\textbraceright} {\\textbackslash}"
    )
    assert bibwriter.protect_title("mTOR and NMDA in iPSCs: Ketamine & R&D") == "{mTOR} and {NMDA} in {iPSCs}: Ketamine \\& R\\&D"


def test_people_pages_and_organisations() -> None:
    eleven = [Author(f"Author{n}", "A.") for n in range(11)]
    assert bibwriter.format_people(eleven).endswith("Author9, A. and others")
    assert bibwriter.format_people(eleven).count(" and ") == 10
    assert bibwriter.format_people([Author("Ketamine Study Group, UK", organisation=True)]) == "{Ketamine Study Group, UK}"
    assert [bibwriter.format_pages(p) for p in ("959-64", "959–964", "e1234", "1199-201")] == ["959--964", "959--964", "e1234", "1199--1201"]
