"""The commands in README.md and docs/contributing.md run as written after the first `make`.

Every command in their shell blocks and command tables is read: a `make` target must exist, a
script must exist and accept every option the docs give it, and the command must use the
project's Python (`.venv/bin/python`), not whatever `python` a reader has. The safe ones (each
script's --help, the checker, --explain) are run.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from conftest import REPO

DOCS = [REPO / "README.md", REPO / "docs" / "contributing.md"]
# Commands the docs give as examples for a reader's own fork; not run, not checked.
NOT_OURS = ("git ", "cd ", "npm ", "sudo ")


def _commands(path: Path) -> list[str]:
    """The command lines of ``path``: its sh blocks, and the backticked commands of its tables."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```(?:sh|bash)\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = re.split(r"\s+#\s", line, maxsplit=1)[0].strip()
            if line:
                found.append(line)
    for row in re.findall(r"^\|(.*)\|$", text, re.M):
        for code in re.findall(r"`([^`]+)`", row):
            if code.startswith(("make ", ".venv/bin/python scripts/", "python ")):
                found.append(code)
    for code in re.findall(r"`((?:\.venv/bin/)?python3? scripts/[^`]+)`", text):
        found.append(code)
    return sorted(set(found))


ALL = [(path.relative_to(REPO).as_posix(), command) for path in DOCS for command in _commands(path)]


@cache
def _targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (REPO / "Makefile").read_text(encoding="utf-8"), re.M))


@cache
def _help(script: str) -> str:
    out = subprocess.run([sys.executable, str(REPO / "scripts" / script), "--help"], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert out.returncode == 0, f"{script} --help: {out.stderr}"
    return out.stdout


def test_the_docs_give_commands() -> None:
    assert len(ALL) >= 20
    assert any(command == "make serve" for _, command in ALL) and any(command == "make test" for _, command in ALL)


@pytest.mark.parametrize(("doc", "command"), ALL, ids=[f"{doc}: {command}" for doc, command in ALL])
def test_every_documented_command_exists_as_written(doc: str, command: str) -> None:
    if command.startswith(NOT_OURS):
        return
    assert not re.match(r"python3? ", command), f"{doc}: `{command}` needs the project's Python: .venv/bin/python"
    words = shlex.split(command.replace("…", "x"))
    if words[0] == "make":
        for target in words[1:]:
            if "=" not in target:
                assert target in _targets(), f"{doc}: `{command}`: the Makefile has no target {target!r}"
        return
    if words[0] == ".venv/bin/pre-commit":
        assert "pre-commit" in (REPO / "requirements-dev.txt").read_text(encoding="utf-8")
        return
    assert words[:1] == [".venv/bin/python"] and words[1].startswith("scripts/"), f"{doc}: `{command}`"
    script = words[1].removeprefix("scripts/")
    assert (REPO / "scripts" / script).is_file(), f"{doc}: `{command}`: no scripts/{script}"
    usage = _help(script)
    for option in (word.split("=")[0] for word in words[2:] if word.startswith("--")):
        assert re.search(rf"(^|\s|\[){re.escape(option)}\b", usage), f"{doc}: `{command}`: {script} has no option {option}"


def test_the_safe_commands_run() -> None:
    for script in sorted({shlex.split(c)[1].removeprefix("scripts/") for _, c in ALL if c.startswith(".venv/bin/python scripts/")}):
        _help(script)
    explain = subprocess.run([sys.executable, "scripts/check_claims.py", "--explain", "unknown-term"], capture_output=True, text=True,
                             timeout=60, cwd=REPO)
    assert explain.returncode == 0 and explain.stdout.startswith("unknown-term (error;")
    check = subprocess.run([sys.executable, "scripts/check_claims.py", "--strict"], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert check.returncode == 0, check.stdout[-2000:]
    assert re.search(r"^\d+ claim files, \d+ references; \d+ files read: 0 errors, 0 warnings; article text accounted for: 100\.0%$", check.stdout, re.M)
