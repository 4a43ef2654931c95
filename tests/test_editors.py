"""Editors' tools: the claim scaffold, --changed-only against a git history, GitHub annotations, CI files."""

from __future__ import annotations

import re

import yaml

import check_claims
import new_claim
from conftest import REPO, VERDICTS, TinySite, claim_path, git

NEW_QUOTE = "Book your infusion today."


def scaffold(tiny: TinySite, *args: str) -> tuple[int, str, str]:
    tiny.capsys.readouterr()
    code = new_claim.main(["--root", str(tiny.root), *args])
    captured = tiny.capsys.readouterr()
    return code, captured.out, captured.err


def test_scaffold_writes_a_claim_the_checker_can_read(tiny: TinySite) -> None:
    tiny.replace("docs/articles/test-article/index.md", '  - quote: "Book your infusion today."\n    reason: advertising\n', "")
    code, out, _ = scaffold(tiny, "test-article", NEW_QUOTE)
    assert code == 0
    path = tiny.root / claim_path("book-your-infusion-today")
    assert out.splitlines()[0] == "Wrote docs/articles/test-article/claims/book-your-infusion-today.md (line 14 of the article)."
    text = path.read_text(encoding="utf-8")
    assert 'quote: "Book your infusion today."' in text
    assert f"# One of: {VERDICTS}" in text
    # Until the editor fills it in, the checker says exactly what is missing, and nothing is uncovered.
    problems = tiny.check().problems
    assert ("docs/articles/test-article/claims/book-your-infusion-today.md:9:1: error: 'verdict' is empty "
            f"(one of: {VERDICTS}) [missing-key]") in problems
    assert not any("unknown-reference" in line for line in problems)  # the template's examples are code
    assert not any("uncovered-text" in line for line in problems)


def test_scaffold_suggests_the_closest_passage_for_a_wrong_quote(tiny: TinySite) -> None:
    code, _, err = scaffold(tiny, "test-article", "Book an infusion today.")
    assert code == 1
    # The checker's own words (checking/quotes.py), with the place in the article.
    assert err == ('new_claim.py: quote not found in docs/articles/test-article/index.md; the closest passage at line 16, column 1 is: '
                   '"Book your infusion today."\n')
    assert not (tiny.root / "docs/articles/test-article/claims/book-infusion-today.md").exists()


def test_scaffold_refuses_an_already_claimed_quote(tiny: TinySite) -> None:
    before = sorted(p.name for p in (tiny.root / "docs/articles/test-article/claims").iterdir())
    code, _, err = scaffold(tiny, "test-article", "Ketamine works within hours.")
    assert code == 1
    assert err == "new_claim.py: those words are already claimed by docs/articles/test-article/claims/works-fast.md\n"
    assert sorted(p.name for p in (tiny.root / "docs/articles/test-article/claims").iterdir()) == before


def test_scaffold_asks_for_context_when_the_quote_repeats(tiny: TinySite) -> None:
    code, _, err = scaffold(tiny, "test-article", "within hours")
    assert code == 1
    assert "occurs 2 times in docs/articles/test-article/index.md, at line 14, column 16 (" in err
    assert "; line 16, column " in err and "add a prefix or suffix" in err
    code, _, _ = scaffold(tiny, "test-article", "within hours", "--suffix", " for most", "--id", "within-hours-most")
    assert code == 0
    assert 'suffix: " for most"' in (tiny.root / claim_path("within-hours-most")).read_text(encoding="utf-8")


def test_scaffold_never_overwrites(tiny: TinySite) -> None:
    code, _, err = scaffold(tiny, "test-article", NEW_QUOTE, "--id", "works-fast")
    assert code == 1
    assert "the id 'works-fast' is already used" in err


def test_changed_only_reports_just_the_changed_files(repo: TinySite) -> None:
    repo.replace(claim_path("works-fast"), "certainty: moderate", "certainty: sure")
    repo.replace(claim_path("most-patients"), "certainty: very-low", "certainty: maybe")
    git(repo.root, "commit", "-qam", "old problem")
    repo.replace(claim_path("works-fast"), "certainty: sure", "certainty: high")  # fixed on the branch
    full = repo.check()
    assert len(full.problems) == 1  # most-patients still has its problem
    result = repo.check("--changed-only", "HEAD")
    assert result.problems == []
    repo.replace(claim_path("safe-for-everyone"), "stance: contradicts", "stance: against")
    result = repo.check("--changed-only", "HEAD")
    assert [line.split(": error:")[0] for line in result.problems] == [f"{claim_path('safe-for-everyone')}:10:1"]
    assert result.code == 1


def test_changing_a_verdict_needs_a_correction(repo: TinySite) -> None:
    repo.replace(claim_path("works-fast"), "verdict: accurate", "verdict: mostly-accurate")
    result = repo.check("--changed-only", "main")
    assert result.problems == [
        f"{claim_path('works-fast')}:5:1: warning: the verdict changed from 'accurate' to 'mostly-accurate' since main; "
        "add a corrections entry with the date, previous_verdict: accurate and a note saying why [uncorrected-verdict-change]"
    ]
    # An entry that does not say what the verdict was is not enough.
    repo.replace(claim_path("works-fast"), "reviewed: 2026-01-01", "reviewed: 2026-01-01\ncorrections:\n  - date: 2026-05-01\n    note: Re-rated.")
    assert len(repo.check("--changed-only", "main").problems) == 1
    repo.replace(claim_path("works-fast"), "    note: Re-rated.", "    note: Re-rated.\n    previous_verdict: accurate")
    assert repo.check("--changed-only", "main").problems == []


def test_changed_only_with_an_unknown_ref_is_a_usage_error(repo: TinySite) -> None:
    result = repo.check("--changed-only", "no-such-branch")
    assert result.code == 2
    assert "'no-such-branch' is not a commit of the git repository" in result.stderr


WORKFLOW_COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def test_github_format_lines_are_workflow_commands(tiny: TinySite) -> None:
    tiny.replace(claim_path("works-fast"), "verdict: accurate", "verdict: acurate, really")
    tiny.remove(claim_path("most-patients"))
    lines = tiny.check("--format", "github").problems
    assert len(lines) == 2
    for line in lines:
        match = WORKFLOW_COMMAND.match(line)
        assert match, line
        props = dict(item.split("=", 1) for item in match.group("props").split(","))
        assert set(props) == {"file", "line", "col", "title"}
        assert (tiny.root / props["file"]).is_file()
        assert props["line"].isdigit()


def test_workflows_run_the_commands_the_readme_documents() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    steps = []
    for path in sorted((REPO / ".github/workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert workflow["jobs"], path
        for job in workflow["jobs"].values():
            steps += [step.get("run", "") for step in job["steps"]]
    commands = "\n".join(steps)
    for command in ("make test", "make build", "scripts/check_claims.py --format github"):
        assert command in commands
    for command in ("make test", "make build", "check_claims.py"):
        assert command in readme
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "make test" in ci
    hooks = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["entry"] == "make check"
    assert check_claims.main  # the entry point the workflows call exists
