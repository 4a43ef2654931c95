"""The built site in headless Chromium, as a reader sees it, on a phone and on a laptop.

Needs Debian's chromium (/usr/bin/chromium); Playwright drives it, no browser is downloaded.
Every page is watched for requests to other hosts, script errors and Content-Security-Policy
violations. Screenshots of every page type, at phone and desktop widths, light and dark, are
written to test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO, require_chromium, serve

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
ARTICLE = "articles/kap-a-word-of-caution/"
CLAIM = ARTICLE + "claims/gold-standard/"

pytestmark = pytest.mark.browser

require_chromium()

from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

# Every page type of the site, by a name for its screenshots.
PAGE_TYPES = {
    "home": "", "article": ARTICLE, "claim": CLAIM, "claims-index": "claims/", "by-verdict": "verdicts/", "by-certainty": "certainty/",
    "references": "references/", "corrections": "corrections/", "search": "search/", "methodology": "methodology/", "data": "data/",
    "about": "about/", "contributing": "contributing/", "rules": "rules/", "not-found": "404.html",
}
# Collects, in every page, what the browser refused under the page's Content-Security-Policy.
WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + (event.sample || ""));
});
"""


@pytest.fixture(scope="module")
def base_url(real_site: Path) -> Iterator[str]:
    with serve(real_site) as url:
        yield url


class Watched:
    """A browser context whose pages report foreign requests, script errors and policy violations."""

    def __init__(self, browser: Browser, base_url: str, **options: object) -> None:
        self.context: BrowserContext = browser.new_context(**options)  # type: ignore[arg-type]
        self.context.add_init_script(WATCH_POLICY)
        self.host = urlsplit(base_url).netloc
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", self._request)

    def _request(self, request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != self.host:
            self.foreign.append(url)

    def page(self) -> Page:
        page = self.context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        return page

    def check(self, page: Page) -> None:
        """Nothing refused, nothing failed, nothing fetched from elsewhere."""
        assert page.evaluate("window.__violations") == []
        assert self.errors == []
        assert self.foreign == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Browser, base_url: str) -> Iterator[Watched]:
    session = Watched(browser, base_url, viewport={"width": 1280, "height": 900})
    yield session
    session.close()


# --- what a reader sees first -------------------------------------------------------------------


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_a_claim_page_opens_with_its_verdict(browser: Browser, base_url: str, width: int) -> None:
    session = Watched(browser, base_url, viewport={"width": width, "height": 800})
    page = session.page()
    page.goto(base_url + CLAIM)
    assert page.title().startswith("Inaccurate: ")
    heading = page.locator("h1").first
    assert heading.inner_text().startswith("Inaccurate: ")
    card = page.locator(".fc-card")
    box = card.bounding_box()
    assert box is not None and box["y"] < 800, box  # the verdict card is on the first screen
    assert "Verdict" in (card.text_content() or "") and "Evidence" in (card.text_content() or "")
    assert page.locator(".fc-card__takeaway").is_visible()
    session.check(page)
    session.close()


@pytest.mark.parametrize("width", [320, 360, 390, 430, 1280])
def test_no_page_scrolls_sideways(browser: Browser, base_url: str, width: int) -> None:
    session = Watched(browser, base_url, viewport={"width": width, "height": 800})
    page = session.page()
    wide = []
    for name, path in PAGE_TYPES.items():
        page.goto(base_url + path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide.append((name, scroll))
        assert page.evaluate("window.__violations") == [], name
    assert wide == []
    assert session.errors == [] and session.foreign == []
    session.close()


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_the_claims_index_is_cards_on_phones_and_a_table_that_leaves_room_on_desktops(browser: Browser, base_url: str, width: int) -> None:
    session = Watched(browser, base_url, viewport={"width": width, "height": 800})
    page = session.page()
    page.goto(base_url + "claims/")
    first = page.locator(".fc-index__table tbody tr").first
    display = first.evaluate("row => getComputedStyle(row).display")
    claim_width = page.locator(".fc-index__claim").first.bounding_box()["width"]  # type: ignore[index]
    assert display != "table-row" or claim_width >= 150
    if width < 720:
        assert display != "table-row"
    # The chart's text stays legible: bars of real text on phones, the SVG's 13 px labels on desktops.
    label = page.locator(".fc-chart__bar-label").first if width < 720 else page.locator(".fc-chart__label").first
    assert label.is_visible()
    size = label.evaluate("node => node.getBoundingClientRect().height")
    assert size >= 12
    session.check(page)
    session.close()


# Every visible text's size, in px, with where it is: Lighthouse calls text under 12 px illegible on a phone.
SMALL_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || !element.getClientRects().length) continue;
    const box = element.getBoundingClientRect();
    // Nothing to read: no size, or off the screen (the closed navigation drawer).
    if (!box.width || !box.height || box.right <= 0 || box.left >= innerWidth) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || element.closest("[hidden], .md-visually-hidden, .md-skip")) continue;
    const size = parseFloat(style.fontSize);
    if (size < 12) small.push(element.className + " " + size + "px: " + node.textContent.trim().slice(0, 30));
  }
  return small;
}"""


def test_no_text_on_a_phone_is_smaller_than_12_px(browser: Browser, base_url: str) -> None:
    session = Watched(browser, base_url, viewport={"width": 390, "height": 800})
    page = session.page()
    small = {}
    for name, path in PAGE_TYPES.items():
        page.goto(base_url + path)
        found = page.evaluate(SMALL_TEXT)
        if found:
            small[name] = found[:3]
    assert small == {}
    session.close()


def test_sources_reflow_on_a_phone(browser: Browser, base_url: str) -> None:
    session = Watched(browser, base_url, viewport={"width": 390, "height": 800})
    page = session.page()
    page.goto(base_url + CLAIM)
    table = page.locator(".fc-sources table").bounding_box()
    assert table is not None and table["x"] + table["width"] <= 390
    note = page.locator(".fc-sources td[data-label='What it shows']").first
    assert note.is_visible()
    session.close()


# --- the article and its previews -------------------------------------------------------------


def test_clicking_a_highlight_opens_its_claim(watched: Watched, base_url: str) -> None:
    page = watched.page()
    page.goto(base_url + ARTICLE)
    highlight = page.locator("a.fc-hl").first
    target = highlight.get_attribute("href") or ""
    assert target.startswith("claims/")
    highlight.click()
    page.wait_for_load_state()
    assert page.url == base_url + ARTICLE + target
    assert page.locator(".fc-card").is_visible()
    watched.check(page)


def test_a_preview_stays_open_under_the_pointer(watched: Watched, base_url: str) -> None:
    page = watched.page()
    page.goto(base_url + ARTICLE)
    highlight = page.locator("a.fc-hl").first
    tip = page.locator("#" + (highlight.get_attribute("aria-describedby") or "missing"))
    highlight.hover()
    assert tip.is_visible()
    box = tip.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 5, steps=8)  # from the link down onto the preview
    assert tip.is_visible()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 5, steps=5)
    assert tip.is_visible()
    page.mouse.move(0, 0)
    assert not tip.is_visible()
    highlight.focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    watched.check(page)


def test_a_tap_opens_a_preview_and_its_link_follows_it(browser: Browser, base_url: str) -> None:
    session = Watched(browser, base_url, viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    page = session.page()
    page.goto(base_url + ARTICLE)
    highlight = page.locator("a.fc-hl").first
    tip = page.locator("#" + (highlight.get_attribute("aria-describedby") or "missing"))
    highlight.scroll_into_view_if_needed()
    highlight.tap()
    assert tip.is_visible()
    assert page.url == base_url + ARTICLE  # the first tap only opens the preview
    tip.locator("a.fc-tip__go").tap()
    page.wait_for_url("**/claims/**")
    session.check(page)
    session.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_previews_stay_inside_the_window(watched: Watched, base_url: str, width: int) -> None:
    page = watched.page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + CLAIM)
    for index in range(page.locator("a.fc-cite__link").count()):
        citation = page.locator("a.fc-cite__link").nth(index)
        tip = page.locator("#" + (citation.get_attribute("aria-describedby") or "missing"))
        citation.scroll_into_view_if_needed()
        citation.hover()
        box = tip.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (index, box)


def test_the_plain_text_mode_is_remembered_and_works_by_keyboard(watched: Watched, base_url: str) -> None:
    page = watched.page()
    page.goto(base_url + ARTICLE)
    highlight = page.locator("a.fc-hl").first
    assert highlight.evaluate("node => getComputedStyle(node).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.locator("#fc-mode-checked").focus()
    page.keyboard.press("ArrowRight")  # radio buttons: the arrow keys choose
    assert page.locator("#fc-mode-plain").is_checked()
    assert highlight.evaluate("node => getComputedStyle(node).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert not page.locator(".fc-article__text .fc-marker").first.is_visible()
    page.reload()
    assert page.locator("#fc-mode-plain").is_checked()
    page.locator("label[for=fc-mode-checked]").click()
    watched.check(page)


def test_clicking_a_citation_goes_to_its_bibliography_entry(watched: Watched, base_url: str) -> None:
    page = watched.page()
    page.goto(base_url + ARTICLE + "claims/synaptic-growth-mechanism/")
    citation = page.locator("a.fc-cite__link").first
    href = citation.get_attribute("href")
    citation.click()
    assert page.url.endswith(href or "?")
    entry = page.locator(f"li{href}")
    assert entry.is_visible()
    assert "doi:" in entry.inner_text() or "PubMed" in entry.inner_text()


# --- navigation -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["article", "claim", "methodology", "home"])
def test_the_skip_link_moves_focus_to_the_content(watched: Watched, base_url: str, name: str) -> None:
    page = watched.page()
    page.goto(base_url + PAGE_TYPES[name])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    page.keyboard.press("Enter")
    # MkDocs' Material skips to the first heading; Zensical to an anchor where the content starts.
    target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    assert target
    assert page.evaluate(f"!!document.getElementById({target!r}).closest('.md-content')")


def test_search_finds_claims_by_a_word_and_filters_by_verdict(watched: Watched, base_url: str) -> None:
    page = watched.page()
    fetched: list[tuple[str, int]] = []
    page.on("response", lambda response: fetched.append((response.url, len(response.body()))) if "search-index" in response.url else None)
    page.goto(base_url + "search/")
    assert fetched == []  # the index is fetched by a query, never by opening a page
    page.locator("#fc-search-input").press_sequentially("dissociation")
    results = page.locator("#fc-search-results li")
    results.first.wait_for()
    assert any("/claims/" in (link.get_attribute("href") or "") for link in page.locator("#fc-search-results a").all())
    assert page.locator("#fc-search-results mark").count() > 0
    count = results.count()
    page.locator("#fc-search-verdict").select_option("Misleading")
    expect(page.locator("#fc-search-status")).not_to_have_text("Searching…")
    page.wait_for_function(f"document.querySelectorAll('#fc-search-results li').length < {count}")
    assert all(link.inner_text().startswith("Misleading: ") for link in page.locator("#fc-search-results a").all())
    assert sum(size for _, size in fetched) < 200_000
    watched.check(page)


def test_theme_features_work_under_the_policy(watched: Watched, base_url: str) -> None:
    page = watched.page()
    page.goto(base_url + "claims/")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != before
    rows = page.locator(".fc-index tbody tr")
    total = rows.count()
    page.locator("label[for=fc-filter-misleading]").click()
    visible = [row for row in rows.all() if row.is_visible()]
    assert 0 < len(visible) < total
    assert all(row.get_attribute("data-verdict") == "misleading" for row in visible)
    page.locator("label[for=fc-filter-all]").click()
    assert sum(1 for row in rows.all() if row.is_visible()) == total
    watched.check(page)


# --- every page type, both schemes, phone and desktop: accessibility and screenshots -------------

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_type_passes_the_accessibility_audit(browser: Browser, base_url: str, width: int, scheme: str) -> None:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing: run npm ci (make test does)")
        pytest.skip("the accessibility audit needs axe-core from npm: run `npm ci` (make test does when npm is installed)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    session = Watched(browser, base_url, viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = session.page()
    axe = AXE.read_text(encoding="utf-8")
    found = []
    for name, path in PAGE_TYPES.items():
        page.goto(base_url + path)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
        # Evaluated through the DevTools protocol: the page's policy rightly refuses injected scripts.
        page.evaluate(axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [f"{name}: {v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:3]}"
                  for v in result["violations"]]
        assert page.evaluate("window.__violations") == [], name
    assert found == []
    assert session.errors == [] and session.foreign == []
    session.close()
