"""Tiny sites built with MkDocs: what a reader gets on each page, and how a strict build fails."""

from __future__ import annotations

import json
import logging
import os
import re

import pytest
from mkdocs.exceptions import Abort

from conftest import ARTICLE_PATH, ENGINE_MODULE, VERDICT_IDS, TinySite, claim_path
from factcheck.site import parts

ARTICLE_HTML = "articles/test-article/index.html"
FAST_HTML = "articles/test-article/claims/works-fast/index.html"
SAFE_HTML = "articles/test-article/claims/safe-for-everyone/index.html"

LISTINGS = {
    "docs/claims.md": "---\nfactcheck: claims\n---\n\n# All claims\n",
    "docs/references.md": "---\nfactcheck: references\n---\n\n# References\n",
    "docs/methodology.md": "---\nfactcheck: methodology\n---\n\n# Methodology\n\n## Choosing claims\n\nText.\n",
    "docs/corrections.md": "---\nfactcheck: corrections\n---\n\n# Corrections\n",
    "docs/about.md": "---\nfactcheck: about\n---\n\n# About\n",
    "docs/search.md": "---\nfactcheck: search\n---\n\n# Search\n",
}
MASTHEAD = """\
organization: Test fact-check
roles:
  - role: Editors
    duties: Write claims.
    people: []
funding: None.
conflicts: None.
corrections: We correct openly.
contact: Open an issue.
"""


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
    assert '<a class="fc-ref__link" href="https://doi.org/10.1016/S0006-3223(99)00230-9" rel="noopener nofollow">' in entry
    assert '<a class="fc-ref__link" href="https://pubmed.ncbi.nlm.nih.gov/10686270/" rel="noopener nofollow">PubMed 10686270</a>' in entry
    assert "[Randomised controlled trial]" in entry


def _contents(page: str) -> str:
    """The HTML of the page's table of contents (the theme's secondary navigation, nested lists and all)."""
    start = page.rindex('<nav class="md-nav md-nav--secondary"')  # the first is inside the primary navigation, for phones
    return page[start : page.index('<div class="md-content"', start)]


def test_claim_page_opens_with_the_verdict(tiny: TinySite) -> None:
    page = tiny.build()[SAFE_HTML]
    # The verdict is the headline, the tab's title and the share card's title; the claim is labelled as such.
    assert '<h1 id="verdict">Inaccurate: Ketamine is safe for everyone</h1>' in page
    assert "<title>Inaccurate: Ketamine is safe for everyone - Test site</title>" in page
    assert '<meta property="og:title" content="Inaccurate: Ketamine is safe for everyone">' in page
    assert '<meta name="twitter:title" content="Inaccurate: Ketamine is safe for everyone">' in page
    card = re.search(r'<div class="fc-card fc-verdict--inaccurate" data-verdict="inaccurate">(.*?)</div>', page, re.S).group(1)
    assert re.search(r'<span class="fc-card__label">Verdict</span> Inaccurate</p>', card)
    assert re.search(r'<span class="fc-card__label">Evidence</span> Low certainty</p>', card)
    assert '<p class="fc-card__takeaway">Ketamine may cause side effects.</p>' in card
    assert "Claim 2 of 3 in" in card
    assert page.index("fc-card") < page.index('<h2 id="the-claim">The claim</h2>')
    assert '<p class="fc-claim-text__restated"><strong>The claim:</strong> Ketamine is safe for everyone.</p>' in page
    assert '<a href="../../#claim-safe-for-everyone">See them in context</a>' in page
    assert '<td data-label="Stance"><span class="fc-stance fc-stance--contradicts">Contradicts</span></td>' in page
    assert '<time datetime="2026-01-01">2026-01-01</time>' in page


def test_claim_page_links_to_methodology_and_lists_every_section(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    page = tiny.build()[SAFE_HTML]
    assert '<a href="../../../../methodology/#verdicts" class="fc-card__term">Inaccurate</a>' in page
    toc = _contents(page)
    titles = [" ".join(title.split()) for title in re.findall(r'<span class="md-ellipsis">(.*?)</span>', toc, re.S)]
    assert titles[-6:] == ["The claim", "Why this certainty", "Analysis", "Sources", "References", "About this check"]
    # The theme's skip link goes to the first section.
    assert re.search(r'<a href="#verdict" class="md-skip">', page)


def test_corrections_log_is_shown_only_when_present(tiny: TinySite) -> None:
    assert '<h2 id="corrections">' not in tiny.build()[FAST_HTML]
    tiny.replace(claim_path("works-fast"), "reviewed: 2026-01-01", "reviewed: 2026-03-01\ncorrections:\n  - date: 2026-02-01\n"
                 "    note: Re-rated after a new trial.\n    previous_verdict: mostly-accurate")
    page = tiny.build()[FAST_HTML]
    assert '<h2 id="corrections">Corrections</h2>' in page
    assert re.search(r'<li><time datetime="2026-02-01">2026-02-01</time> · verdict was <span class="fc-badge fc-verdict--mostly-accurate">'
                     r'<span class="fc-badge__kind">Verdict:</span> Mostly accurate</span>: Re-rated after a new trial.</li>', page)


def test_corrections_page_and_feed_list_every_correction_newest_first(tiny: TinySite) -> None:
    import xml.etree.ElementTree as ET

    tiny.write_all(LISTINGS)
    tiny.replace(claim_path("works-fast"), "reviewed: 2026-01-01", "reviewed: 2026-03-01\ncorrections:\n  - date: 2026-02-01\n"
                 "    note: Re-rated.\n    previous_verdict: mostly-accurate")
    tiny.replace(claim_path("most-patients"), "reviewed: 2026-01-01", "reviewed: 2026-04-01\ncorrections:\n  - date: 2026-04-01\n"
                 "    note: A number fixed.")
    page = tiny.build()["corrections/index.html"]
    heads = re.findall(r'<p class="fc-correction-log__head"><time datetime="([0-9-]+)">.*?<a href="([^"]+)">', page)
    assert heads == [("2026-04-01", "../articles/test-article/claims/most-patients/#corrections"),
                     ("2026-02-01", "../articles/test-article/claims/works-fast/#corrections")]
    assert "Verdict <span class=\"fc-badge fc-verdict--mostly-accurate\">" in page
    feed = ET.parse(tiny.root / "site/corrections.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert [entry.find(f"{atom}updated").text for entry in entries] == ["2026-04-01T00:00:00Z", "2026-02-01T00:00:00Z"]
    assert entries[1].find(f"{atom}summary").text == "Verdict changed from Mostly accurate to Accurate. Re-rated."
    assert feed.find(f"{atom}link[@rel='self']").get("href") == "https://factcheck.example.org/corrections.xml"


def test_references_page_lists_cited_by(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    page = tiny.build()["references/index.html"]
    entry = re.search(r'<li id="berman2000" class="fc-ref">(.*?)</li>', page, re.S).group(1)
    assert '<a href="../articles/test-article/claims/works-fast/">1. Accurate: Ketamine relieves depression within hours</a>' in entry
    assert '<a href="../articles/test-article/claims/safe-for-everyone/">2. Inaccurate: Ketamine is safe for everyone</a>' in entry


def test_claims_index_lists_claims_in_article_order(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    page = tiny.build()["claims/index.html"]
    order = re.findall(r'<td class="fc-index__claim"><a href="../articles/test-article/claims/([a-z-]+)/">', page)
    assert order == ["works-fast", "safe-for-everyone", "most-patients"]
    row = re.search(r'<tr data-verdict="inaccurate">(.*?)</tr>', page, re.S).group(1)
    assert "Verdict:</span> Inaccurate</span>" in row and ">Ketamine is safe for everyone</a>" in row


def test_long_listings_are_cut_into_pages_that_link_to_each_other(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(parts.SIZES, "claims", 2)  # three claims: pages of 2 and 1
    monkeypatch.setitem(parts.SIZES, "references", 1)  # two references: a page each
    tiny.write_all(LISTINGS)
    pages = tiny.build()  # strict: every link between the pages, and to their entries, resolves
    first, second = pages["claims/index.html"], pages["claims/page-2/index.html"]
    shown = [re.findall(r'<td class="fc-index__claim"><a href="[./]*articles/test-article/claims/([a-z-]+)/">', page) for page in (first, second)]
    assert shown == [["works-fast", "safe-for-everyone"], ["most-patients"]]
    assert "Claims 1–2 of 3, page 1 of 2; the other pages are listed at the end." in first
    assert '<a href="page-2/" rel="next">Next</a>' in first and '<span aria-current="page">1</span>' in first
    assert '<a href="../" rel="prev">Previous</a>' in second and '<span aria-current="page">2</span>' in second
    assert '\n<h2 id="index-test-article">A test article (continued)</h2>' in second
    assert '<a href="#index-test-article" class="md-nav__link">' in second  # in the table of contents too
    assert "<title>All claims, page 2 of 2 - " in second
    refs = pages["references/page-2/index.html"]
    assert '<ol class="fc-reflist" start="2">' in refs and '<li id="short2018" class="fc-ref">' in refs
    assert 'id="berman2000"' in pages["references/index.html"] and 'id="short2018"' not in pages["references/index.html"]
    assert '<a href="../../../../references/page-2/#short2018" class="fc-ref__all">' in pages[SAFE_HTML]
    index = "".join(path.read_text(encoding="utf-8") for path in sorted((tiny.root / "site" / "search-index").rglob("*.json")))
    assert '"u":"references/page-2/#short2018"' in index  # search finds a reference on its page
    assert "claims/page-2/" in (tiny.root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "page-2" not in re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', first, re.S).group(0)



def test_the_claims_by_verdict_are_cut_into_pages_in_the_scales_order(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(parts.SIZES, "verdict-tags", 2)
    tiny.write_all(LISTINGS)
    tiny.write("docs/verdicts.md", "---\nfactcheck: verdict-tags\n---\n\n# Claims by verdict\n")
    pages = tiny.build()
    shown = [pages[name] for name in ("verdicts/index.html", "verdicts/page-2/index.html")]
    headings = [re.findall(r'<h2 id="([a-z-]+)">', page) for page in shown]
    assert headings[0] + headings[1] == VERDICT_IDS  # every verdict once, in the scale's order, across the pages
    rows = [re.findall(r'<td class="fc-index__claim"><a href="[./]*articles/test-article/claims/([a-z-]+)/">', page) for page in shown]
    assert [len(r) for r in rows] == [2, 1] and sorted(rows[0] + rows[1]) == ["most-patients", "safe-for-everyone", "works-fast"]
    assert "Claims 3–3 of 3, page 2 of 2" in shown[1]


def test_a_page_where_a_listing_continues_is_an_error_with_file_and_line(tiny: TinySite, monkeypatch: pytest.MonkeyPatch,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(parts.SIZES, "claims", 2)
    tiny.write_all(LISTINGS)
    tiny.write("docs/claims/page-2.md", "# Our own page\n")
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
        tiny.build(strict=True)
    errors = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert ("docs/claims/page-2.md:1:1: error: this page has the address where docs/claims.md continues once it is cut "
            "into pages (claims/page-2/); rename or move it [page-address-taken]") in errors


def test_a_listings_later_pages_keep_its_title_as_text(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(parts.SIZES, "claims", 2)
    tiny.write_all({**LISTINGS, "docs/claims.md": '---\nfactcheck: claims\ntitle: "All <img src=x onerror=alert(1)> *claims*"\n---\n\n# All\n'})
    second = tiny.build()["claims/page-2/index.html"]
    heading = re.search(r"<h1 id=[^>]*>(.*?)</h1>", second, re.S).group(1)
    assert heading == "All &lt;img src=x onerror=alert(1)&gt; *claims*, page 2 of 2"
    assert "<title>All &lt;img src=x onerror=alert(1)&gt; *claims*, page 2 of 2 - Test site</title>" in second


def test_a_listing_that_fits_is_one_page(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    pages = tiny.build()
    assert not any("page-2" in name for name in pages)
    assert "fc-pager" not in pages["claims/index.html"] and "fc-pager" not in pages["references/index.html"]


def test_methodology_is_generated_from_the_vocabularies(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    page = tiny.build()["methodology/index.html"]
    assert "<td>Cohort or case-control study <code>cohort/case-control</code></td><td>Low certainty</td>" in page
    assert "Mostly accurate</span></td><td>5</td>" in page
    assert "<td>“probably” or “likely”</td>" in page
    # The contents list the page's own sections and those the template adds.
    toc = _contents(page)
    titles = [" ".join(title.split()) for title in re.findall(r'<span class="md-ellipsis">(.*?)</span>', toc, re.S)]
    assert titles == ["Choosing claims", "Verdicts", "Certainty of the evidence", "Study designs and the certainty they can support",
                      "Rating up", "How a source bears on a claim", "How the bottom line is worded",
                      "Retractions and expressions of concern", "Passages that are not claims"]


def test_claim_pages_stay_out_of_the_navigation(tiny: TinySite) -> None:
    page = tiny.build()["index.html"]
    assert "works-fast" not in page


def test_navigation_names_every_page_on_pages_built_after_it(tiny: TinySite) -> None:
    # The hooks let go of a rendered page's text; MkDocs then named it "None" in the navigation
    # of every page built after it, wherever mkdocs.yml gives no title of its own.
    tiny.write_all(LISTINGS)
    pages = tiny.build()
    for name in ("methodology/index.html", "references/index.html", FAST_HTML):
        start = pages[name].index('<nav class="md-nav md-nav--primary"')
        nav = pages[name][start : pages[name].index('<div class="md-sidebar md-sidebar--secondary"', start)]
        labels = [" ".join(label.split()) for label in re.findall(r'<span class="md-ellipsis">(.*?)</span>', nav, re.S)]
        assert {"All claims", "References", "A test article", "Methodology"} <= set(labels), (name, labels)
        assert "None" not in labels


def _index(tiny: TinySite) -> tuple[dict[str, object], list[dict[str, object]], dict[str, dict[str, list[list[int]]]]]:
    folder = tiny.root / "site" / "search-index"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    docs = [doc for shard in sorted((folder / "d").glob("*.json"), key=lambda p: int(p.stem))
            for doc in json.loads(shard.read_text(encoding="utf-8"))]
    terms = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in (folder / "t").glob("*.json")}
    return meta, docs, terms


def _pages_with(terms: dict[str, dict[str, list[list[int]]]], docs: list[dict[str, object]], word: str) -> list[object]:
    return [docs[page]["u"] for page, _ in terms.get(word[:2], {}).get(word, [])]


def test_search_index_holds_every_claim_article_reference_and_page(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    tiny.build()
    meta, docs, terms = _index(tiny)
    assert meta["pages"] == len(docs)
    fast = next(doc for doc in docs if doc["u"] == "articles/test-article/claims/works-fast/")
    assert fast["t"] == "Accurate: Ketamine relieves depression within hours"
    assert fast["f"] == {"verdict": "Accurate", "certainty": "Moderate certainty", "article": "A test article"}
    assert fast["x"] == "Ketamine probably relieves depression within hours."
    # Words of the analysis find the claim, the title counting most; references and pages are found too.
    assert _pages_with(terms, docs, "randomised")[0] == "articles/test-article/claims/works-fast/"
    assert "references/#berman2000" in _pages_with(terms, docs, "antidepressant")
    assert "methodology/" in _pages_with(terms, docs, "choosing")
    # The filters are lists of pages, one file per value.
    inaccurate = json.loads((tiny.root / "site/search-index/f/verdict/inaccurate.json").read_text(encoding="utf-8"))
    assert [docs[page]["u"] for page in inaccurate] == ["articles/test-article/claims/safe-for-everyone/"]
    assert meta["filters"]["verdict"]["Needs context"] == "needs-context"


def test_no_page_but_search_loads_any_of_the_index(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    pages = tiny.build()
    for name, page in pages.items():
        assert ("search-index" in page) == (name == "search/index.html"), name


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


def test_report_link_opens_a_prefilled_issue_form_or_is_left_out(tiny: TinySite) -> None:
    page = tiny.build()[FAST_HTML]
    assert "Report a problem" not in page  # no repository configured: no dead link
    assert "<dt>Corrections</dt>" in page
    tiny.replace("mkdocs.yml", "plugins: []", "plugins: []\nextra:\n  fc_repo_url: https://github.com/example/kap")
    page = tiny.build()[FAST_HTML]
    link = re.search(r'<a class="fc-report" href="([^"]+)"', page).group(1)
    assert link == ("https://github.com/example/kap/issues/new?template=report-a-problem.yml&amp;title=Problem+with+claim+works-fast"
                    "&amp;claim=works-fast&amp;page=https%3A%2F%2Ffactcheck.example.org%2Farticles%2Ftest-article%2Fclaims%2Fworks-fast%2F")


def test_about_page_shows_the_masthead_and_the_organization(tiny: TinySite) -> None:
    tiny.write_all(LISTINGS)
    tiny.write("docs/masthead.yml", MASTHEAD)
    pages = tiny.build()
    about = pages["about/index.html"]
    assert '<h2 id="who-we-are">Who we are</h2>' in about
    assert '<td data-label="Who">No one has signed this role yet</td>' in about
    organization = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', about, re.S).group(1))
    assert organization["correctionsPolicy"] == "https://factcheck.example.org/about/#corrections"
    assert organization["ownershipFundingInfo"] == "https://factcheck.example.org/about/#funding"
    assert organization["publishingPrinciples"] == "https://factcheck.example.org/methodology/"
    assert "masthead.yml" not in " ".join(pages)  # data, not a page


def test_masthead_is_validated(tiny: TinySite) -> None:
    tiny.write("docs/masthead.yml", MASTHEAD.replace("people: []", "people: [{name: x}]").replace("funding: None.\n", ""))
    assert tiny.check().problems == [
        "docs/masthead.yml:5:1: error: 'people' in item 1 of 'roles' must be a list of names in double quotes [wrong-type]",
        "docs/masthead.yml:9:1: error: missing required key 'funding' [missing-key]",
    ]


def test_home_and_article_open_with_the_editors_answer(tiny: TinySite) -> None:
    tiny.write("docs/index.md", "---\nfactcheck: home\n---\n\n# Is it true?\n")
    tiny.replace(ARTICLE_PATH, "non_claims:", "key_claims: [safe-for-everyone]\nnon_claims:")
    pages = tiny.build()
    for name in ("index.html", ARTICLE_HTML):
        answer = re.search(r'<div class="fc-answer">(.*?)</div>', pages[name], re.S).group(1)
        assert '<p class="fc-answer__summary">Partly true: ketamine works fast, but it is not safe for everyone.</p>' in answer, name
        assert re.search(r'<a href="[^"]*claims/safe-for-everyone/"><span class="fc-badge fc-verdict--inaccurate">.*?</span> '
                         r'<span class="fc-answer__claim">Ketamine is safe for everyone</span></a>', answer), name


def test_article_page_offers_the_plain_text(tiny: TinySite) -> None:
    page = tiny.build()[ARTICLE_HTML]
    assert '<input type="radio" name="fc-mode" id="fc-mode-checked" value="checked" checked>' in page
    assert '<input type="radio" name="fc-mode" id="fc-mode-plain" value="plain">' in page
    assert page.index('id="fc-mode-plain"') < page.index('class="fc-article__text"')


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
    """The README's first command (`make serve`: `mkdocs serve --dirty`) builds, serves, and rebuilds when a .bib changes."""
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
        [sys.executable, "-m", ENGINE_MODULE, "serve", "--dirty", "-a", f"127.0.0.1:{port}", "-f", str(tiny.root / "mkdocs.yml")],
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
        assert '<h1 id="verdict">Accurate: Ketamine relieves depression within hours</h1>' in page
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
           "verdict-tags, certainty-tags, corrections, rules, search, about [unknown-page-kind]" in errors
