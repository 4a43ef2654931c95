"""Hostile pull requests: no contributor text runs script in a reader's browser, calls another host,
or changes the sources; and the same inputs always build the same site."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from conftest import ARTICLE_PATH, MKDOCS_YML, REPO, TinySite, claim_path, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser

MARK = "window.__xss=1"
# One payload for each way out of a context: element content, attributes (both quotes), URLs,
# SVG, event handlers, a JSON-LD <script> block, template syntax and Markdown links.
PAYLOADS = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f"\"><svg onload='{MARK}'>",
    f"'><img src=x onerror={MARK}>",
    f"</script><script>{MARK}</script>",
    f"javascript:{MARK}",
    f"[click](javascript:{MARK}) <a href=\"javascript:{MARK}\">x</a>",
    f"<iframe srcdoc=\"<script>{MARK}</script>\"></iframe>{{{{ 7*7 }}}}",
]


def poison(tiny: TinySite, payload: str) -> None:
    """Put ``payload`` into every field a contributor controls."""
    yaml_value = '"' + payload.replace("\\", "\\\\").replace('"', '\\"') + '"'
    tiny.write(ARTICLE_PATH, f"""\
---
title: {yaml_value}
publisher: {yaml_value}
url: {yaml_value}
published: {yaml_value}
published_note: {yaml_value}
retrieved: 2026-01-01
non_claims:
  - quote: "Book your infusion today."
    reason: advertising
    note: {yaml_value}
---

Ketamine works within hours. {payload} Book your infusion today.
""")
    tiny.remove(claim_path("safe-for-everyone"))
    tiny.remove(claim_path("most-patients"))
    tiny.write(claim_path("works-fast"), f"""\
---
quote: {yaml_value}
claim: {yaml_value}
verdict: accurate
certainty: moderate
certainty_rationale: {yaml_value}
bottom_line: {yaml_value}
sources:
  - key: berman2000
    stance: supports
    note: {yaml_value}
reviewed: 2026-01-01
reviewers: [{yaml_value}]
corrections:
  - date: 2026-02-01
    note: {yaml_value}
---
{payload} [@berman2000, {payload.replace("[", "(").replace("]", ")").replace(";", ",")}]

Also [see @berman2000].
""")
    bib_value = payload.replace("{", "(").replace("}", ")")
    tiny.write("references/main.bib", f"""\
@article{{berman2000,
  author = {{{bib_value} and Berman, Robert}},
  title = {{{bib_value}}},
  journal = {{{bib_value}}},
  year = {{2000}},
  volume = {{{bib_value}}},
  pages = {{{bib_value}}},
  doi = {{10.1016/S0006-3223(99)00230-9}},
  url = {{{bib_value}}},
  design = {{rct}},
}}
""")
    tiny.write("docs/claims.md", "---\nfactcheck: claims\n---\n\n# Claims\n")
    tiny.write("docs/references.md", "---\nfactcheck: references\n---\n\n# References\n")


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"payload{i}" for i in range(len(PAYLOADS))])
def test_payloads_stay_text_in_the_html(tiny: TinySite, payload: str) -> None:
    poison(tiny, payload)
    assert tiny.check().code == 1  # the checker refuses them (raw HTML, URLs) ...
    pages = tiny.build(strict=False)  # ... and a non-strict build still renders them harmlessly
    for name, page in pages.items():
        assert "<script>window" not in page, name
        assert not re.search(r"<(img|svg|iframe)[^>]*(onerror|onload|srcdoc)=", page), name
        # The site's own bookmarklet (site/data/annotate.py) is the one javascript: link, and it is no content.
        links = re.findall(r"<a\b[^<>]*href=[\"']?\s*javascript:[^<>]*>", page, re.I)
        assert all('class="fc-annotate__bookmarklet"' in link for link in links), name


@pytest.mark.browser
def test_no_payload_runs_in_a_browser(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing")
        pytest.skip("needs Debian's chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    sites = []
    for index, payload in enumerate(PAYLOADS):
        tiny = TinySite(tmp_path_factory.mktemp(f"xss{index}"), capsys)
        poison(tiny, payload)
        tiny.build(strict=False)
        sites.append(tiny.root / "site")
    executed: list[str] = []
    foreign: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for site in sites:
            with serve(site) as base_url:
                visit(browser, site, urlsplit(base_url).netloc, executed, foreign)
        browser.close()
    assert executed == []
    assert foreign == []


def visit(browser: Browser, site: Path, base: str, executed: list[str], foreign: list[str]) -> None:
    """Open every page of ``site``; record scripts that ran and requests to other hosts."""
    page = browser.new_page()
    page.on("dialog", lambda dialog: (executed.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("request", lambda request: foreign.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https") and urlsplit(request.url).netloc != base else None)
    for html in sorted(site.rglob("*.html")):
        url = f"http://{base}/{html.relative_to(site).as_posix()}"
        page.goto(url)
        page.wait_for_load_state("load")
        for link in page.locator("a[href^='javascript' i]:not(.fc-annotate__bookmarklet)").all():
            executed.append(f"javascript link on {url}: {link.get_attribute('href')}")
        if page.evaluate("window.__xss === 1"):
            executed.append(url)
    page.close()


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_checker_and_build_never_write_into_the_sources(tiny: TinySite) -> None:
    before = {name: _tree(tiny.root / name) for name in ("docs", "references")}
    tiny.check()
    tiny.build()
    assert {name: _tree(tiny.root / name) for name in ("docs", "references")} == before


def test_two_builds_are_byte_identical(tiny: TinySite, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: pins the sitemap's dates
    tiny.write("docs/claims.md", "---\nfactcheck: claims\n---\n\n# Claims\n")
    tiny.build()
    first = _tree(tiny.root / "site")
    other = TinySite(tmp_path_factory.mktemp("again"), tiny.capsys)
    other.write("docs/claims.md", "---\nfactcheck: claims\n---\n\n# Claims\n")
    other.build()
    second = _tree(other.root / "site")
    assert first == second
    assert "sitemap.xml.gz" in first and "claims.json" in first


def test_built_pages_load_nothing_from_other_hosts(tiny: TinySite) -> None:
    pages = tiny.build()
    # What a browser fetches: scripts, images, frames, media and stylesheets (not canonical or alternate links).
    resource = re.compile(r"<(?:script|img|iframe|source|audio|video)[^>]+src=\"([^\"]+)\"|<link(?![^>]*rel=\"(?:canonical|alternate)\")[^>]+href=\"([^\"]+)\"")
    for name, page in pages.items():
        for match in resource.finditer(page):
            url = match.group(1) or match.group(2)
            assert not re.match(r"^(https?:)?//", url), f"{name} loads {url}"
    assert "fonts.googleapis" not in MKDOCS_YML


def test_every_page_forbids_other_hosts_and_inline_script_by_policy(tiny: TinySite) -> None:
    pages = tiny.build()
    for name, page in pages.items():
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
        assert policy, name
        assert page.index("Content-Security-Policy") < page.index("<script"), name  # before any script it governs
        directives = dict(part.strip().split(" ", 1) for part in policy.group(1).split(";"))
        assert directives["default-src"] == "'none'"
        assert directives["script-src"].startswith("'self' 'sha256-") and "unsafe" not in directives["script-src"]
        assert directives["connect-src"] == "'self'" and directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"


def test_the_policy_allows_the_pages_own_inline_scripts_and_nothing_written_otherwise() -> None:
    from factcheck.site import csp

    page = ('<html><head><meta charset="utf-8"><script>var theme = 1;</script></head><body>'
            '<script type="application/ld+json">{"a": 1}</script><SCRIPT>alert(1)</SCRIPT><Script>alert(2)</Script>'
            '<style>p { color: red }</style></body></html>')
    secured = csp.secure(page)
    assert secured.startswith('<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy"')
    assert secured.replace(re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', secured).group(0), "") == page  # type: ignore[union-attr]
    directives = dict(part.strip().split(" ", 1) for part in csp.policy(page).split(";"))
    assert directives["script-src"] == f"'self' {csp._hash('var theme = 1;')}"  # not the data block, not the upper-case ones
    assert directives["style-src"] == f"'self' {csp._hash('p { color: red }')}"
    assert csp.secure(secured) == secured


def test_an_inline_script_inside_the_content_never_gets_a_hash() -> None:
    """Defence in depth: were a script to slip into a page's content, the policy would not allow it."""
    from factcheck.site import csp

    page = ('<html><head><meta charset="utf-8"><script>theme()</script></head><body><article class="md-content__inner md-typeset">'
            '<p>text</p><script>alert(1)</script><style>p{}</style></article><script>after()</script></body></html>')
    directives = dict(part.strip().split(" ", 1) for part in csp.policy(page).split(";"))
    assert directives["script-src"] == " ".join(["'self'", *sorted([csp._hash("theme()"), csp._hash("after()")])])
    assert directives["style-src"] == "'self'"


def test_the_themes_tooltips_which_show_titles_as_html_stay_off() -> None:
    """Material's content.tooltips shows every title of the content with innerHTML: a link title written
    as '&lt;meta http-equiv=refresh …&gt;' would send the reader elsewhere when pointed at."""
    import yaml

    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    features = yaml.safe_load(config.replace("!ENV", ""))["theme"]["features"]
    assert "content.tooltips" not in features
