"""The same site from every engine: MkDocs and ProperDocs publish identical pages; Zensical publishes the whole fact-check.

ProperDocs and Zensical are installed in venvs of their own (`make build-properdocs`,
`make build-zensical` make them); without them these tests are skipped, except in CI.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LOCAL_SITE_URL, REPO, SCRIPTS

PROPERDOCS = REPO / ".venv-properdocs" / "bin" / "properdocs"
ZENSICAL = REPO / ".venv-zensical" / "bin" / "zensical"
# What may differ: the generator's name, and the sitemap's build dates.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
DATED = ("sitemap.xml", "sitemap.xml.gz")


def _needs(engine: Path) -> None:
    if not engine.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{engine} is missing: run make {'build-properdocs' if 'properdocs' in str(engine) else 'build-zensical'}")
        pytest.skip(f"{engine.parent.parent.name} is not installed: make {'build-properdocs' if 'properdocs' in str(engine) else 'build-zensical'}")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): GENERATOR.sub(b"", p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in DATED}


def _environment() -> dict[str, str]:
    return {**os.environ, "FACTCHECK_SITE_URL": LOCAL_SITE_URL, "NO_MKDOCS_2_WARNING": "1"}


def test_properdocs_publishes_the_same_site_as_mkdocs(real_site: Path, tmp_path: Path) -> None:
    _needs(PROPERDOCS)
    out = tmp_path / "properdocs"
    subprocess.run([str(PROPERDOCS), "build", "--strict", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", str(out)],
                   cwd=REPO, env=_environment(), check=True, timeout=300, capture_output=True)
    ours, theirs = _tree(real_site), _tree(out)
    assert sorted(ours) == sorted(theirs)
    different = [name for name in ours if ours[name] != theirs[name]]
    assert different == []


def test_properdocs_stops_on_the_checkers_problems(tmp_path: Path) -> None:
    _needs(PROPERDOCS)
    from conftest import default_files

    for path, text in default_files().items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text.replace("verdict: accurate", "verdict: acurate"), encoding="utf-8")
    result = subprocess.run([str(PROPERDOCS), "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
                            cwd=tmp_path, env=_environment(), timeout=300, capture_output=True, text=True)
    assert result.returncode == 1
    assert "unknown verdict 'acurate' (did you mean 'accurate'?)" in result.stderr


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _needs(ZENSICAL)
    out = tmp_path_factory.mktemp("zensical") / "site"
    subprocess.run([sys.executable, str(SCRIPTS / "build.py"), "--engine", "zensical", "--site-dir", str(out)],
                   cwd=REPO, env=_environment(), check=True, timeout=600, capture_output=True)
    return out


def test_zensical_publishes_every_fact_check_page_and_file(zensical_site: Path, real_site: Path) -> None:
    claims = sorted(p.stem for p in (REPO / "docs/articles/kap-a-word-of-caution/claims").glob("*.md"))
    article = (zensical_site / "articles/kap-a-word-of-caution/index.html").read_text(encoding="utf-8")
    assert article.count('class="fc-marker ') == len(claims)
    assert '<div class="fc-answer">' in article
    for claim in claims:
        page = (zensical_site / f"articles/kap-a-word-of-caution/claims/{claim}/index.html").read_text(encoding="utf-8")
        assert '<div class="fc-card fc-verdict--' in page, claim
        assert '<h2 id="sources"' in page and '<ol class="fc-bibliography">' in page, claim
        assert '<script type="application/ld+json">' in page, claim
        assert re.search(r'<span class="fc-tip" role="tooltip"', page), claim  # previews
    for listing in ("claims", "verdicts", "certainty", "references", "corrections", "methodology", "rules", "search"):
        assert (zensical_site / listing / "index.html").is_file(), listing
    index = (zensical_site / "claims/index.html").read_text(encoding="utf-8")
    assert index.count('<td class="fc-index__claim">') == len(claims)
    for name in ("claims.json", "claims.csv", "annotations.jsonld", "corrections.xml", "stylesheets/verdicts.css", "search-index/meta.json"):
        assert (zensical_site / name).read_bytes() == (real_site / name).read_bytes(), name
    # Every page has its policy, and no page offers Zensical's own search (the whole index, fetched by every page).
    for html in zensical_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in text, html
        assert 'class="md-search"' not in text, html


def test_zensical_build_stops_on_the_checkers_problems(tmp_path: Path) -> None:
    _needs(ZENSICAL)
    from conftest import default_files

    for path, text in default_files().items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text.replace("verdict: accurate", "verdict: acurate"), encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPTS / "build.py"), "--engine", "zensical", "--root", str(tmp_path),
                             "--engine-command", str(ZENSICAL)], env=_environment(), timeout=300, capture_output=True, text=True)
    assert result.returncode == 1
    assert "unknown verdict 'acurate' (did you mean 'accurate'?)" in result.stderr
    assert "nothing was built" in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_staged_site_is_plain_markdown_and_html(zensical_site: Path) -> None:
    staged = REPO / ".build" / "zensical"
    claim = (staged / "docs/articles/kap-a-word-of-caution/claims/gold-standard.md").read_text(encoding="utf-8")
    assert claim.startswith('---\ntitle: "Inaccurate: ')
    assert "\n## The claim {#the-claim}\n" in claim
    config = json.loads(json.dumps(__import__("yaml").safe_load((staged / "mkdocs.yml").read_text(encoding="utf-8"))))
    assert "hooks" not in config and config["plugins"] == [{"search": {"enabled": False}}]
