"""The parse cache (factcheck.cache): what is reused, what is parsed again, what is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TinySite, claim_path
from factcheck.reading import cache, loading
from factcheck.reading.cache import Cache
from factcheck.reading.loading import Layout, load


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files parsed from here on (not taken from the cache)."""
    names: list[str] = []
    parse = loading._parse

    def spy(layout: Layout, file: loading._File) -> object:
        names.append(file.path.name)
        return parse(layout, file)

    monkeypatch.setattr(loading, "_parse", spy)
    return names


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The cache files written from here on."""
    names: list[str] = []
    write = Cache._write

    def spy(path: Path, value: object) -> None:
        names.append(path.name)
        write(path, value)

    monkeypatch.setattr(Cache, "_write", staticmethod(spy))
    return names


def test_only_changed_files_are_parsed_again_and_their_problems_kept(
    tiny: TinySite, tmp_path: Path, parsed: list[str]
) -> None:
    tiny.replace(claim_path("works-fast"), 'claim: "Ketamine relieves depression within hours."', "claim: 42")
    layout, folder = Layout.at(tiny.root), tmp_path / "cache"
    first = load(layout, Cache(folder))
    assert sorted(parsed) == ["index.md", "main.bib", "most-patients.md", "safe-for-everyone.md", "works-fast.md"]
    parsed.clear()
    again = load(layout, Cache(folder))
    assert parsed == []
    assert again == first  # problems included: the number where text belongs is still reported
    assert any(p.rule == "wrong-type" for p in again.problems)
    tiny.replace(claim_path("most-patients"), "Response rates vary", "Response rates differ")
    changed = load(layout, Cache(folder))
    assert parsed == ["most-patients.md"]
    assert "Response rates differ" in next(c.body for c in changed.project.claims if c.id == "most-patients")


def test_a_claim_moved_to_another_article_is_parsed_again(tiny: TinySite, tmp_path: Path, parsed: list[str]) -> None:
    # The same bytes in another folder are another claim: the article is part of the key.
    layout, folder = Layout.at(tiny.root), tmp_path / "cache"
    load(layout, Cache(folder))
    (tiny.root / "docs/articles/other").mkdir()
    (tiny.root / "docs/articles/test-article/index.md").rename(tiny.root / "docs/articles/other/index.md")
    (tiny.root / "docs/articles/test-article/claims").rename(tiny.root / "docs/articles/other/claims")
    parsed.clear()
    moved = load(layout, Cache(folder))
    assert sorted(parsed) == ["index.md", "most-patients.md", "safe-for-everyone.md", "works-fast.md"]
    assert {claim.article_slug for claim in moved.project.claims} == {"other"}


def test_an_unreadable_or_foreign_cache_is_ignored(tiny: TinySite, tmp_path: Path, parsed: list[str]) -> None:
    layout, folder = Layout.at(tiny.root), tmp_path / "cache"
    first = load(layout, Cache(folder))
    (folder / "claim.pickle").write_bytes(b"not a pickle")
    (folder / "bib.pickle").write_bytes(b"\x80\x05N.")  # a pickle of None: not this cache's shape
    parsed.clear()
    assert load(layout, Cache(folder)) == first
    assert sorted(parsed) == ["main.bib", "most-patients.md", "safe-for-everyone.md", "works-fast.md"]


def test_a_run_writes_only_what_changed(tiny: TinySite, tmp_path: Path, written: list[str]) -> None:
    layout, folder = Layout.at(tiny.root), tmp_path / "cache"
    store = Cache(folder)
    load(layout, store)
    assert sorted(written) == ["article.pickle", "bib.pickle", "claim.pickle"]
    written.clear()
    store.save()  # the build saves again at its end: nothing new since the first save
    assert written == []
    load(layout, Cache(folder))  # an unchanged site
    assert written == []


def test_no_cache_directory_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, "")
    assert cache.default_directory() is None
    monkeypatch.delenv(cache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere")
    assert cache.default_directory() == Path("/somewhere/kap-factcheck")
