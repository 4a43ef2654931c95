"""`make serve` rebuilds with `mkdocs serve --dirty`: only the pages a saved file can change, and
the result must be the very site a full build makes.

Each test drives the engine as `mkdocs serve --dirty` does, in this process: one serve start-up,
then a build with `dirty=True` after every save, into the same folder; it compares that folder,
file by file and byte for byte, with a full build of the same sources.
"""

from __future__ import annotations

import importlib
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ENGINE_MODULE, SCRIPTS, TinySite, claim_path
from factcheck.site import parts

SERVE_URL = "http://127.0.0.1:8000/"
KINDS = ["claims", "references", "methodology", "verdict-tags", "certainty-tags", "corrections", "rules", "search", "about"]
FAST = claim_path("works-fast")
SAFE = claim_path("safe-for-everyone")


def _hooks() -> Any:
    """The hooks module the engine loaded: one for every configuration of the run, named by its path."""
    return sys.modules[str(SCRIPTS / "hooks.py")]


def _engine() -> tuple[object, object]:
    build = importlib.import_module(f"{ENGINE_MODULE}.commands.build").build
    load_config = importlib.import_module(f"{ENGINE_MODULE}.config").load_config
    return build, load_config


class Serving:
    """A site under `serve --dirty`: ``save`` rebuilds as the server would after a save."""

    def __init__(self, site: TinySite, folder: Path) -> None:
        self.site = site
        self.folder = folder
        self.build, self.load_config = _engine()
        config = self.load_config(str(site.root / "mkdocs.yml"), site_dir=str(folder))  # type: ignore[operator]
        config.plugins.on_startup(command="serve", dirty=True)
        self.config = config
        self.rebuild()

    def rebuild(self) -> set[str]:
        """Build as the server does after a save (a fresh configuration, the same folder); the files it wrote."""
        started = time.time_ns()
        config = self.load_config(str(self.site.root / "mkdocs.yml"), site_dir=str(self.folder))  # type: ignore[operator]
        config.site_url = SERVE_URL
        self.build(config, serve_url=SERVE_URL, dirty=True)  # type: ignore[operator]
        return {p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file() and p.stat().st_mtime_ns >= started}

    def full(self, folder: Path) -> None:
        """A full build of the same sources, as `mkdocs serve` without --dirty makes it; then serving goes on."""
        hooks = _hooks()
        written = dict(hooks._written)
        config = self.load_config(str(self.site.root / "mkdocs.yml"), site_dir=str(folder))  # type: ignore[operator]
        config.plugins.on_startup(command="serve", dirty=False)
        config.site_url = SERVE_URL
        try:
            self.build(config, serve_url=SERVE_URL, dirty=False)  # type: ignore[operator]
        finally:
            config.plugins.on_startup(command="serve", dirty=True)
            hooks._written.update(written)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _same(left: Path, right: Path) -> None:
    a, b = _tree(left), _tree(right)
    assert sorted(a) == sorted(b), (sorted(set(a) - set(b)), sorted(set(b) - set(a)))
    different = [name for name in a if a[name] != b[name]]
    assert different == []


@pytest.fixture
def serving(tiny: TinySite, tmp_path: Path) -> Iterator[Serving]:
    for kind in KINDS:
        tiny.write(f"docs/{kind}.md", f"---\nfactcheck: {kind}\n---\n\n# {kind.title()}\n")
    tiny.write("docs/masthead.yml", "organization: Test fact-check\nroles:\n  - role: Editors\n    duties: Write claims.\n    people: []\n")
    session = Serving(tiny, tmp_path / "served")
    yield session
    # The hooks module outlives the test: leave it as a plain build finds it.
    session.config.plugins.on_startup(command="build", dirty=False)  # type: ignore[attr-defined]


def _claim_pages(written: set[str]) -> set[str]:
    return {name for name in written if "/claims/" in name and name.endswith("index.html")}


def test_saving_an_analysis_rebuilds_that_claim_page_only_and_equals_a_full_build(serving: Serving, tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.site.build import Build

    made: list[str] = []
    page = Build.page
    monkeypatch.setattr(Build, "page", lambda self, src_uri: (made.append(src_uri), page(self, src_uri))[1])
    serving.site.replace(FAST, "found improvement within hours", "found a quick improvement, within hours,")
    written = serving.rebuild()
    assert _claim_pages(written) == {"articles/test-article/claims/works-fast/index.html"}
    assert "articles/test-article/index.html" in written  # articles and listings are always written ...
    assert made == [FAST.removeprefix("docs/")]  # ... but made again only when what they show changed
    serving.full(tmp_path / "full")
    _same(serving.folder, tmp_path / "full")


def _change_verdict(site: TinySite) -> None:
    """A verdict changed, with the correction that logs it."""
    site.replace(SAFE, "verdict: inaccurate", "verdict: misleading")
    site.replace(SAFE, "reviewed: 2026-01-01", "reviewed: 2026-01-01\ncorrections:\n  - date: 2026-02-01\n"
                 "    previous_verdict: inaccurate\n    note: \"Reworded.\"")


def test_a_changed_verdict_reaches_every_page_that_shows_it(serving: Serving, tmp_path: Path) -> None:
    _change_verdict(serving.site)
    serving.rebuild()
    serving.full(tmp_path / "full")
    _same(serving.folder, tmp_path / "full")


def test_a_changed_reference_rebuilds_the_claims_that_cite_it(serving: Serving, tmp_path: Path) -> None:
    serving.site.replace("references/main.bib", "Side-effects associated with ketamine", "Adverse effects associated with ketamine")
    written = serving.rebuild()
    assert _claim_pages(written) == {"articles/test-article/claims/safe-for-everyone/index.html"}
    serving.full(tmp_path / "full")
    _same(serving.folder, tmp_path / "full")


def test_a_removed_claim_leaves_nothing_behind(serving: Serving, tmp_path: Path) -> None:
    serving.site.remove(claim_path("most-patients"))
    serving.rebuild()
    assert not (serving.folder / "articles/test-article/claims/most-patients").exists()
    serving.full(tmp_path / "full")
    _same(serving.folder, tmp_path / "full")


def test_the_problems_page_is_made_but_not_listed_in_the_navigation(serving: Serving) -> None:
    home = (serving.folder / "index.html").read_text(encoding="utf-8")
    assert (serving.folder / "factcheck-problems" / "index.html").is_file()
    assert not re.search(r'<a href="[^"]*factcheck-problems/"[^>]*class="md-nav__link', home)


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Listings cut into pages of two claims and one reference (the serving fixture must come after it)."""
    monkeypatch.setitem(parts.SIZES, "claims", 2)
    monkeypatch.setitem(parts.SIZES, "references", 1)


def test_the_pages_of_a_long_listing_follow_its_claims(small_pages: None, serving: Serving, tmp_path: Path) -> None:
    assert (serving.folder / "claims/page-2/index.html").is_file()
    _change_verdict(serving.site)
    serving.rebuild()
    serving.full(tmp_path / "changed")
    _same(serving.folder, tmp_path / "changed")
    serving.site.remove(claim_path("most-patients"))  # two claims: one page again
    serving.rebuild()
    assert not (serving.folder / "claims/page-2").exists()
    serving.full(tmp_path / "shorter")
    _same(serving.folder, tmp_path / "shorter")


def test_a_claim_with_a_problem_shows_it_then_loses_it(serving: Serving, tmp_path: Path) -> None:
    serving.site.replace(FAST, "stance: supports", "stance: agrees")
    serving.rebuild()
    serving.full(tmp_path / "broken")
    _same(serving.folder, tmp_path / "broken")
    serving.site.replace(FAST, "stance: agrees", "stance: supports")
    serving.rebuild()
    serving.full(tmp_path / "fixed")
    _same(serving.folder, tmp_path / "fixed")


def test_a_template_edit_rebuilds_every_claim_page(serving: Serving, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = _hooks()
    templates = tmp_path / "overrides"
    templates.mkdir()
    (templates / "extra.txt").write_text("a template", encoding="utf-8")
    monkeypatch.setattr(hooks, "OVERRIDES", templates)
    assert len(_claim_pages(serving.rebuild())) == 3
    assert _claim_pages(serving.rebuild()) == set()
    (templates / "extra.txt").write_text("an edited template", encoding="utf-8")
    assert len(_claim_pages(serving.rebuild())) == 3
