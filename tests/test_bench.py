"""The benchmark's synthetic site is a valid site in the project's format (scripts/bench.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bench
import check_claims


def test_synthetic_site_passes_the_checker_without_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A bench that timed thousands of warnings would time their printing, not the checking.
    bench.generate(tmp_path, 45, 90)
    assert check_claims.main(["--root", str(tmp_path), "--strict", "--no-cache"]) == 0
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary == "45 claim files, 90 references; 56 files read: 0 errors, 0 warnings; article text accounted for: 100.0%"
    assert len(list((tmp_path / "docs/articles").iterdir())) == bench.ARTICLES
