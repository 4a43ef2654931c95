"""The checker's rules, one bad input each: the exact message, file and line, and the exit code."""

from __future__ import annotations

import json

import pytest

from conftest import ARTICLE_PATH, VERDICTS, TinySite, claim_path

FAST = claim_path("works-fast")
FAST_HTML = "articles/test-article/claims/works-fast/index.html"
SAFE = claim_path("safe-for-everyone")
MOST = claim_path("most-patients")
BIB = "references/main.bib"


def only_problem(tiny: TinySite) -> str:
    result = tiny.check()
    assert len(result.problems) == 1, result.lines
    return result.problems[0]


def test_clean_site_passes(tiny: TinySite) -> None:
    result = tiny.check()
    assert result.code == 0
    assert result.lines == ["3 claim files, 2 references; 5 files read: 0 errors, 0 warnings; article text accounted for: 100.0%"]


def test_unknown_verdict_suggests_the_closest(tiny: TinySite) -> None:
    tiny.replace(FAST, "verdict: accurate", "verdict: acurate")
    result = tiny.check()
    assert result.code == 1
    assert result.problems == [
        f"{FAST}:5:1: error: unknown verdict 'acurate' (did you mean 'accurate'?); one of: {VERDICTS} [unknown-term]"
    ]
    assert result.summary.startswith("3 claim files, 2 references; 5 files read: 1 error, 0 warnings")


def test_unknown_certainty(tiny: TinySite) -> None:
    tiny.replace(FAST, "certainty: moderate", "certainty: medium")
    assert only_problem(tiny) == (
        f"{FAST}:6:1: error: unknown certainty 'medium'; one of: high, moderate, low, very-low, documentary [unknown-term]"
    )


def test_unknown_stance(tiny: TinySite) -> None:
    tiny.replace(FAST, "stance: supports", "stance: support")
    assert only_problem(tiny) == (
        f"{FAST}:10:1: error: unknown stance 'support' (did you mean 'supports'?); one of: supports, contradicts, qualifies, context [unknown-term]"
    )


def test_unknown_design(tiny: TinySite) -> None:
    tiny.replace(BIB, "design = {rct}", "design = {RCT}")
    problem = only_problem(tiny)
    assert problem.startswith(f"{BIB}:1:1: error: entry 'berman2000': unknown design 'RCT'")
    assert problem.endswith("[unknown-term]")


def test_unknown_reference_in_sources_suggests_the_closest(tiny: TinySite) -> None:
    tiny.replace(MOST, "key: berman2000", "key: berman200")
    result = tiny.check()
    assert f"{MOST}:10:1: error: no reference 'berman200' in references/*.bib (did you mean 'berman2000'?) [unknown-reference]" in result.problems
    assert result.code == 1


def test_unknown_reference_in_body_has_line_and_column(tiny: TinySite) -> None:
    tiny.replace(FAST, "[@berman2000, p. 352]", "[@bermann2000, p. 352]")
    result = tiny.check()
    assert f"{FAST}:15:58: error: no reference 'bermann2000' in references/*.bib (did you mean 'berman2000'?) [unknown-reference]" in result.problems


def test_claim_without_sources(tiny: TinySite) -> None:
    tiny.replace(MOST, "sources:\n  - key: berman2000\n    stance: qualifies\n    note: \"Small sample.\"\n", "sources: []\n")
    tiny.replace(MOST, "Response rates vary [@berman2000].", "Response rates vary.")
    assert only_problem(tiny) == f"{MOST}:9:1: error: the claim lists no sources; add at least one with its key, stance and note [no-source]"


def test_missing_required_keys(tiny: TinySite) -> None:
    tiny.replace(FAST, 'bottom_line: "Ketamine probably relieves depression within hours."\n', "")
    # Where the key would go: the closing --- of the front matter.
    assert only_problem(tiny) == f"{FAST}:13:1: error: missing required key 'bottom_line' [missing-key]"


def test_unknown_front_matter_key(tiny: TinySite) -> None:
    tiny.replace(FAST, "verdict: accurate", "verdict: accurate\nverdit: accurate")
    problem = only_problem(tiny)
    assert problem.startswith(f"{FAST}:6:1: error: unknown key 'verdit' (did you mean 'verdict'?); the keys are: quote, claim, claim_short,")
    assert problem.endswith("recheck_by, watch [unknown-key]")


def test_duplicate_key_within_a_file_reports_both_places(tiny: TinySite) -> None:
    tiny.write(BIB, (tiny.root / BIB).read_text() + "\n@article{berman2000,\n  title = {Again},\n}\n")
    result = tiny.check()
    assert f"{BIB}:1:1: error: reference key 'berman2000' is defined again at {BIB}:24 [duplicate-key]" in result.problems
    assert f"{BIB}:24:1: error: reference key 'berman2000' is already defined at {BIB}:1 [duplicate-key]" in result.problems


def test_duplicate_key_across_files_keeps_every_later_entry(tiny: TinySite) -> None:
    tiny.write("references/other.bib", "@misc{short2018,\n  title = {Copy},\n}\n\n@misc{later2020,\n  title = {Later}, year = {2020},\n"
               "  author = {Later, A.}, url = {https://example.org}, design = {other},\n}\n")
    result = tiny.check()
    assert f"references/other.bib:1:1: error: reference key 'short2018' is already defined at {BIB}:14 [duplicate-key]" in result.problems
    # pybtex alone would stop at the duplicate and lose later2020; the checker still sees it.
    assert "references/other.bib:5:1: warning: reference 'later2020' is cited by no claim; cite it or remove the entry [uncited-reference]" in result.problems


def test_quote_not_found_shows_the_closest_passage(tiny: TinySite) -> None:
    tiny.replace(FAST, 'quote: "Ketamine works within hours."', 'quote: "Ketamine works in hours."')
    result = tiny.check()
    assert (f'{FAST}:2:1: error: quote not found in {ARTICLE_PATH}; the closest passage at line 14, column 1 is: '
            '"Ketamine works within hours." [quote-not-found]') in result.problems


def test_quote_with_straight_apostrophe_reports_the_near_miss(tiny: TinySite) -> None:
    tiny.replace(ARTICLE_PATH, "say our doctors.", "say our doctors’ notes.")
    tiny.replace(ARTICLE_PATH, 'quote: "say our doctors"', 'quote: "say our doctors’ notes"')
    tiny.replace(ARTICLE_PATH, 'quote: "say our doctors’ notes"', "quote: \"say our doctors' notes\"")
    result = tiny.check()
    assert any(
        "quote not found in docs/articles/test-article/index.md; at line 14, column 55" in line
        and "the article spells it \"say our doctors’ notes\"" in line for line in result.problems
    ), result.lines


def test_ambiguous_quote_needs_a_prefix_or_suffix(tiny: TinySite) -> None:
    tiny.replace(FAST, 'quote: "Ketamine works within hours."', 'quote: "Ketamine works within hours"')
    result = tiny.check()
    assert (
        f'{FAST}:2:1: error: quote occurs 2 times in {ARTICLE_PATH}, at line 14, column 1 ("Ketamine works within hours.…"); '
        'line 16, column 27 ("…Book your infusion today. Ketamine works within hours…"): add a prefix '
        "or suffix with the words just before or after the one you mean [quote-ambiguous]"
        in result.problems
    )
    tiny.replace(FAST, 'quote: "Ketamine works within hours"', 'quote: "Ketamine works within hours"\nsuffix: ". It is"')
    assert tiny.check().code == 0


def test_prefix_that_matches_no_occurrence(tiny: TinySite) -> None:
    tiny.replace(FAST, 'quote: "Ketamine works within hours."', 'quote: "Ketamine works within hours."\nprefix: "Nope "')
    assert (
        f'{FAST}:2:1: error: quote found in {ARTICLE_PATH} at line 14, column 1 ("Ketamine works within hours.…"), '
        "but never with the given prefix/suffix directly around it; copy them from the article, spaces included [quote-context]"
        in tiny.check().problems
    )


def test_two_claims_with_the_same_id(tiny: TinySite) -> None:
    second = "docs/articles/second/index.md"
    tiny.write(second, "---\ntitle: Second\npublisher: P\nurl: https://example.org/2\nretrieved: 2026-01-01\nsummary: S\n---\n\n"
                       "Ketamine works within hours.\n")
    tiny.write("docs/articles/second/claims/works-fast.md", (tiny.root / FAST).read_text())
    result = tiny.check()
    assert (f"{FAST}:1:1: error: claim id 'works-fast' is also used by docs/articles/second/claims/works-fast.md; rename one file "
            "[duplicate-claim]") in result.problems


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        ("quote: [unclosed\n", ":3:1: error: invalid YAML: while parsing a flow sequence did not find expected ',' or ']' "
                                "(a list in [brackets] is never closed: end it with ]) [front-matter]"),
        ("- a\n- b\n", ":2:1: error: front matter must be a mapping of keys to values, not a list [front-matter]"),
        ("just a string\n", ":2:1: error: front matter must be a mapping of keys to values, not a string [front-matter]"),
        ("quote: a\nquote: b\n", ":3:1: error: key 'quote' is given twice (first on line 2); keep one [front-matter]"),
        ("reviewed: 2026-13-45\n", ":2:11: error: invalid YAML: month must be in 1..12 [front-matter]"),
    ],
)
def test_malformed_front_matter(tiny: TinySite, front_matter: str, expected: str) -> None:
    tiny.write(FAST, f"---\n{front_matter}---\nBody\n")
    result = tiny.check()
    assert result.code == 1
    assert f"{FAST}{expected}" in result.problems, result.lines


def test_not_utf8(tiny: TinySite) -> None:
    tiny.write(FAST, b"---\nquote: \"caf\xe9\"\n---\n")
    assert f"{FAST}:2:12: error: the file is not UTF-8 (byte 0xe9); save it as UTF-8 [encoding]" in tiny.check().problems


def test_crlf_and_byte_order_mark_are_accepted(tiny: TinySite) -> None:
    text = (tiny.root / FAST).read_text(encoding="utf-8")
    tiny.write(FAST, "\ufeff".encode() + text.replace("\n", "\r\n").encode("utf-8"))
    assert tiny.check().code == 0


def test_bib_syntax_error_has_its_line(tiny: TinySite) -> None:
    tiny.write("references/broken.bib", "@article{x,\n  title = {Open\n")
    result = tiny.check()
    assert result.problems == ["references/broken.bib:2:1: error: BibTeX syntax error: premature end of file [bib-syntax]"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  title = {Side-effects associated with ketamine use in depression: a systematic review},\n", "", "missing field 'title'"),
        ("  year = {2018},\n", "", "missing field 'year' (four digits, or n.d. for an undated web document)"),
        ("  author = {Short, Brooke and Fong, Joanna},\n", "", "missing field 'author' (or 'organization' for a document by an institution)"),
        ("  doi = {10.1016/S2215-0366(17)30272-9},\n  pmid = {28757132},\n", "", "needs a 'doi' or a 'pmid' (or a 'url' for a document that has neither)"),
        ("doi = {10.1016/S2215-0366(17)30272-9}", "doi = {https://doi.org/10.1016/x}", "'https://doi.org/10.1016/x' is not a DOI (10.NNNN/suffix, without https://doi.org/)"),
        ("pmid = {28757132}", "pmid = {PMC123}", "'PMC123' is not a PubMed id (digits only)"),
        ("pmid = {28757132}", "url = {javascript:alert(1)}", "'javascript:alert(1)' is not an http: or https: URL"),
        ("year = {2018}", "year = {n.d.}", "year 'n.d.' is not four digits (n.d. is only for an undated document with a url and no doi or pmid)"),
    ],
)
def test_reference_fields(tiny: TinySite, old: str, new: str, message: str) -> None:
    tiny.replace(BIB, old, new)
    result = tiny.check()
    assert result.code == 1
    assert any(line.startswith(f"{BIB}:14:1: error: entry 'short2018': {message}") for line in result.problems), result.lines


def test_certainty_above_the_designs_ceiling(tiny: TinySite) -> None:
    tiny.replace(SAFE, "certainty: low", "certainty: moderate")
    tiny.replace(SAFE, "may cause", "probably causes")
    assert only_problem(tiny) == (
        f"{SAFE}:6:1: error: certainty 'moderate' is above 'low': its strongest supporting or contradicting source, "
        "'short2018', is a cohort or case-control study [certainty-ceiling]"
    )


def test_certainty_upgrade_lifts_the_ceiling_one_level(tiny: TinySite) -> None:
    tiny.replace(SAFE, "certainty: low", "certainty: moderate\ncertainty_upgrade: large-effect")
    tiny.replace(SAFE, "may cause", "probably causes")
    assert tiny.check().code == 0
    tiny.replace(SAFE, "certainty: moderate", "certainty: high")
    tiny.replace(SAFE, "probably causes", "causes")
    assert "even with its certainty_upgrade" in only_problem(tiny)


def test_documentary_certainty_has_no_ceiling(tiny: TinySite) -> None:
    tiny.replace(MOST, "certainty: very-low", "certainty: documentary")
    assert tiny.check().code == 0


def test_warnings_do_not_fail_unless_strict(tiny: TinySite) -> None:
    tiny.write("references/extra.bib", "@misc{who2020,\n  organization = {WHO},\n  title = {T},\n  year = {2020},\n  url = {https://who.int},\n"
               "  design = {other},\n}\n")
    result = tiny.check()
    assert result.problems == ["references/extra.bib:1:1: warning: reference 'who2020' is cited by no claim; cite it or remove the entry [uncited-reference]"]
    assert result.code == 0
    assert tiny.check("--strict").code == 1


def test_uncovered_text_is_printed(tiny: TinySite) -> None:
    tiny.remove(MOST)
    result = tiny.check()
    assert result.problems == [
        f'{ARTICLE_PATH}:16:27: warning: text in no claim\'s quote and no non-claim: "Ketamine works within hours for most patients"; '
        "add a claim or a non-claim with its reason [uncovered-text]"
    ]
    assert result.summary.endswith("article text accounted for: 66.4%")


def test_stale_review(tiny: TinySite) -> None:
    tiny.replace(FAST, "reviewed: 2026-01-01", "reviewed: 2025-01-01")
    assert only_problem(tiny) == f"{FAST}:13:1: warning: last reviewed 2025-01-01, more than 12 months ago; review it and update 'reviewed' [stale-review]"


def test_citation_missing_from_sources_and_bare_keys(tiny: TinySite) -> None:
    tiny.replace(FAST, "[@berman2000, p. 352].", "[@berman2000, p. 352] [@short2018]. As @berman2000 showed.")
    result = tiny.check()
    assert result.problems == [
        f"{FAST}:15:80: warning: 'short2018' is cited in the analysis but not listed in sources; add it with its stance [citation-not-in-sources]",
        f"{FAST}:15:96: warning: '@berman2000' outside brackets is not a citation; write [@berman2000] [bare-citation]",
    ]


def test_citations_in_code_and_email_addresses_are_ignored(tiny: TinySite) -> None:
    tiny.replace(FAST, "[@berman2000, p. 352].", "[@berman2000]. Write `[@nokey]` to cite; mail editor@nokey.org.\n\n```\n[@nokey2]\n```\n")
    assert tiny.check().code == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<script>alert(1)</script>", "15:1: error: raw HTML <script> is shown as text in a claim's analysis; write Markdown instead [raw-html]"),
        ('<sup onclick="alert(1)">1</sup>', "15:1: error: raw HTML <sup> is shown as text"),
        ("[click](javascript:alert(1))",
         "15:9: error: the link 'javascript:alert(1)' uses 'javascript:'; only http: and https: links are allowed [unsafe-link]"),
        ("[click](jav&#x61;script:alert(1))", "15:9: error: the link 'jav&#x61;script:alert(1)' uses 'javascript:'"),
        ("[click](java\nscript:alert(1))", "15:9: error: the link 'java⏎script:alert(1)' uses 'javascript:'"),
        ("![pixel](https://tracker.example/p.gif)", "15:10: error: the image 'https://tracker.example/p.gif' is not a file of this site"),
        ("[x]: data:text/html,hi", "15:6: error: the link 'data:text/html,hi' uses 'data:'"),
        ("<vbscript:msgbox(1)>", "15:2: error: the link 'vbscript:msgbox(1)' uses 'vbscript:'"),
        ("Text.\n{: onclick=\"alert(1)\" }", "16:1: warning: the attribute list '{: onclick=\"alert(1)\" }' is not supported in a claim"),
        ("[ok](https://example.org){: href=\"javascript:alert(2)\" }", "15:26: warning: the attribute list"),
        ("A \ue0000\ue001 placeholder", "15:3: error: the character U+E000 (a control or private-use character) is removed"),
    ],
)
def test_unsafe_body(tiny: TinySite, body: str, message: str) -> None:
    tiny.replace(FAST, "A small randomised trial found improvement within hours [@berman2000, p. 352].", body + " [@berman2000]")
    result = tiny.check()
    assert result.code == (1 if ": error:" in message else 0)
    assert any(line.startswith(f"{FAST}:{message}") for line in result.problems), result.lines


def test_markdown_of_the_allowed_dialect_passes(tiny: TinySite) -> None:
    tiny.replace(FAST, "improvement within hours", "improvement *within* **hours** (see [the trial](https://doi.org/10.1/x))[^1]\n\n"
                 "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n[^1]: A footnote.\n\n# A heading\n\n```python\nx = '<b>'\n```\n\n> quoted\n\n"
                 "1. one\n2. two\n")
    assert tiny.check().code == 0
    page = tiny.build()[FAST_HTML]
    assert '<th align="left">a</th>' in page and '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in page
    assert '<h3 id="analysis-a-heading">A heading</h3>' in page and "<pre><code>x = '&lt;b&gt;'\n</code></pre>" in page


def test_github_format(tiny: TinySite) -> None:
    tiny.replace(FAST, "verdict: accurate", "verdict: acurate")
    result = tiny.check("--format", "github")
    assert result.lines[0] == (
        f"::error file={FAST},line=5,col=1,title=unknown-term::unknown verdict 'acurate' (did you mean 'accurate'?); one of: {VERDICTS}"
    )


def test_json_format(tiny: TinySite) -> None:
    tiny.replace(FAST, "verdict: accurate", "verdict: acurate")
    result = tiny.check("--format", "json")
    problems = json.loads("\n".join(result.lines))
    assert problems == [
        {
            "path": FAST,
            "line": 5,
            "col": 1,
            "level": "error",
            "rule": "unknown-term",
            "message": f"unknown verdict 'acurate' (did you mean 'accurate'?); one of: {VERDICTS}",
        }
    ]


def test_usage_errors_exit_2(tiny: TinySite) -> None:
    assert tiny.check("--format", "xml").code == 2
    assert tiny.check("--root", str(tiny.root / "nowhere")).code == 2
    wrong_date = tiny.check("--today", "2026-13-01")
    assert wrong_date.code == 2
    assert wrong_date.stderr.splitlines()[-1] == "check_claims.py: error: argument --today: '2026-13-01' is not a date written YYYY-MM-DD"


def test_symlink_outside_the_project_is_refused(tiny: TinySite, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.bib"
    outside.write_text("@misc{s, title={S}}\n")
    (tiny.root / "references/link.bib").symlink_to(outside)
    assert "references/link.bib:1:1: error: the file is a link to a place outside the project; it is not read [outside-root]" in tiny.check().problems
