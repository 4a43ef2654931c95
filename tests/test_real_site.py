"""The real content: the checker passes it clean and the strict build succeeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import check_claims
from conftest import REPO


def _latest_review() -> str:
    dates = re.findall(r"^reviewed: (\d{4}-\d{2}-\d{2})$", "\n".join(
        p.read_text(encoding="utf-8") for p in (REPO / "docs/articles").glob("*/claims/*.md")), re.M)
    return max(dates)


def test_checker_passes_the_real_content_without_errors_or_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    # Judged on the day of the latest review, so the test does not start failing as reviews age;
    # the stale-review warning itself is tested on fixtures.
    code = check_claims.main(["--root", str(REPO), "--strict", "--today", _latest_review()])
    out = capsys.readouterr().out.splitlines()
    assert out[-1].endswith("0 errors, 0 warnings; article text accounted for: 100.0%"), out
    assert code == 0


def test_real_site_builds_strictly(real_site: Path) -> None:
    claims = list((REPO / "docs/articles/kap-a-word-of-caution/claims").glob("*.md"))
    article = (real_site / "articles/kap-a-word-of-caution/index.html").read_text(encoding="utf-8")
    assert len(claims) >= 15
    for claim in claims:
        assert (real_site / f"articles/kap-a-word-of-caution/claims/{claim.stem}/index.html").is_file()
        assert f'id="claim-{claim.stem}"' in article
    assert article.count('class="fc-marker ') == len(claims)
