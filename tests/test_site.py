"""Tiny sites built with MkDocs: what a reader gets on each page, and how a strict build fails."""

from __future__ import annotations

import json
import logging
import os
import re

import pytest
from mkdocs.exceptions import Abort

from conftest import ARTICLE_PATH, TinySite, claim_path

ARTICLE_HTML = "articles/test-article/index.html"
FAST_HTML = "articles/test-article/claims/works-fast/index.html"
SAFE_HTML = "articles/test-article/claims/safe-for-everyone/index.html"

LISTINGS = {
    "docs/claims.md": "---\nfactcheck: claims\n---\n\n# All claims\n",
    "docs/references.md": "---\nfactcheck: references\n---\n\n# References\n",
    "docs/methodology.md": "---\nfactcheck: methodology\n---\n\n# Methodology\n",
}


def test_article_highlights_link_to_their_claim_pages(tiny: TinySite) -> None:
    page = tiny.build()[ARTICLE_HTML]
    assert re.search(r'<a class="fc-hl fc-verdict--accurate" href="claims/works-fast/" data-claims="1"[^>]*>Ketamine works within hours.</a>', page)
    # The marker after a quote carries the verdict as text, not colour alone.
    assert re.search(r'<a class="fc-marker fc-verdict--inaccurate" href="claims/safe-for-everyone/"[^>]*>'
                     r'<span class="fc-marker__number">2</span> Inaccurate</a>', page)
    assert '<span id="claim-works-fast" class="fc-anchor"></span>' in page
    assert '<span class="fc-nonclaim">Book your infusion today.</span>' in page


def test_overlapping_quotes_link_every_part_to_a_covering_claim(tiny: TinySite) -> None:
    tiny.write(claim_path("within-hours"), (tiny.root / claim_path("works-fast")).read_text()
               .replace('quote: "Ketamine works within hours."', 'quote: "within hours"\nprefix: "Ketamine works "\nsuffix: ". It"'))
    page = tiny.build()[ARTICLE_HTML]
    text = re.search(r'<div class="fc-article__text">(.*?)</div>', page, re.S).group(1)
    assert re.search(r'<a class="fc-hl fc-verdict--accurate" href="claims/works-fast/" data-claims="1"[^>]*>Ketamine works </a>', text)
    assert re.search(r'<a class="fc-hl fc-verdict--accurate" href="claims/within-hours/" data-claims="2 1"[^>]*>within hours</a>', text)
    assert re.search(r'href="claims/within-hours/"[^>]*><span class="fc-marker__number">2</span> Accurate</a>', text)


def test_claim_page_citations_link_to_the_bibliography(tiny: TinySite) -> None:
    page = tiny.build()[FAST_HTML]
    assert re.search(r'\(<span class="fc-tipwrap"><a class="fc-cite__link" href="#ref-berman2000"[^>]*>Berman et al., 2000</a>'
                     r'<span class="fc-tip"[^>]*>[^<]*</span></span>, p. 352\)', page)
    entry = re.search(r'<li id="ref-berman2000" class="fc-ref">(.*?)</li>', page, re.S).group(1)
    assert "Berman RM, Cappiello A, Anand A" in entry
    assert '<a class="fc-ref__link" href="https://doi.org/10.1016/S0006-3223(99)00230-9" rel="noopener">' in entry
    assert '<a class="fc-ref__link" href="https://pubmed.ncbi.nlm.nih.gov/10686270/" rel="noopener">PubMed 10686270</a>' in entry
    assert "[Randomised controlled trial]" in entry


def test_claim_page_shows_verdict_certainty_bottom_line_sources_and_review(tiny: TinySite) -> None:
    page = tiny.build()[SAFE_HTML]
    assert "<h1>Ketamine is safe for everyone.</h1>" in page
    assert '<span class="fc-badge fc-verdict--inaccurate"><span class="fc-badge__kind">Verdict:</span> Inaccurate</span>' in page
    assert '<span class="fc-badge__kind">Evidence:</span> Low certainty</span>' in page
    assert "<p>Ketamine may cause side effects.</p>" in page
    assert '<a href="../../#claim-safe-for-everyone">See them in context</a>' in page
    assert '<td><span class="fc-stance fc-stance--contradicts">Contradicts</span></td>' in page
    assert '<time datetime="2026-01-01">2026-01-01</time>' in page
    assert "<title>Ketamine is safe for everyone. - Test site</title>" in page


def test_corrections_log_is_shown_only_when_present(tiny: TinySite) -> None:
    assert "Corrections" not in tiny.build()[FAST_HTML]
    tiny.replace(claim_path("works-fast"), "reviewed: 2026-01-01", "reviewed: 2026-01-01\ncorrections:\n  - date: 2026-02-01\n    note: Verdict changed.")
    page = tiny.build()[FAST_HTML]
    assert '<li><time datetime="2026-02-01">2026-02-01</time>: Verdict changed.</li>' in page


def test_references_page_lists_cited_by(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    page = tiny.build()["references/index.html"]
    entry = re.search(r'<li id="berman2000" class="fc-ref">(.*?)</li>', page, re.S).group(1)
    assert '<a href="../articles/test-article/claims/works-fast/">1. Ketamine relieves depression within hours.</a>' in entry
    assert '<a href="../articles/test-article/claims/safe-for-everyone/">2. Ketamine is safe for everyone.</a>' in entry


def test_claims_index_lists_claims_in_article_order(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    page = tiny.build()["claims/index.html"]
    order = re.findall(r'<td><a href="../articles/test-article/claims/([a-z-]+)/">', page)
    assert order == ["works-fast", "safe-for-everyone", "most-patients"]


def test_methodology_is_generated_from_the_vocabularies(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    page = tiny.build()["methodology/index.html"]
    assert "<td>Cohort or case-control study <code>cohort/case-control</code></td><td>Low certainty</td>" in page
    assert "Mostly accurate</span></td><td>5</td>" in page


def test_claim_pages_stay_out_of_the_navigation(tiny: TinySite) -> None:
    page = tiny.build()["index.html"]
    assert "works-fast" not in page


def test_navigation_names_every_page_on_pages_built_after_it(tiny: TinySite) -> None:
    # The hooks let go of a rendered page's text; MkDocs then named it "None" in the navigation
    # of every page built after it, wherever mkdocs.yml gives no title of its own.
    tiny.write_all(LISTINGS)
    pages = tiny.build()
    for name in ("methodology/index.html", "references/index.html", FAST_HTML):
        nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', pages[name], re.S).group(0)
        labels = [" ".join(label.split()) for label in re.findall(r'<span class="md-ellipsis">(.*?)</span>', nav, re.S)]
        assert {"All claims", "References", "A test article", "Methodology"} <= set(labels), (name, labels)
        assert "None" not in labels


def _search_entries(tiny: TinySite) -> dict[str, str]:
    index = json.loads((tiny.root / "site/search/search_index.json").read_text(encoding="utf-8"))
    entries: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        entries[page] = entries.get(page, "") + " " + doc["title"] + " " + doc["text"]
    return entries


def test_search_finds_each_text_on_the_page_that_holds_it(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    tiny.build()
    entries = _search_entries(tiny)
    fast = entries["articles/test-article/claims/works-fast/"]
    assert "A small randomised trial found improvement within hours" in fast
    assert "Ketamine probably relieves depression within hours." in fast
    article = entries["articles/test-article/"]
    assert "Book your infusion today." in article and "Ketamine works within hours." in article
    # Previews repeat each claim's bottom line in the article; search points to the claim for it.
    assert "Ketamine probably relieves depression within hours." not in article
    references = entries["references/"]
    assert "Antidepressant effects of ketamine in depressed patients" in references
    assert "Side-effects associated with ketamine use in depression" in references
    assert "Cited by" not in references and "Ketamine is safe for everyone." not in references
    # The claims index lists every claim; each has its own entry, so the index is found by its name.
    assert "Ketamine is safe for everyone." not in entries["claims/"]
    assert [page for page, text in entries.items() if "Ketamine is safe for everyone." in text] == [
        "articles/test-article/claims/safe-for-everyone/"
    ]
    assert "Cohort or case-control study" in entries["methodology/"]  # small pages are indexed whole


def test_links_to_anchors_of_generated_pages_are_checked(tiny: TinySite, caplog: pytest.LogCaptureFixture) -> None:
    tiny.write_all(LISTINGS)
    tiny.replace("mkdocs.yml", "not_in_nav:", "validation:\n  anchors: warn\nnot_in_nav:")
    links = "[verdicts](methodology.md#verdicts), [a source](articles/test-article/claims/works-fast.md#sources)"
    tiny.write("docs/guide.md", f"# Guide\n\nSee {links}.\n")
    tiny.build()  # strict: the anchors exist, though only templates make them
    tiny.write("docs/guide.md", f"# Guide\n\nSee {links} and [nothing](methodology.md#verdict).\n")
    with pytest.raises(Abort):
        tiny.build()
    assert "does not contain an anchor '#verdict'" in caplog.text
    assert "'#verdicts'" not in caplog.text and "'#sources'" not in caplog.text


def test_report_link_leads_to_the_about_page_or_is_left_out(tiny: TinySite) -> None:
    assert "Found an error?" not in tiny.build()[FAST_HTML]  # no repo_url, no about page: nowhere to send readers
    tiny.write("docs/about.md", "# About\n\n## Corrections\n")
    assert '<a href="../../../../about/#corrections">Report it</a>' in tiny.build()[FAST_HTML]


def test_strict_build_fails_with_the_checkers_message(tiny: TinySite, caplog: pytest.LogCaptureFixture) -> None:
    tiny.replace(claim_path("works-fast"), "verdict: accurate", "verdict: acurate")
    expected = tiny.check().problems[0]
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
        tiny.build(strict=True)
    assert expected in [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]


def test_non_strict_build_degrades_instead_of_crashing(tiny: TinySite, caplog: pytest.LogCaptureFixture) -> None:
    tiny.replace(claim_path("works-fast"), "[@berman2000, p. 352]", "[@nosuchkey]")
    tiny.replace(ARTICLE_PATH, 'quote: "Book your infusion today."', 'quote: "Book nothing."')
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        pages = tiny.build(strict=False)
    assert '<span class="fc-cite__missing">nosuchkey?</span>' in pages[FAST_HTML]
    assert "Book your infusion today." in pages[ARTICLE_HTML]


PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'


def test_contributor_text_is_escaped_everywhere(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    fast = claim_path("works-fast")
    tiny.replace(fast, 'claim: "Ketamine relieves depression within hours."', "claim: " + repr(PAYLOAD).replace("\\'", "''"))
    tiny.replace(fast, 'note: "Improvement within 72 hours."', "note: " + repr(PAYLOAD).replace("\\'", "''"))
    tiny.replace("references/main.bib", "title = {Antidepressant effects of ketamine in depressed patients}", "title = {" + PAYLOAD + "}")
    tiny.replace(ARTICLE_PATH, "publisher: Test Clinic", "publisher: " + repr(PAYLOAD).replace("\\'", "''"))
    pages = tiny.build(strict=False)
    for name, page in pages.items():
        assert "<script>alert(1)" not in page, name
        assert "<img src=x" not in page, name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[FAST_HTML]


def test_mkdocs_serve_serves_the_site_and_watches_the_references(tiny: TinySite) -> None:
    """The README's first command: `mkdocs serve` builds, serves, and rebuilds when a .bib changes."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(tiny.root / "mkdocs.yml")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/test-article/claims/works-fast/", timeout=2) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.3)
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        assert "<h1>Ketamine relieves depression within hours.</h1>" in page
        # Editing a .bib file rebuilds the site: the references folder is watched too.
        tiny.replace("references/main.bib", "Antidepressant effects of ketamine in depressed patients", "Retitled while serving")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "Retitled while serving" not in page:
            time.sleep(0.5)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/test-article/claims/works-fast/", timeout=5) as response:
                page = response.read().decode("utf-8")
        assert "Retitled while serving" in page
    finally:
        server.terminate()
        try:
            _, errors = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            _, errors = server.communicate()
    assert "Traceback" not in errors, errors


def test_unknown_page_kind_is_an_error_with_file_and_line(tiny: TinySite, caplog: pytest.LogCaptureFixture) -> None:
    tiny.write("docs/claims.md", "---\ntitle: All\nfactcheck: claimz\n---\n\n# All claims\n")
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
        tiny.build(strict=True)
    errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert "docs/claims.md:3:1: error: unknown 'factcheck' page kind 'claimz'; one of: home, claims, references, methodology, " \
           "verdict-tags, certainty-tags [unknown-page-kind]" in errors
