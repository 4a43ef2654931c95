"""The rules added for editors and for the truth of the content: each bad input, its exact message, file and line."""

from __future__ import annotations

import pytest

from conftest import ARTICLE_PATH, TinySite, claim_path

FAST = claim_path("works-fast")
SAFE = claim_path("safe-for-everyone")
MOST = claim_path("most-patients")
BIB = "references/main.bib"


def problems(tiny: TinySite, *args: str) -> list[str]:
    return tiny.check(*args).problems


def test_claim_short_is_required_and_at_most_75_characters(tiny: TinySite) -> None:
    tiny.replace(FAST, 'claim_short: "Ketamine relieves depression within hours"', f'claim_short: "{"x" * 76}"')
    assert problems(tiny) == [f"{FAST}:4:1: error: 'claim_short' is 76 characters; at most 75 (shorten it) [too-long]"]
    tiny.replace(FAST, f'claim_short: "{"x" * 76}"\n', "")
    assert problems(tiny) == [f"{FAST}:13:1: error: missing required key 'claim_short' [missing-key]"]


def test_missing_vocabulary_key_lists_the_allowed_values(tiny: TinySite) -> None:
    tiny.replace(FAST, "certainty: moderate\n", "")
    assert problems(tiny) == [
        f"{FAST}:13:1: error: missing required key 'certainty' (one of: high, moderate, low, very-low, documentary) [missing-key]"
    ]


@pytest.mark.parametrize(
    ("claim", "old", "new", "words"),
    [
        (FAST, "Ketamine probably relieves", "Ketamine relieves", '"probably" or "likely"'),
        (SAFE, "Ketamine may cause", "Ketamine causes", '"may"'),
        (MOST, "It is very uncertain whether most patients respond", "Most patients may respond", '"very uncertain"'),
    ],
)
def test_bottom_line_is_worded_as_its_certainty_asks(tiny: TinySite, claim: str, old: str, new: str, words: str) -> None:
    tiny.replace(claim, old, new)
    (problem,) = problems(tiny)
    assert problem.startswith(f"{claim}:")
    assert problem.endswith(f"says so with {words} (GRADE's wording for it) [bottom-line-wording]")


def test_unlikely_is_not_likely(tiny: TinySite) -> None:
    tiny.replace(FAST, "Ketamine probably relieves depression within hours.", "Ketamine is unlikely to fail within hours.")
    assert len(problems(tiny)) == 1


def test_high_certainty_and_documentary_need_no_hedge(tiny: TinySite) -> None:
    tiny.replace(MOST, "certainty: very-low", "certainty: documentary")
    tiny.replace(MOST, "It is very uncertain whether most patients respond; many do.", "Many, not most, patients respond.")
    assert problems(tiny) == []


def test_review_in_the_future(tiny: TinySite) -> None:
    tiny.replace(FAST, "reviewed: 2026-01-01", "reviewed: 2026-07-01")
    assert problems(tiny) == [
        f"{FAST}:13:1: error: reviewed 2026-07-01 is later than today (2026-06-01); use the date of the review [future-review]"
    ]


def test_correction_in_the_future(tiny: TinySite) -> None:
    tiny.replace(FAST, "reviewed: 2026-01-01", 'reviewed: 2026-01-01\ncorrections:\n  - date: 2027-01-01\n    note: "Later."')
    assert problems(tiny) == [f"{FAST}:15:1: error: the correction dated 2027-01-01 is later than today (2026-06-01) [future-review]"]


def test_recheck_by_date_passed_warns_and_fails_strict(tiny: TinySite) -> None:
    tiny.replace(FAST, "reviewed: 2026-01-01", "reviewed: 2026-01-01\nrecheck_by: 2026-05-01")
    result = tiny.check()
    assert result.problems == [
        f"{FAST}:14:1: warning: due for re-checking since 2026-05-01: check it against what has happened since, then update 'reviewed' "
        "and 'recheck_by' [recheck-due]"
    ]
    assert result.code == 0
    assert tiny.check("--strict").code == 1
    tiny.replace(FAST, "recheck_by: 2026-05-01", "recheck_by: 2026-07-01")
    assert problems(tiny) == []


def test_source_never_cited_in_the_analysis(tiny: TinySite) -> None:
    tiny.replace(SAFE, "Side effects are common [@short2018; @berman2000].", "Side effects are common [@short2018].")
    assert problems(tiny) == [
        f"{SAFE}:13:1: warning: 'berman2000' is listed in sources but never cited in the analysis; cite it as [@berman2000] "
        "where the analysis relies on it, or remove it [source-not-cited]"
    ]


def test_the_same_quote_claimed_twice(tiny: TinySite) -> None:
    again = claim_path("works-fast-again")
    tiny.write(again, (tiny.root / FAST).read_text(encoding="utf-8"))
    assert problems(tiny) == [
        f"{FAST}:2:1: error: {again} quotes exactly the same words; merge the two claims, or quote what each one checks [duplicate-quote]"
    ]


def test_a_non_claim_that_overlaps_a_claim(tiny: TinySite) -> None:
    tiny.replace(ARTICLE_PATH, '  - quote: "say our doctors"\n    reason: framing', '  - quote: "say our doctors"\n    reason: framing\n'
                 '  - quote: "safe for everyone"\n    reason: opinion')
    assert problems(tiny) == [
        f'{ARTICLE_PATH}:12:1: error: the non-claim "safe for everyone" overlaps the quote of {SAFE}; remove the non-claim or shorten '
        "one of the two [claimed-non-claim]"
    ]


def test_key_claims_must_be_claims_of_the_article(tiny: TinySite) -> None:
    tiny.replace(ARTICLE_PATH, "non_claims:", "key_claims: [works-fast, works-fst]\nnon_claims:")
    assert problems(tiny) == [
        f"{ARTICLE_PATH}:7:1: error: key_claims names 'works-fst', which is not a claim of this article (did you mean 'works-fast'?) [unknown-claim]"
    ]


def test_summary_is_required_and_bounded(tiny: TinySite) -> None:
    tiny.replace(ARTICLE_PATH, 'summary: "Partly true: ketamine works fast, but it is not safe for everyone."', f'summary: "{"y" * 701}"')
    assert problems(tiny) == [f"{ARTICLE_PATH}:6:1: error: 'summary' is 701 characters; at most 700 (shorten it) [too-long]"]


def test_a_notice_must_be_type_doi_and_date(tiny: TinySite) -> None:
    tiny.replace(BIB, "design = {rct},", "design = {rct},\n  notices = {retracted 2024; retraction 10.1000/xyz 2024-08-01; concern 10.1000/abc 2024-01-01},")
    assert problems(tiny) == [
        f"{FAST}:10:1: error: 'berman2000' supports this claim but has a retraction (2024-08-01): cite the notice (doi 10.1000/xyz) "
        "in the analysis [notice-unaddressed]",
        f"{BIB}:1:1: error: entry 'berman2000': the notice 'retracted 2024' is not 'type DOI YYYY-MM-DD' "
        "(type one of: retraction, expression-of-concern, withdrawal, erratum) [bad-notice]",
        f"{BIB}:1:1: error: entry 'berman2000': unknown notice type 'concern'; one of: retraction, expression-of-concern, withdrawal, erratum [unknown-term]",
    ]


def test_a_retraction_on_a_supporting_source_needs_a_new_review_that_cites_it(tiny: TinySite) -> None:
    tiny.replace(BIB, "design = {rct},", "design = {rct},\n  notices = {retraction 10.1000/retract 2026-03-01},")
    assert problems(tiny) == [
        f"{FAST}:10:1: error: 'berman2000' supports this claim but has a retraction (2026-03-01): review the claim after 2026-03-01 "
        "and cite the notice (doi 10.1000/retract) in the analysis [notice-unaddressed]"
    ]
    tiny.replace(FAST, "reviewed: 2026-01-01", "reviewed: 2026-04-01")
    tiny.replace(FAST, "[@berman2000, p. 352].", "[@berman2000, p. 352], since retracted (doi 10.1000/retract).")
    assert problems(tiny) == []


def test_an_erratum_asks_for_nothing(tiny: TinySite) -> None:
    tiny.replace(BIB, "design = {rct},", "design = {rct},\n  notices = {erratum 10.1000/fix 2026-03-01},")
    assert problems(tiny) == []


def test_summary_counts_claim_files_that_could_not_be_read(tiny: TinySite) -> None:
    tiny.write(FAST, "---\nquote: [broken\n---\n")
    result = tiny.check()
    assert result.summary.startswith("3 claim files (1 could not be read), 2 references; 5 files read: ")


def test_explain_prints_a_rule(tiny: TinySite, capsys: pytest.CaptureFixture[str]) -> None:
    import check_claims

    assert check_claims.main(["--explain", "bottom-line-wording"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("bottom-line-wording (error; claims)\n\nThe bottom line is not worded as its certainty asks")
    assert "Fix: Use the certainty's wording" in out and "Example:" in out and "Fixed:" in out
    assert check_claims.main(["--explain", "bottom-line"]) == 2
    assert "no rule 'bottom-line' (did you mean 'bottom-line-wording'?)" in capsys.readouterr().err
