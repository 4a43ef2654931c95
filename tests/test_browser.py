"""The built site in headless Chromium, as a reader sees it: clicks, search, requests, console.

Needs Debian's chromium (/usr/bin/chromium); Playwright drives it, no browser is downloaded.
Screenshots are written to test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO, serve

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
ARTICLE = "articles/kap-a-word-of-caution/"

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)", pytrace=False)
    pytest.skip(f"browser tests need Debian's chromium: apt-get install chromium (looked for {CHROMIUM})", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def base_url(real_site: Path) -> Iterator[str]:
    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_clicking_a_highlight_opens_its_claim(page: Page, base_url: str) -> None:
    page.goto(base_url + ARTICLE)
    highlight = page.locator("a.fc-hl").first
    target = highlight.get_attribute("href") or ""
    assert target.startswith("claims/")
    highlight.click()
    page.wait_for_load_state()
    assert page.url == base_url + ARTICLE + target
    assert page.locator("h1").first.is_visible()
    assert page.locator(".fc-claim__ratings .fc-badge").count() == 2


def test_clicking_a_citation_goes_to_its_bibliography_entry(page: Page, base_url: str) -> None:
    page.goto(base_url + ARTICLE + "claims/synaptic-growth-mechanism/")
    citation = page.locator("a.fc-cite__link").first
    href = citation.get_attribute("href")
    citation.click()
    assert page.url.endswith(href)
    entry = page.locator(f"li{href}")
    assert entry.is_visible()
    assert "doi:" in entry.inner_text() or "PubMed" in entry.inner_text()


def test_search_finds_a_claim_by_a_word_of_its_analysis(page: Page, base_url: str) -> None:
    page.goto(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # A query typed while the theme's search worker still builds its index is dropped, not
    # queued (on a busy machine that took seconds): type once the search says it is ready.
    expect(page.locator(".md-search-result__meta")).to_have_text("Type to start searching", timeout=60_000)
    page.locator("input.md-search__input").press_sequentially("rapamycin")  # keystrokes, as a reader types
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    assert any("/claims/" in (link.get_attribute("href") or "") for link in page.locator(".md-search-result__link").all())


PAGES = ["", ARTICLE, ARTICLE + "claims/gold-standard/", "claims/", "references/", "methodology/", "about/", "contributing/"]


def test_pages_request_nothing_from_other_hosts_and_log_no_errors(page: Page, base_url: str) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path in PAGES:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        name = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    host = urlsplit(base_url).netloc
    foreign = sorted({url for url in requests if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != host})
    assert foreign == []
    assert errors == []


def test_dark_scheme_screenshot(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.goto(base_url + ARTICLE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "article_dark.png"))
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    context.close()



def test_focusing_a_citation_shows_its_reference(page: Page, base_url: str) -> None:
    page.goto(base_url + ARTICLE + "claims/synaptic-growth-mechanism/")
    citation = page.locator("a.fc-cite__link").first
    tip = page.locator("#" + (citation.get_attribute("aria-describedby") or "missing"))
    assert not tip.is_visible()
    citation.focus()
    assert tip.is_visible()
    assert "Science" in tip.inner_text() or "2010" in tip.inner_text()
    page.keyboard.press("Escape")
    assert not tip.is_visible()


def test_hovering_or_focusing_a_highlight_previews_the_claim(page: Page, base_url: str) -> None:
    page.goto(base_url + ARTICLE)
    highlight = page.locator("a.fc-hl").first
    tip = page.locator("#" + (highlight.get_attribute("aria-describedby") or "missing"))
    highlight.hover()
    assert tip.is_visible()
    assert "certainty" in tip.inner_text().lower()
    page.mouse.move(0, 0)
    assert not tip.is_visible()
    highlight.focus()
    assert tip.is_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_previews_stay_inside_the_window(page: Page, base_url: str, width: int) -> None:
    # A preview opens below its link and to the right; a link near the right edge of the text
    # (the first citation of this page, at 1280 px) sent its preview past the window's edge.
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + ARTICLE + "claims/gold-standard/")
    for index in range(page.locator("a.fc-cite__link").count()):
        citation = page.locator("a.fc-cite__link").nth(index)
        tip = page.locator("#" + (citation.get_attribute("aria-describedby") or "missing"))
        citation.scroll_into_view_if_needed()
        citation.hover()
        box = tip.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (index, box)


def test_claims_index_filters_by_verdict(page: Page, base_url: str) -> None:
    page.goto(base_url + "claims/")
    rows = page.locator(".fc-index tbody tr")
    total = rows.count()
    page.locator("label[for=fc-filter-misleading]").click()
    visible = [row for row in rows.all() if row.is_visible()]
    assert 0 < len(visible) < total
    assert all(row.get_attribute("data-verdict") == "misleading" for row in visible)
    page.locator("label[for=fc-filter-all]").click()
    assert sum(1 for row in rows.all() if row.is_visible()) == total


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AUDITED = ["", ARTICLE, ARTICLE + "claims/gold-standard/", "claims/", "references/", "verdicts/"]


@pytest.mark.parametrize("path", AUDITED, ids=["home", "article", "claim", "claims-index", "references", "by-verdict"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser: Browser, base_url: str, path: str, scheme: str) -> None:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing: run npm ci (make test does)")
        pytest.skip("the accessibility audit needs axe-core from npm: run `npm ci` (make test does when npm is installed)")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(base_url + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
