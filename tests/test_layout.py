"""The code's layout holds: stages import only the stages before them, and every rule is declared once and documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import SCRIPTS, TinySite
from factcheck.model.registry import FAMILIES, RULES

PACKAGE = SCRIPTS / "factcheck"
# Each stage may import the stages before it, never one after it.
STAGES = ("model", "reading", "checking", "site", "editors")


def _imports(path: Path) -> set[str]:
    """The factcheck modules a module imports, as dotted names under factcheck."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(PACKAGE).parent.parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1]) if node.level <= len(package) + 1 else []
                name = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("factcheck."):
                name = node.module.removeprefix("factcheck.")
            else:
                continue
            found.add(name)
        elif isinstance(node, ast.Import):
            found |= {alias.name.removeprefix("factcheck.") for alias in node.names if alias.name.startswith("factcheck.")}
    return found


def test_each_stage_imports_only_the_stages_before_it() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2:
            continue  # factcheck/cli.py and __init__.py: shared by the commands, no stage
        stage = STAGES.index(parts[0])
        for name in _imports(path):
            target = name.split(".")[0]
            if target in STAGES and STAGES.index(target) > stage:
                wrong.append(f"{path.relative_to(SCRIPTS)} imports {name}")
    assert wrong == []


def test_the_layering_test_sees_a_violation(tmp_path: Path) -> None:
    bad = PACKAGE / "model" / "_layering_probe.py"
    bad.write_text("from ..site import render\n", encoding="utf-8")
    try:
        assert "site" in _imports(bad)
    finally:
        bad.unlink()


def test_no_module_outside_the_build_and_the_commands_decides_about_forking() -> None:
    users = sorted(str(path.relative_to(SCRIPTS)) for path in SCRIPTS.rglob("*.py")
                   if path.name != "parallel.py" and re.search(r"^from (factcheck\.site|\.) import .*\bparallel\b", path.read_text(encoding="utf-8"), re.M))
    assert users == ["build.py", "check_claims.py", "hooks.py", "pr_summary.py"]  # the commands and the MkDocs adapter


def test_no_rule_id_is_written_as_a_string_outside_the_registry() -> None:
    strings = []
    for path in sorted(SCRIPTS.rglob("*.py")):
        if path.name == "registry.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in RULES:
                strings.append(f"{path.relative_to(SCRIPTS)}:{node.lineno}: {node.value!r}")
    # Words that are rule ids by coincidence: vocabulary keys and front-matter keys, not rules.
    allowed = {"encoding", "unreadable"}
    assert [line for line in strings if line.rsplit(": ", 1)[1].strip("'") not in allowed] == []


def test_every_rule_is_documented_with_a_fix() -> None:
    for rule in RULES.values():
        assert rule.family in FAMILIES, rule.id
        assert rule.summary.endswith(".") and rule.fix.endswith((".", ")")), rule.id
        assert bool(rule.example) == bool(rule.fixed) or rule.example, rule.id


def test_every_problem_the_tests_provoke_is_a_registered_rule(tiny: TinySite) -> None:
    # A broad sample of bad inputs; the whole bad-input suite checks the same through exact messages.
    tiny.write("docs/articles/test-article/claims/BAD.md", "---\nquote: [x\n---\n")
    tiny.write("references/x.txt", "not a bib")
    tiny.replace("docs/articles/test-article/claims/works-fast.md", "verdict: accurate", "verdict: acurate")
    result = tiny.check("--format", "json")
    import json

    rules = {problem["rule"] for problem in json.loads("\n".join(result.lines))}
    assert rules and rules <= set(RULES)


def test_explain_knows_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    import check_claims

    for rule_id in RULES:
        assert check_claims.main(["--explain", rule_id]) == 0
        assert capsys.readouterr().out.startswith(f"{rule_id} (")


def test_the_rules_page_lists_every_rule(tiny: TinySite) -> None:
    tiny.write("docs/rules.md", "---\nfactcheck: rules\n---\n\n# Rules\n")
    page = tiny.build()["rules/index.html"]
    for rule_id in RULES:
        assert f'<tr id="{rule_id}">' in page, rule_id
