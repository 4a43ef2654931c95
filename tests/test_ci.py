"""The repository's GitHub files: workflows a maintainer can trust, Dependabot, code owners, the reader's issue form.

Read as files (PyYAML, and the raw text where YAML drops comments); nothing here uses the network.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from factcheck.site.render import Settings

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))

# Actions that may be used by tag rather than by commit, each with the reason. Empty: every action
# in the workflows is pinned to a commit that was checked against the action's releases.
UNPINNED_ALLOWED: dict[str, str] = {}

PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)\s*(?:#\s*(?P<comment>.*))?$")
VERSION = re.compile(r"^v\d+\.\d+\.\d+$")
CHECK_STEP_IDS = ("checker", "summary", "tests", "build")  # and the uploads after them


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    return on if isinstance(on, dict) else {name: None for name in ([on] if isinstance(on, str) else on)}


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def step(steps_: list[dict[str, Any]], step_id: str) -> dict[str, Any]:
    return next(s for s in steps_ if s.get("id") == step_id)


@pytest.fixture(scope="module")
def checks() -> dict[str, Any]:
    return load(GITHUB / "workflows/checks.yml")


@pytest.fixture(scope="module")
def deploy() -> dict[str, Any]:
    return load(GITHUB / "workflows/deploy.yml")


def test_every_action_is_pinned_by_commit_with_its_version() -> None:
    assert WORKFLOWS
    versions: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if USES_LINE.match(line)]
        parsed = [s["uses"] for job in load(path)["jobs"].values() for s in job.get("steps", []) if "uses" in s]
        assert len(lines) == len(parsed), f"{path.name}: every uses: is on its own line"
        for line in lines:
            match = USES_LINE.match(line)
            assert match
            ref, comment = match.group("ref"), (match.group("comment") or "").strip()
            if ref.startswith("./"):
                continue  # an action of this repository
            action = ref.split("@")[0]
            if action in UNPINNED_ALLOWED:
                continue
            pinned = PINNED.match(ref)
            assert pinned, f"{path.name}: {ref} is not pinned to a full commit SHA"
            assert VERSION.match(comment), f"{path.name}: {ref} needs its version as a comment, '# vX.Y.Z'"
            versions.setdefault(ref, set()).add(comment)
    # One commit, one version, in every workflow.
    assert all(len(names) == 1 for names in versions.values()), versions
    assert len({ref.split("@")[0] for ref in versions}) == len(versions), "an action is pinned to two commits"


def test_no_event_value_is_pasted_into_a_script() -> None:
    # A branch name or a title is the author's text; it reaches scripts only through env.
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for s in job.get("steps", []):
                assert "${{" not in s.get("run", ""), f"{path.name}: {s.get('name')}: use env for expressions"


def test_checks_run_on_pull_requests_main_and_the_merge_queue(checks: dict[str, Any]) -> None:
    on = triggers(checks)
    assert set(on) == {"pull_request", "push", "merge_group"}
    assert on["push"] == {"branches": ["main"]}
    assert checks["permissions"] == {"contents": "read"}


def test_checks_container_is_debian_with_room_for_chromium(checks: dict[str, Any]) -> None:
    container = checks["jobs"]["checks"]["container"]
    assert container["image"] == "python:3.11-bookworm"
    assert "--shm-size=2g" in container["options"].split()
    apt = next(s["run"] for s in steps(checks, "checks") if "apt-get install" in s.get("run", ""))
    assert "chromium" in apt.split() and "npm" in apt.split()


def test_pip_downloads_are_cached_by_the_pinned_requirements(checks: dict[str, Any], deploy: dict[str, Any]) -> None:
    for workflow, job in ((checks, "checks"), (deploy, "build")):
        cache = next(s for s in steps(workflow, job) if s.get("uses", "").startswith("actions/cache@"))
        assert cache["with"]["path"] == "~/.cache/pip"
        key = cache["with"]["key"]
        assert "hashFiles('requirements.txt', 'requirements-dev.txt', 'constraints.txt')" in key
        assert "kap-factcheck" not in cache["with"]["path"]  # the parse cache is pickles: never restored from CI's store


def test_checker_is_strict_against_the_events_base_commit(checks: dict[str, Any]) -> None:
    all_steps = steps(checks, "checks")
    checkout = all_steps[0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    base = step(all_steps, "base")
    assert base["env"] == {
        "PR_BASE": "${{ github.event.pull_request.base.sha }}",
        "MERGE_GROUP_BASE": "${{ github.event.merge_group.base_sha }}",
        "PUSH_BEFORE": "${{ github.event.before }}",
    }
    for event, variable in (("pull_request", "PR_BASE"), ("merge_group", "MERGE_GROUP_BASE"), ("push", "PUSH_BEFORE")):
        assert f'{event}) base="${variable}"' in base["run"]
    assert 'echo "sha=$base" >> "$GITHUB_OUTPUT"' in base["run"]
    checker = step(all_steps, "checker")
    assert checker["env"] == {"BASE": "${{ steps.base.outputs.sha }}"}
    assert '.venv/bin/python scripts/check_claims.py --format github --strict --changed-only "$BASE"' in checker["run"]
    assert all("--strict" in line for line in checker["run"].splitlines() if "check_claims.py" in line)


def test_every_check_runs_when_another_failed(checks: dict[str, Any]) -> None:
    all_steps = steps(checks, "checks")
    first = all_steps.index(step(all_steps, "checker"))
    checks_ = all_steps[first:]
    assert [s.get("id") for s in checks_ if s.get("id")] == list(CHECK_STEP_IDS)
    for s in checks_:
        condition = s.get("if", "")
        assert "!cancelled()" in condition.replace(" ", ""), f"{s['name']}: needs if: ${{{{ !cancelled() }}}}"
    # Set-up steps keep the default: after a failed set-up nothing is worth running.
    assert all("if" not in s for s in all_steps[:first])
    commands = {s.get("id"): s.get("run", "") for s in checks_}
    assert commands["tests"] == "make test"
    assert commands["build"] == "make build"


def test_pull_request_summary_goes_to_the_run_page_and_an_artifact(checks: dict[str, Any]) -> None:
    all_steps = steps(checks, "checks")
    summary = step(all_steps, "summary")
    assert summary["env"]["BASE"] == "${{ steps.base.outputs.sha }}"
    assert 'scripts/pr_summary.py --base "$BASE" --output "$OUT/pr-summary.md"' in summary["run"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in summary["run"]
    uploads = {s["with"]["name"]: s for s in all_steps if s.get("uses", "").startswith("actions/upload-artifact@")}
    assert set(uploads) == {"pr-summary", "site"}
    assert uploads["pr-summary"]["with"]["path"].rstrip("/") == summary["env"]["OUT"]
    assert "steps.summary.outcome == 'success'" in uploads["pr-summary"]["if"]
    assert uploads["site"]["with"]["path"] == "site/"
    assert "steps.build.outcome == 'success'" in uploads["site"]["if"]
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert summary["env"]["OUT"].split("/")[0] + "/" in ignored  # the summary never shows as a change


def test_deploy_builds_with_the_pages_address_and_the_repository(deploy: dict[str, Any]) -> None:
    assert set(triggers(deploy)) == {"push", "workflow_dispatch"}
    build_steps = steps(deploy, "build")
    pages = step(build_steps, "pages")
    assert pages["uses"].startswith("actions/configure-pages@")
    build = next(s for s in build_steps if s.get("run") == "make build")
    assert build_steps.index(pages) < build_steps.index(build)
    assert build["env"] == {
        "FACTCHECK_SITE_URL": "${{ steps.pages.outputs.base_url }}/",
        "FACTCHECK_REPO_URL": "${{ github.server_url }}/${{ github.repository }}",
    }
    upload = build_steps[build_steps.index(build) + 1]
    assert upload["uses"].startswith("actions/upload-pages-artifact@") and upload["with"]["path"] == "site/"
    assert steps(deploy, "deploy")[0]["uses"].startswith("actions/deploy-pages@")


def test_dependabot_proposes_actions_and_pip_weekly() -> None:
    config = load(GITHUB / "dependabot.yml")
    assert config["version"] == 2
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(updates) == {"github-actions", "pip"}
    assert all(update["schedule"]["interval"] == "weekly" and update["directory"] == "/" for update in updates.values())


def test_code_owners_are_placeholders_the_owner_fills_in() -> None:
    text = (GITHUB / "CODEOWNERS").read_text(encoding="utf-8")
    rules = [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert rules == [["*", "@OWNER/maintainers"], ["/docs/articles/", "@OWNER/editors"], ["/references/", "@OWNER/editors"]]
    comments = " ".join(line for line in text.splitlines() if line.startswith("#"))
    assert "replaces it with their GitHub organisation" in comments
    # No person or organisation is named on anyone's behalf: every @ is the placeholder's.
    assert re.findall(r"@[\w-]+", text) == re.findall(r"@OWNER\b", text)
    contributing = (REPO / "docs/contributing.md").read_text(encoding="utf-8")
    assert contributing.rsplit("\n## ", 1)[1].startswith("For maintainers\n")
    assert "`OWNER` is a placeholder" in contributing and "**2 approvals**" in contributing


def test_the_issue_form_takes_what_claim_pages_fill_in() -> None:
    form = load(GITHUB / "ISSUE_TEMPLATE/report-a-problem.yml")
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    assert fields["claim"]["type"] == fields["page"]["type"] == "input"
    assert fields["what-is-wrong"]["type"] == "textarea" and fields["what-is-wrong"]["attributes"]["label"] == "What is wrong"
    assert fields["what-is-wrong"]["validations"]["required"] is True
    assert fields["sources"]["type"] == "textarea" and fields["sources"]["attributes"]["label"] == "Sources"
    assert fields["sources"]["validations"]["required"] is False
    assert fields["kind"]["type"] == "dropdown"
    assert len(fields["kind"]["attributes"]["options"]) == 4
    assert load(GITHUB / "ISSUE_TEMPLATE/config.yml") == {"blank_issues_enabled": True}

    # The link on every claim page names this form and fills exactly its claim and page fields.
    class Claim:
        id = "works-fast"

    url = Settings("Site", "https://example.org/", "https://github.com/example/site").report_url(Claim(), "articles/a/claims/works-fast/")  # type: ignore[arg-type]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert (GITHUB / "ISSUE_TEMPLATE" / query["template"][0]).is_file()
    assert set(query) - {"template", "title"} == {"claim", "page"} <= set(fields)


def test_pull_request_checklist_asks_for_what_ci_checks() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert "`make check` is clean: no errors and no warnings" in text
    assert "`--strict`" in text
    assert "`previous_verdict`" in text and "two approvals" in text
