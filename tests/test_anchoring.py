"""Our verdicts on the original article's page: the selectors of annotations.jsonld anchored by
text-anchoring libraries from npm, and the site's bookmarklet and userscript run in Chromium.

The original page is rebuilt from our copy of the article the way the publisher's page is
structured: the site's banner and its close button, the title, one paragraph element per paragraph.
Variants change what a republished page may change: the markup's white space, entities for
quotation marks, text reflowed over lines with non-breaking spaces and inline elements, and one
paragraph edited by the publisher.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import textwrap
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import LOCAL_SITE_URL, REPO, require_chromium, serve

ARTICLE = REPO / "docs" / "articles" / "kap-a-word-of-caution" / "index.md"
TITLE = "Ketamine-Assisted Psychotherapy (KAP); A Word of Caution"
# The publisher's banner and its close button, as captured with the article's text.
BANNER = "Now Open in Westchester, NY - Learn More | Now Offering Treatment Financing Via CareCredit - Learn More"
ANCHOR_SCRIPT = REPO / "tests" / "anchoring" / "anchor.mjs"
EDITED_PARAGRAPH = 1  # the second paragraph: the one the edited variant rewrites


def paragraphs() -> list[str]:
    """The article's paragraphs as a browser shows them: our copy's body, line breaks folded."""
    body = ARTICLE.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return [" ".join(block.split()) for block in body.strip().split("\n\n")]


def original_page(paras: list[str], paragraph: Callable[[str], str] = lambda text: f"<p>{html.escape(text, quote=False)}</p>",
                  between: str = "\n") -> str:
    """A page structured like the publisher's: banner, title, then one element per paragraph."""
    content = between.join(paragraph(text) for text in paras)
    return (
        '<!DOCTYPE html>\n<html lang="en-US"><head><meta charset="utf-8">'
        f"<title>{TITLE}</title></head>\n<body>\n"
        f'<div class="top-banner"><p>{BANNER}</p><button type="button">X</button></div>\n'
        f'<main><article><h1 class="entry-title">{TITLE}</h1>\n<div class="entry-content">\n{content}\n</div></article></main>\n'
        "</body></html>\n"
    )


def _entities(text: str) -> str:
    """Curly quotes and apostrophes as the numeric entities a publishing system writes."""
    escaped = html.escape(text, quote=False)
    return "".join(f"&#{ord(c)};" if c in "\u2018\u2019\u201c\u201d" else c for c in escaped)


def markup_whitespace(paras: list[str]) -> str:
    """White space between and inside the tags, and entities: the text a browser shows is the same."""
    return original_page(paras, lambda text: f"\t\t<p>\n\t\t\t{_entities(text)}\n\t\t</p>", between="\n\n\n")


def _reflow(text: str) -> str:
    """Wrapped over indented lines, non-breaking spaces after full stops, one phrase in an inline element."""
    escaped = html.escape(text, quote=False).replace(". ", ".&nbsp; ")
    wrapped = textwrap.fill(escaped, 58, initial_indent="      ", subsequent_indent="      ", break_on_hyphens=False)
    return re.sub(r"\b(ketamine|patients)\b", r"<strong>\1</strong>", wrapped, count=1)


def reflowed(paras: list[str]) -> str:
    return original_page(paras, lambda text: f"<p>\n{_reflow(text)}\n    </p>")


def _context(item: dict[str, Any]) -> str:
    selector = item["target"]["selector"]
    return str(selector.get("prefix", "") + selector["exact"] + selector.get("suffix", ""))


def _altered(quote: str) -> str:
    """The quote with one word changed: a word put in after the first, or a one-word quote's case."""
    first, _, rest = quote.partition(" ")
    return f"{first} now {rest}" if rest else quote[0].swapcase() + quote[1:]


def edited(paras: list[str], items: list[dict[str, Any]]) -> str:
    """The publisher rewrote one paragraph: one word changed in each sentence we checked there."""
    text = paras[EDITED_PARAGRAPH]
    places = []
    for item in items:
        at = text.find(_context(item))
        if at != -1:
            start = at + len(item["target"]["selector"].get("prefix", ""))
            places.append((start, start + len(item["target"]["selector"]["exact"])))
    for start, end in sorted(places, reverse=True):
        text = text[:start] + _altered(text[start:end]) + text[end:]
    return original_page([*paras[:EDITED_PARAGRAPH], text, *paras[EDITED_PARAGRAPH + 1 :]])


@pytest.fixture(scope="module")
def collection(real_site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((real_site / "annotations.jsonld").read_text(encoding="utf-8"))
    return data


def _items(collection: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = collection["first"]["items"]
    return items


def test_the_reproduced_page_holds_every_quote(collection: dict[str, Any]) -> None:
    """The fixture is faithful: each selector's text is on the page as our copy has it."""
    text = " ".join(paragraphs())
    items = _items(collection)
    assert len(items) == 26
    for item in items:
        selector = item["target"]["selector"]
        assert "\n" not in selector["exact"] + selector.get("prefix", "") + selector.get("suffix", "")
        assert _context(item) in text, item["id"]


# --- npm libraries, in Node with jsdom ------------------------------------------------------------


def _node_libraries() -> None:
    if shutil.which("node") and (REPO / "node_modules" / "dom-anchor-text-quote").is_dir():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("the anchoring libraries are missing: run `npm ci` (make test does)", pytrace=False)
    pytest.skip("the anchoring test needs node and `npm ci` (make test runs it when npm is installed)")


@pytest.mark.parametrize("variant", [original_page, markup_whitespace], ids=["as-published", "markup-whitespace"])
def test_npm_anchoring_libraries_find_every_quote(variant: Callable[[list[str]], str], collection: dict[str, Any],
                                                 real_site: Path, tmp_path: Path) -> None:
    _node_libraries()
    page = tmp_path / "original.html"
    page.write_text(variant(paragraphs()), encoding="utf-8")
    out = subprocess.run(["node", str(ANCHOR_SCRIPT), str(page), str(real_site / "annotations.jsonld")],
                         capture_output=True, text=True, timeout=120, check=True, cwd=REPO)
    results = json.loads(out.stdout)
    assert len(results) == len(_items(collection)) == 26
    for result in results:
        # Hypothesis' library returns its best match; Apache Annotator's every match of quote and context.
        assert result["hypothesis"] == result["exact"], result["id"]
        assert result["apache"] == [result["exact"]], result["id"]


def test_the_anchoring_libraries_are_pinned() -> None:
    declared = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    for name in ("dom-anchor-text-quote", "@apache-annotator/dom", "@apache-annotator/selector", "jsdom"):
        assert re.fullmatch(r"\d+\.\d+\.\d+", declared[name]), name


# --- the bookmarklet and the userscript, in Chromium ----------------------------------------------


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory, collection: dict[str, Any]) -> Iterator[str]:
    """The variants of the original page, served from an address of their own."""
    folder = tmp_path_factory.mktemp("original")
    paras = paragraphs()
    for name, text in {"published": original_page(paras), "whitespace": markup_whitespace(paras),
                       "reflowed": reflowed(paras), "edited": edited(paras, _items(collection))}.items():
        (folder / f"{name}.html").write_text(text, encoding="utf-8")
    with serve(folder) as url:
        yield url


def _bookmarklet(real_site: Path) -> str:
    page = (real_site / "articles" / "kap-a-word-of-caution" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a\b[^>]*class="fc-annotate__bookmarklet"[^>]*>', page)
    assert link, "the article page offers the bookmarklet"
    href = html.unescape(re.search(r'href="([^"]*)"', link.group(0)).group(1))  # type: ignore[union-attr]
    assert href.startswith("javascript:")
    return urllib.parse.unquote(href.removeprefix("javascript:"))


def _run(browser: Any, real_site: Path, url: str, code: str) -> tuple[dict[str, Any], Any, list[str]]:
    """Open ``url``, run ``code`` on it, and return what it reported, the page and every address asked for."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    # The site's annotations as GitHub Pages serves them: readable from any page (CORS).
    context.route(LOCAL_SITE_URL + "annotations.jsonld", lambda route: route.fulfill(
        path=str(real_site / "annotations.jsonld"), content_type="application/ld+json",
        headers={"Access-Control-Allow-Origin": "*"}))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.add_script_tag(content=code)
    page.wait_for_function("window.__kapFactcheck !== undefined", timeout=10_000)
    report = page.evaluate("window.__kapFactcheck")
    assert errors == []
    return report, page, requested


def _highlights(page: Any) -> dict[str, str]:
    """The highlighted text of each claim on the page, by the address of its fact-check."""
    return dict(page.evaluate("""() => {
      const marks = {};
      for (const badge of document.querySelectorAll("a.kap-factcheck-badge")) {
        const label = badge.title;
        // A claim inside another's sentence puts its badge inside the other's highlight.
        const text = [...document.querySelectorAll("mark")].filter(m => m.title === label).map(m => {
          const copy = m.cloneNode(true);
          copy.querySelectorAll(".kap-factcheck-badge").forEach(b => b.remove());
          return copy.textContent;
        }).join("");
        marks[badge.href] = text.replace(/[\\s\\u00a0]+/g, " ");
      }
      return Object.entries(marks);
    }"""))


def _pages(collection: dict[str, Any]) -> dict[str, str]:
    """Each claim's fact-check address, by its quote."""
    return {item["target"]["selector"]["exact"]: item["body"][1]["id"] for item in _items(collection)}


@pytest.mark.browser
@pytest.mark.parametrize("variant", ["published", "whitespace", "reflowed"])
def test_the_bookmarklet_highlights_every_claim_with_its_verdict(variant: str, browser: Any, real_site: Path, originals: str,
                                                                 collection: dict[str, Any]) -> None:
    require_chromium()
    report, page, requested = _run(browser, real_site, f"{originals}{variant}.html", _bookmarklet(real_site))
    assert report == {"found": 26, "missing": 0}
    expected = {address: quote for quote, address in _pages(collection).items()}
    assert _highlights(page) == expected
    assert page.locator("#kap-factcheck-verdicts").inner_text().startswith("KAP fact-check: 26 checked claims highlighted")
    # It asks for the annotations and nothing else: no other host, no other file.
    assert [url for url in requested if not url.startswith(originals)] == [LOCAL_SITE_URL + "annotations.jsonld"]
    page.context.close()


@pytest.mark.browser
def test_claims_of_an_edited_paragraph_are_reported_not_found(browser: Any, real_site: Path, originals: str,
                                                              collection: dict[str, Any]) -> None:
    require_chromium()
    paragraph = paragraphs()[EDITED_PARAGRAPH]
    changed = {item["body"][1]["id"] for item in _items(collection) if _context(item) in paragraph}
    assert 2 <= len(changed) < 26, "the edited paragraph holds several claims, not all"
    report, page, _ = _run(browser, real_site, f"{originals}edited.html", _bookmarklet(real_site))
    assert report == {"found": 26 - len(changed), "missing": len(changed)}
    assert set(_highlights(page)) == set(_pages(collection).values()) - changed
    panel = page.locator("#kap-factcheck-verdicts")
    assert f"{len(changed)} not found on this page" in panel.inner_text()
    listed = panel.locator("li a").evaluate_all("links => links.map(a => a.href)")
    assert sorted(listed) == sorted(changed)
    page.context.close()


@pytest.mark.browser
def test_the_userscript_runs_on_the_article_and_does_the_same(browser: Any, real_site: Path, originals: str) -> None:
    require_chromium()
    userscript = (real_site / "javascripts" / "annotate.user.js").read_text(encoding="utf-8")
    assert "// @match        https://nyketamine.com/ketamine-assisted-psychotherapy-kap-a-word-of-caution/*" in userscript
    report, page, _ = _run(browser, real_site, f"{originals}reflowed.html", userscript)
    assert report == {"found": 26, "missing": 0}
    page.context.close()
