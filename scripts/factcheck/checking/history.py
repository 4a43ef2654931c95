"""What a change did, according to git: the files it touched, and claims whose verdict it changed.

Used by ``check_claims.py --changed-only REF`` so a reviewer sees only what a pull
request introduced, while every rule still runs against the whole site.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from ..model.content import Claim
from ..model.problems import FactcheckError, Problem
from ..model.registry import UNCORRECTED_VERDICT_CHANGE
from ..model.vocabularies import load as vocabularies
from ..reading.frontmatter import parse


class HistoryError(Exception):
    """git could not answer (not a repository, unknown ref, git missing)."""


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HistoryError(f"could not run git: {exc}") from None
    if result.returncode != 0:
        raise HistoryError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"git {args[0]} failed")
    return result.stdout


def changed_paths(root: Path, ref: str) -> set[str]:
    """Files under ``root`` (as root-relative POSIX paths) that differ from ``ref``, untracked ones included."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except HistoryError:
        raise HistoryError(f"'{ref}' is not a commit of the git repository at {root}") from None
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip()).resolve()
    names = _git(root, "diff", "--name-only", "--no-renames", ref, "--", ".").splitlines()
    names += _git(root, "ls-files", "--others", "--exclude-standard", "--full-name", "--", ".").splitlines()
    paths = set()
    for name in names:
        try:
            paths.add((top / name).resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            continue
    return paths


def file_at(root: Path, ref: str, path: str) -> str | None:
    """The text of ``path`` (root-relative) at ``ref``, or None if it did not exist there."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip()).resolve()
    name = (root.resolve() / path).relative_to(top).as_posix()
    try:
        return _git(root, "show", f"{ref}:{name}")
    except HistoryError:
        return None


def uncorrected_verdict_changes(root: Path, ref: str, claims: list[Claim], changed: set[str]) -> list[Problem]:
    """A warning for each changed claim whose verdict or certainty differs from ``ref`` without a new corrections entry saying so."""
    problems = []
    for claim in claims:
        if claim.path not in changed:
            continue
        before = file_at(root, ref, claim.path)
        if before is None:
            continue  # a new claim has nothing to correct
        try:
            old = parse(before.replace("\r\n", "\n"), claim.path).meta
        except FactcheckError:
            continue
        listed = old.get("corrections")
        old_corrections: list[Any] = listed if isinstance(listed, list) else []
        new_corrections = claim.corrections[len(old_corrections):] if len(claim.corrections) > len(old_corrections) else ()
        vocab = vocabularies()
        for key, previous_key, now in (("verdict", "previous_verdict", claim.verdict), ("certainty", "previous_certainty", claim.certainty)):
            was = old.get(key)
            # A value outside the vocabulary was never published (the checker refused it): nothing to correct.
            if not isinstance(was, str) or was == now or was not in getattr(vocab, key):
                continue
            if any(getattr(correction, previous_key) == was for correction in new_corrections):
                continue
            problems.append(UNCORRECTED_VERDICT_CHANGE.at(
                claim.path, claim.line_of(key),
                f"the {key} changed from '{was}' to '{now}' since {ref}; add a corrections entry with the date, "
                f"{previous_key}: {was} and a note saying why",
            ))
    return problems
