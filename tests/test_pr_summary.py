"""The pull-request summary: each kind of change in readers' terms, against a base commit of a tiny site's git history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pr_summary
from conftest import ARTICLE_PATH, CLAIMS, TinySite, claim_path, git

TODAY = "2026-06-01"
HEADING = "## What this change means for readers"
PASSES = "On the new tree the checker finds 0 errors and 0 warnings: it passes with `--strict`."
RATING_HEADER = ["| Claim | Before | After | Correction logged |", "| --- | --- | --- | --- |"]


def run(site: TinySite, *args: str) -> tuple[int, str, str]:
    site.capsys.readouterr()
    code = pr_summary.main(["--root", str(site.root), "--today", TODAY, *args])
    captured = site.capsys.readouterr()
    return code, captured.out, captured.err


def summary(site: TinySite, *args: str) -> list[str]:
    code, out, err = run(site, "--base", "main", *args)
    assert code == 0, err
    assert err == ""
    return out.splitlines()


def sections(lines: list[str]) -> list[str]:
    return [line.removeprefix("### ") for line in lines if line.startswith("### ")]


def section(lines: list[str], title: str) -> list[str]:
    """The non-blank lines under one ### heading."""
    start = lines.index(f"### {title}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("### ")), len(lines))
    return [line for line in lines[start + 1:end] if line]


def base_line(site: TinySite) -> str:
    commit = git(site.root, "rev-parse", "main").strip()
    return f"Compared with `{commit[:12]}` (`main`)."


def test_no_change(repo: TinySite) -> None:
    repo.write("docs/index.md", "# Home, reworded\n")  # not a claim, a reference or an article
    assert summary(repo) == [
        HEADING, "", base_line(repo), "",
        "No reader-visible change to claims, references or articles.", "",
        "### Checker", "", PASSES,
    ]


def test_claim_added(repo: TinySite) -> None:
    repo.replace(ARTICLE_PATH, '  - quote: "Book your infusion today."\n    reason: advertising\n', "")
    repo.write(claim_path("book-today"), """\
---
quote: "Book your infusion today."
claim: "Patients should book an infusion today."
claim_short: "Book an infusion today"
verdict: unsupported
certainty: very-low
certainty_rationale: "No evidence either way."
bottom_line: "It is very uncertain whether booking today helps anyone."
sources:
  - key: berman2000
    stance: context
    note: "An early trial."
reviewed: 2026-01-01
---
No study tested urgency [@berman2000].
""")
    lines = summary(repo)
    assert sections(lines) == ["Claims added", "Other edits", "Checker"]
    assert section(lines, "Claims added") == [
        "| Claim | Verdict | Certainty | In short |",
        "| --- | --- | --- | --- |",
        "| `book-today` | Unsupported | Very low certainty | Book an infusion today |",
    ]
    assert section(lines, "Other edits") == ["| Page | What changed |", "| --- | --- |", "| article `test-article` | the non-claims |"]
    assert lines[-1] == PASSES


def test_claim_removed(repo: TinySite) -> None:
    repo.remove(claim_path("most-patients"))
    lines = summary(repo)
    assert sections(lines) == ["Claims removed", "Checker"]
    assert section(lines, "Claims removed") == [
        "| Claim | Verdict | Certainty | In short |",
        "| --- | --- | --- | --- |",
        "| `most-patients` | Needs context | Very low certainty | Most patients respond to ketamine |",
    ]
    # The article's last sentence is now nobody's: the checker says so, and where.
    assert section(lines, "Checker") == [
        "On the new tree the checker finds 0 errors and 1 warning: it fails with `--strict`.",
        "<details><summary>Problems</summary>",
        '- `docs/articles/test-article/index.md:16` warning: text in no claim\'s quote and no non-claim: '
        '"Ketamine works within hours for most patients"; add a claim or a non-claim with its reason [uncovered-text]',
        "</details>",
    ]


def test_verdict_change_without_and_with_a_correction(repo: TinySite) -> None:
    repo.replace(claim_path("works-fast"), "verdict: accurate", "verdict: mostly-accurate")
    lines = summary(repo)
    assert sections(lines) == ["Verdicts changed", "Checker"]
    assert section(lines, "Verdicts changed") == [*RATING_HEADER, "| `works-fast` | Accurate | Mostly accurate | **no** |"]
    # The history rule of --changed-only counts in the checker's result: CI would fail.
    assert section(lines, "Checker")[0] == "On the new tree the checker finds 0 errors and 1 warning: it fails with `--strict`."
    assert section(lines, "Checker")[2].startswith("- `docs/articles/test-article/claims/works-fast.md:5` warning: the verdict changed ")

    repo.replace(claim_path("works-fast"), "reviewed: 2026-01-01", (
        "reviewed: 2026-01-01\ncorrections:\n  - date: 2026-05-01\n    note: Re-rated after a new trial.\n    previous_verdict: accurate"
    ))
    lines = summary(repo)
    assert sections(lines) == ["Verdicts changed", "Corrections logged", "Checker"]
    assert section(lines, "Verdicts changed") == [*RATING_HEADER, "| `works-fast` | Accurate | Mostly accurate | yes |"]
    assert section(lines, "Corrections logged")[2] == "| `works-fast` | 2026-05-01 | Re-rated after a new trial. | Accurate |  |"
    assert lines[-1] == PASSES


def test_certainty_change(repo: TinySite) -> None:
    repo.replace(claim_path("safe-for-everyone"), "certainty: low", "certainty: very-low")
    repo.replace(claim_path("safe-for-everyone"), "Ketamine may cause side effects.", "It is very uncertain whether ketamine causes side effects.")
    lines = summary(repo)
    assert sections(lines) == ["Certainty changed", "Bottom lines changed", "Checker"]
    assert section(lines, "Certainty changed") == [*RATING_HEADER, "| `safe-for-everyone` | Low certainty | Very low certainty | **no** |"]


def test_bottom_line_changed(repo: TinySite) -> None:
    repo.replace(claim_path("works-fast"), "within hours.\"\nsources", "within a day.\"\nsources")
    lines = summary(repo)
    assert sections(lines) == ["Bottom lines changed", "Checker"]
    assert section(lines, "Bottom lines changed") == [
        "| Claim | Before | After |",
        "| --- | --- | --- |",
        "| `works-fast` | Ketamine probably relieves depression within hours. | Ketamine probably relieves depression within a day. |",
    ]
    assert lines[-1] == PASSES


def test_sources_added_removed_and_restanced(repo: TinySite) -> None:
    repo.replace(claim_path("safe-for-everyone"), "stance: contradicts", "stance: qualifies")
    repo.replace(claim_path("safe-for-everyone"), '  - key: berman2000\n    stance: context\n    note: "Early trial."\n', "")
    repo.replace(claim_path("works-fast"), "reviewed:", '  - key: short2018\n    stance: context\n    note: "Side effects."\nreviewed:')
    lines = summary(repo)
    assert sections(lines) == ["Sources changed", "Checker"]
    assert section(lines, "Sources changed") == [
        "| Claim | Source | Change | Stance |",
        "| --- | --- | --- | --- |",
        "| `safe-for-everyone` | `short2018` | stance changed | Contradicts → Qualifies |",
        "| `safe-for-everyone` | `berman2000` | removed | Context |",
        "| `works-fast` | `short2018` | added | Context |",
    ]


def test_references_added_removed_and_changed(repo: TinySite) -> None:
    bib = (repo.root / "references/main.bib").read_text(encoding="utf-8")
    berman, short = bib.split("\n\n@article{short2018")
    repo.write("references/main.bib", berman.replace("pages = {351--354}", "pages = {351--355}") + "\n")
    repo.write("references/more.bib", """\
@article{li2010,
  author = {Li, Nanxin},
  title = {{mTOR}-dependent synapse formation underlies the rapid antidepressant effects of {NMDA} antagonists},
  journal = {Science},
  year = {2010},
  doi = {10.1126/science.1190287},
  design = {animal},
}
""")
    lines = summary(repo)
    assert sections(lines) == ["References", "Checker"]
    assert section(lines, "References") == [
        "| Reference | Change | Title |",
        "| --- | --- | --- |",
        "| `berman2000` | changed (pages) | Antidepressant effects of ketamine in depressed patients |",
        "| `li2010` | added | mTOR-dependent synapse formation underlies the rapid antidepressant effects of NMDA antagonists |",
        "| `short2018` | removed | Side-effects associated with ketamine use in depression: a systematic review |",
    ]
    assert short  # the removed entry was there


def test_correction_logged_without_a_rating_change(repo: TinySite) -> None:
    repo.replace(claim_path("safe-for-everyone"), "reviewed: 2026-01-01", (
        "reviewed: 2026-01-01\ncorrections:\n  - date: 2026-05-01\n    note: \"Named the side effects.\""
    ))
    lines = summary(repo)
    assert sections(lines) == ["Corrections logged", "Checker"]
    assert section(lines, "Corrections logged") == [
        "| Claim | Date | Note | Previous verdict | Previous certainty |",
        "| --- | --- | --- | --- | --- |",
        "| `safe-for-everyone` | 2026-05-01 | Named the side effects. |  |  |",
    ]
    assert lines[-1] == PASSES


def test_articles_added_and_removed(repo: TinySite) -> None:
    old = repo.root / "docs/articles/test-article"
    new = repo.root / "docs/articles/second-article"
    old.rename(new)
    repo.replace("docs/articles/second-article/index.md", 'title: "A test article"', 'title: "A second article"')
    lines = summary(repo)
    assert sections(lines) == ["Articles", "Other edits", "Checker"]
    assert section(lines, "Articles") == [
        "| Article | Change | Title |",
        "| --- | --- | --- |",
        "| `second-article` | added | A second article |",
        "| `test-article` | removed | A test article |",
    ]
    # Claim ids are the site's own: a claim that moved with its article is the same claim, moved.
    assert section(lines, "Other edits")[2:] == [
        f"| claim `{claim_id}` | the article it belongs to |" for claim_id in ("most-patients", "safe-for-everyone", "works-fast")
    ]
    assert lines[-1] == PASSES


def test_other_edits(repo: TinySite) -> None:
    repo.replace(claim_path("works-fast"), "found improvement within hours", "found an improvement within hours")
    repo.replace(ARTICLE_PATH, "summary: \"Partly true:", "summary: \"Partly true, we find:")
    lines = summary(repo)
    assert sections(lines) == ["Other edits", "Checker"]
    assert section(lines, "Other edits") == [
        "| Page | What changed |",
        "| --- | --- |",
        "| article `test-article` | the editors' summary |",
        "| claim `works-fast` | the analysis |",
    ]


def test_cells_cannot_break_the_table(repo: TinySite) -> None:
    repo.replace(claim_path("works-fast"), "within hours.\"\nsources", "within hours | <b>*fast*</b> &amp;\"\nsources")
    row = section(summary(repo), "Bottom lines changed")[2]
    assert row == ("| `works-fast` | Ketamine probably relieves depression within hours. | "
                   "Ketamine probably relieves depression within hours \\| &lt;b&gt;\\*fast\\*&lt;/b&gt; &amp;amp; |")


def test_json(repo: TinySite) -> None:
    repo.replace(claim_path("works-fast"), "verdict: accurate", "verdict: mostly-accurate")
    code, out, _ = run(repo, "--base", "main", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["base"] == "main"
    assert data["base_commit"] == git(repo.root, "rev-parse", "main").strip()
    assert data["changed"] is True
    assert data["verdict_changes"] == [{"id": "works-fast", "before": "accurate", "after": "mostly-accurate", "correction_logged": False}]
    assert data["claims_added"] == data["references"] == data["corrections"] == []
    assert data["checker"]["errors"] == 0 and data["checker"]["warnings"] == 1 and data["checker"]["passes_strict"] is False
    assert data["checker"]["problems"][0]["rule"] == "uncorrected-verdict-change"


def test_output_file(repo: TinySite, tmp_path: Path) -> None:
    target = tmp_path / "out" / "summary.md"
    target.parent.mkdir()
    code, out, err = run(repo, "--base", "main", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8").splitlines()[0] == HEADING
    code, _, err = run(repo, "--base", "main", "--output", str(tmp_path / "out"))  # a folder
    assert code == 2
    assert err.startswith(f"pr_summary.py: error: cannot write {tmp_path / 'out'}: ")


def test_site_in_a_folder_of_its_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = TinySite(tmp_path / "site", capsys)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    site.replace(claim_path("works-fast"), "verdict: accurate", "verdict: mostly-accurate")
    lines = summary(site)
    assert sections(lines) == ["Verdicts changed", "Checker"]
    assert section(lines, "Verdicts changed")[2] == "| `works-fast` | Accurate | Mostly accurate | **no** |"


def test_files_the_site_does_not_read_are_not_compared(repo: TinySite) -> None:
    # At the base, a stray file and a link among the claims: the layout refuses both, so neither is a claim.
    repo.write(f"{CLAIMS}/notes.txt", "not a claim\n")
    (repo.root / CLAIMS / "link.md").symlink_to("works-fast.md")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "stray files")
    lines = summary(repo)
    assert sections(lines) == ["Checker"]
    assert "No reader-visible change to claims, references or articles." in lines
    assert section(lines, "Checker")[0] == "On the new tree the checker finds 2 errors and 0 warnings: it fails with `--strict`."


def test_usage_and_git_errors(repo: TinySite, tiny: TinySite) -> None:
    code, out, err = run(repo, "--base", "no-such-branch")
    assert (code, out) == (2, "")
    assert err == (f"pr_summary.py: error: --base no-such-branch: 'no-such-branch' is not a commit of the git repository at {repo.root} "
                   "(in a shallow clone, fetch it first: git fetch --depth=1 origin <sha>)\n")
    code, _, err = run(repo, "--base=--output=x")
    assert code == 2 and "is not a commit" in err
    code, _, err = run(repo)
    assert code == 2 and "the following arguments are required: --base" in err
    code, _, err = run(repo, "--base", "main", "--format", "html")
    assert code == 2 and "invalid choice: 'html'" in err
    code, _, err = run(repo, "--base", "main", "--today", "soon")
    assert code == 2 and err.splitlines()[-1] == "pr_summary.py: error: argument --today: 'soon' is not a date written YYYY-MM-DD"


def test_outside_a_git_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never find a repository above the test's folder
    site = TinySite(tmp_path / "site", capsys)
    code, _, err = run(site, "--base", "main")
    assert code == 2
    assert err == f"pr_summary.py: error: --base main: {site.root} is not inside a git repository\n"
