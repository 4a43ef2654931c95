"""Machine-readable output: ClaimReview JSON-LD, claims.json against its schema, Web Annotations, tags, meta."""

from __future__ import annotations

import json
import re
from pathlib import Path

import extruct
import jsonschema
import pytest

from conftest import ARTICLE_TEXT, TinySite

FAST_HTML = "articles/test-article/claims/works-fast/index.html"


@pytest.fixture
def built(tiny: TinySite) -> tuple[TinySite, dict[str, str]]:
    tiny.write("docs/claims.md", "---\nfactcheck: claims\n---\n\n# All claims\n")
    tiny.write("docs/verdicts.md", "---\nfactcheck: verdict-tags\n---\n\n# By verdict\n")
    tiny.write("docs/about.md", "# About\n\n## Corrections\n")
    return tiny, tiny.build()


def json_ld(page: str) -> list[dict]:
    return extruct.extract(page, syntaxes=["json-ld"], uniform=True)["json-ld"]


def test_each_claim_page_has_one_claim_review_matching_the_page(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    claim_pages = {name: page for name, page in pages.items() if "/claims/" in name}
    assert len(claim_pages) == 3
    for name, page in claim_pages.items():
        items = json_ld(page)
        assert len(items) == 1, name
        review = items[0]
        assert review["@type"] == "ClaimReview"
        visible_verdict = re.search(r'<span class="fc-badge__kind">Verdict:</span> ([^<]+)</span>', page).group(1)
        assert review["reviewRating"]["alternateName"] == visible_verdict
        assert review["claimReviewed"] == re.search(r"<h1>(.*?)</h1>", page).group(1)
        assert review["reviewRating"]["bestRating"] == 6 and review["reviewRating"]["worstRating"] == 1
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["itemReviewed"]["author"]["name"] == "Test Clinic"
        assert review["itemReviewed"]["appearance"]["url"] == "https://example.org/article"
        assert review["url"] == "/" + name.removesuffix("index.html")
    fast = json_ld(pages[FAST_HTML])[0]
    assert fast["reviewRating"]["ratingValue"] == 6
    assert fast["reviewRating"]["ratingExplanation"] == "Ketamine probably relieves depression within hours."
    assert fast["datePublished"] == "2026-01-01"
    for name, page in pages.items():
        if "/claims/" not in name:
            assert json_ld(page) == [], name


def test_json_ld_cannot_be_broken_out_of(tiny: TinySite) -> None:
    tiny.replace("docs/articles/test-article/claims/works-fast.md", 'claim: "Ketamine relieves depression within hours."',
                 'claim: "</script><script>alert(1)</script>"')
    page = tiny.build(strict=False)[FAST_HTML]
    assert "<script>alert(1)" not in page
    assert json_ld(page)[0]["claimReviewed"] == "</script><script>alert(1)</script>"


def test_claims_json_follows_its_schema(built: tuple[TinySite, dict[str, str]]) -> None:
    tiny, _ = built
    data = json.loads((tiny.root / "site/claims.json").read_text(encoding="utf-8"))
    schema = json.loads((tiny.root / "site/claims.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert [claim["id"] for claim in data["claims"]] == ["works-fast", "safe-for-everyone", "most-patients"]
    safe = data["claims"][1]
    assert safe["verdict"] == {"id": "inaccurate", "label": "Inaccurate", "rating": 1}
    assert safe["sources"][0]["doi"] == "10.1016/S2215-0366(17)30272-9"
    assert safe["sources"][1]["pmid"] == "10686270"
    assert safe["url"] == "/articles/test-article/claims/safe-for-everyone/"
    bad = json.loads(json.dumps(data))
    bad["claims"][0]["verdict"]["id"] = "sort-of-true"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_annotations_anchor_on_the_article_text(built: tuple[TinySite, dict[str, str]]) -> None:
    tiny, _ = built
    collection = json.loads((tiny.root / "site/annotations.jsonld").read_text(encoding="utf-8"))
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == 3
    for item in items:
        assert item["motivation"] == "assessing"
        assert item["target"]["source"] == "https://example.org/article"
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert ARTICLE_TEXT[position["start"] : position["end"]] == quote["exact"]
        assert quote["prefix"] + quote["exact"] + quote["suffix"] in ARTICLE_TEXT
        assert len(quote["prefix"]) <= 32 and len(quote["suffix"]) <= 32
        assert ARTICLE_TEXT.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1
        assert item["body"][1]["id"].endswith("/")


def test_claim_pages_have_description_and_open_graph(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    page = pages[FAST_HTML]
    assert '<meta name="description" content="Ketamine probably relieves depression within hours.">' in page
    assert '<meta property="og:title" content="Ketamine relieves depression within hours.">' in page
    assert '<meta property="og:description" content="Ketamine probably relieves depression within hours.">' in page
    assert 'class="md-tag' not in page  # the verdict shows once, in its badge, not also as a tag


def test_claims_by_verdict_follow_the_scale_with_each_definition(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    listing = pages["verdicts/index.html"]
    headings = re.findall(r'<h2 id="([a-z-]+)">', listing)
    assert headings == ["accurate", "mostly-accurate", "needs-context", "unsupported", "misleading", "inaccurate"]
    accurate = re.search(r'<h2 id="accurate">(.*?)</section>', listing, re.S).group(1)
    assert "(1 claim)" in accurate
    assert '<a href="../articles/test-article/claims/works-fast/">Ketamine relieves depression within hours.</a>' in accurate
    assert "Moderate certainty" in accurate  # the other grade, beside each claim
    assert "No claim is rated Misleading." in listing
    # Each verdict is a section of the page's contents, as the theme's table of contents shows.
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', listing, re.S).group(0)
    assert re.search(r'href="#needs-context"[^>]*>\s*<span class="md-ellipsis">\s*Needs context', toc)


def test_tags_json_gives_each_claim_its_verdict_and_certainty(built: tuple[TinySite, dict[str, str]]) -> None:
    tiny, _ = built
    data = json.loads((tiny.root / "site/tags.json").read_text(encoding="utf-8"))
    by_url = {m["item"]["url"]: m for m in data["mappings"]}
    fast = by_url["/articles/test-article/claims/works-fast/"]
    assert fast == {"item": {"url": "/articles/test-article/claims/works-fast/", "title": "Ketamine relieves depression within hours."},
                    "tags": ["Accurate", "Moderate certainty"]}
    assert len(by_url) == 3


def test_claim_pages_show_trust_signals(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    page = pages[FAST_HTML]
    assert "<dt>Reviewers</dt><dd>The editors of this site</dd>" in page
    assert '<dt>Found an error?</dt><dd><a href="../../../../about/#corrections">Report it</a>' in page
    assert '<dt>Source article</dt><dd><a href="https://example.org/article"' in page


def test_claims_index_has_a_chart_with_a_text_equivalent_and_a_filter(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    page = pages["claims/index.html"]
    assert '<svg role="img" aria-labelledby="fc-chart-index-title fc-chart-index-desc"' in page
    assert "<title id=\"fc-chart-index-title\">Claims by verdict and certainty of the evidence</title>" in page
    row = re.search(r'<tr><th scope="row">Inaccurate</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["0", "0", "1", "0", "0", "1"]
    assert '<input type="radio" name="fc-filter" id="fc-filter-misleading" value="misleading">' in page


def test_previews_are_described_for_assistive_technology(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    claim = pages[FAST_HTML]
    link = re.search(r'<a class="fc-cite__link" href="#ref-berman2000" aria-describedby="([^"]+)">', claim)
    assert link
    tip = re.search(rf'<span class="fc-tip" role="tooltip" id="{link.group(1)}">(.*?)</span>', claim, re.S).group(1)
    assert "Antidepressant effects of ketamine in depressed patients" in tip
    article = pages["articles/test-article/index.html"]
    assert "<strong>1. Accurate</strong> · Moderate certainty<br>Ketamine probably relieves depression within hours." in article


def test_site_builds_without_hooks_reading_the_network(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    pages = tiny.build()
    assert FAST_HTML in pages
    assert not Path(tiny.root / "site/claims.json").read_text(encoding="utf-8").count("http://127.0.0.1")
