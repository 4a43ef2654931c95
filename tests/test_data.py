"""Machine-readable output, checked by clients we did not write: ClaimReview, claims.json, claims.csv, Web Annotations, cards."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import extruct
import jsonschema
import pytest
from mkdocs.exceptions import Abort
from pyld import jsonld

from conftest import ARTICLE_PATH, ARTICLE_TEXT, SITE_URL, VERDICT_IDS, TinySite

FAST_HTML = "articles/test-article/claims/works-fast/index.html"
ANNO_CONTEXT = Path(__file__).parent / "data" / "anno.jsonld"


@pytest.fixture
def built(tiny: TinySite) -> tuple[TinySite, dict[str, str]]:
    tiny.write("docs/claims.md", "---\nfactcheck: claims\n---\n\n# All claims\n")
    tiny.write("docs/verdicts.md", "---\nfactcheck: verdict-tags\n---\n\n# By verdict\n")
    tiny.write("docs/about.md", "---\nfactcheck: about\n---\n\n# About\n")
    tiny.write("docs/methodology.md", "---\nfactcheck: methodology\n---\n\n# Methodology\n")
    return tiny, tiny.build()


def json_ld(page: str) -> list[dict[str, Any]]:
    return extruct.extract(page, syntaxes=["json-ld"], uniform=True)["json-ld"]  # type: ignore[no-any-return]


# Google's ClaimReview documentation: required (claimReviewed, reviewRating, url) and recommended properties.
REQUIRED = ("claimReviewed", "reviewRating", "url", "author", "datePublished", "itemReviewed")
RATING = ("ratingValue", "bestRating", "worstRating", "name", "alternateName", "ratingExplanation")


def test_each_claim_page_has_one_complete_claim_review(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    claim_pages = {name: page for name, page in pages.items() if "/claims/" in name and name.startswith("articles/")}
    assert len(claim_pages) == 3
    for name, page in claim_pages.items():
        (review,) = json_ld(page)
        assert review["@type"] == "ClaimReview"
        assert all(key in review for key in REQUIRED), name
        assert all(key in review["reviewRating"] for key in RATING), name
        visible = re.search(r'<span class="fc-card__label">Verdict</span> (?:<a [^>]*>)?([^<]+)', page).group(1)
        assert review["reviewRating"]["name"] == review["reviewRating"]["alternateName"] == visible
        assert len(review["claimReviewed"]) <= 75
        assert review["url"] == SITE_URL + name.removesuffix("index.html")
        assert review["author"]["url"] == SITE_URL
        assert review["author"]["@id"] == SITE_URL + "about/#who-we-are"
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]["name"] == "Test Clinic"
        assert item["appearance"]["url"] == "https://example.org/article"
        assert "datePublished" not in item  # the article's date is unknown: omitted, not guessed
    fast = json_ld(pages[FAST_HTML])[0]
    assert fast["claimReviewed"] == "Ketamine relieves depression within hours"
    assert fast["reviewRating"]["ratingValue"] == 6
    assert fast["reviewRating"]["ratingExplanation"] == "Ketamine probably relieves depression within hours."
    assert fast["datePublished"] == "2026-01-01"
    assert [name for name, page in pages.items() if json_ld(page) and "/claims/" not in name] == ["about/index.html"]


def test_a_full_publication_date_is_given_and_a_bare_year_is_not(tiny: TinySite) -> None:
    tiny.replace(ARTICLE_PATH, "retrieved: 2026-01-01", "retrieved: 2026-01-01\npublished: 2021-04-12")
    review = json_ld(tiny.build()[FAST_HTML])[0]
    assert review["itemReviewed"]["datePublished"] == "2021-04-12"
    tiny.replace(ARTICLE_PATH, "published: 2021-04-12", 'published: "2021"')
    assert "datePublished" not in json_ld(tiny.build()[FAST_HTML])[0]["itemReviewed"]


def test_json_ld_cannot_be_broken_out_of(tiny: TinySite) -> None:
    tiny.replace("docs/articles/test-article/claims/works-fast.md", 'claim_short: "Ketamine relieves depression within hours"',
                 'claim_short: "</script><script>alert(1)</script>"')
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
    assert safe["claim_short"] == "Ketamine is safe for everyone"
    assert safe["sources"][0]["doi"] == "10.1016/S2215-0366(17)30272-9"
    assert safe["sources"][1]["pmid"] == "10686270"
    assert safe["url"] == SITE_URL + "articles/test-article/claims/safe-for-everyone/"
    bad = json.loads(json.dumps(data))
    bad["claims"][0]["verdict"]["id"] = "sort-of-true"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_claims_csv_has_one_row_per_claim_and_source(built: tuple[TinySite, dict[str, str]]) -> None:
    tiny, _ = built
    rows = list(csv.DictReader(io.StringIO((tiny.root / "site/claims.csv").read_text(encoding="utf-8"), newline="")))
    assert [(row["claim_id"], row["source_key"]) for row in rows] == [
        ("works-fast", "berman2000"), ("safe-for-everyone", "short2018"), ("safe-for-everyone", "berman2000"), ("most-patients", "berman2000")]
    assert rows[1]["verdict"] == "inaccurate" and rows[1]["rating"] == "1" and rows[1]["stance"] == "contradicts"
    assert rows[0]["url"] == SITE_URL + "articles/test-article/claims/works-fast/"


def _expanded(collection: dict[str, Any]) -> list[dict[str, Any]]:
    context = json.loads(ANNO_CONTEXT.read_text(encoding="utf-8"))

    def loader(url: str, options: object = None) -> dict[str, Any]:
        assert url in ("http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld"), url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    return jsonld.expand(collection, {"documentLoader": loader})  # type: ignore[no-any-return]


OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
DCTERMS = "http://purl.org/dc/terms/"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


def test_annotations_are_a_complete_web_annotation_collection(built: tuple[TinySite, dict[str, str]]) -> None:
    tiny, _ = built
    collection = json.loads((tiny.root / "site/annotations.jsonld").read_text(encoding="utf-8"))
    (expanded,) = _expanded(collection)
    # Every term is defined by the context: JSON-LD processors drop any that is not.
    assert expanded["@id"] == SITE_URL + "annotations.jsonld"
    assert expanded["@type"] == [AS + "OrderedCollection"]
    assert expanded[AS + "totalItems"][0]["@value"] == 3
    (page,) = expanded[AS + "first"]
    assert page["@id"] == SITE_URL + "annotations.jsonld#page1"
    assert page[AS + "partOf"] == [{"@id": SITE_URL + "annotations.jsonld"}]
    assert expanded[AS + "generator"][0]["@type"] == [AS + "Application"]
    items = page[AS + "items"][0]["@list"]
    assert len(items) == 3
    for item in items:
        assert item["@id"].startswith(SITE_URL + "articles/test-article/claims/") and item["@id"].endswith("/#annotation")
        assert item[OA + "motivatedBy"] == [{"@id": OA + "assessing"}]
        assert item[DCTERMS + "created"][0]["@type"] == XSD_DATETIME
        assert item[DCTERMS + "modified"][0]["@type"] == XSD_DATETIME
        assert item[DCTERMS + "creator"][0]["@id"] == SITE_URL + "about/#who-we-are"
        text, link = item[OA + "hasBody"]
        assert text["http://purl.org/dc/elements/1.1/language"][0]["@value"] == "en"
        assert link["http://www.w3.org/2000/01/rdf-schema#label"][0]["@value"].split(": ")[0] in ("Accurate", "Inaccurate", "Needs context")
    for annotation in collection["first"]["items"]:
        selector = annotation["target"]["selector"]
        assert selector["type"] == "TextQuoteSelector"  # no position: it could not be counted over the original page
        assert annotation["target"]["source"] == "https://example.org/article"
        whole = selector.get("prefix", "") + selector["exact"] + selector.get("suffix", "")
        assert "\n" not in whole and whole in ARTICLE_TEXT and ARTICLE_TEXT.count(whole) == 1
        assert len(selector.get("prefix", "")) <= 32 and len(selector.get("suffix", "")) <= 32


def test_strict_build_refuses_a_missing_site_address(tiny: TinySite, caplog: pytest.LogCaptureFixture) -> None:
    tiny.replace("mkdocs.yml", "site_url: https://factcheck.example.org/\n", "")
    with pytest.raises(Abort):
        tiny.build(strict=True)
    assert "mkdocs.yml:1:1: error: no site address: set FACTCHECK_SITE_URL (or site_url)" in caplog.text
    tiny.build(strict=False)  # a lenient build (mkdocs serve) still works


def test_pages_have_canonical_links_share_cards_and_a_sitemap(built: tuple[TinySite, dict[str, str]]) -> None:
    tiny, pages = built
    page = pages[FAST_HTML]
    assert '<meta name="description" content="Ketamine probably relieves depression within hours.">' in page
    assert f'<link rel="canonical" href="{SITE_URL}articles/test-article/claims/works-fast/">' in page
    assert f'<meta property="og:url" content="{SITE_URL}articles/test-article/claims/works-fast/">' in page
    assert '<meta property="og:description" content="Ketamine probably relieves depression within hours.">' in page
    assert f'<meta property="og:image" content="{SITE_URL}cards/accurate.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    for name, other in pages.items():
        assert '<meta property="og:image"' in other and '<meta name="twitter:card"' in other, name
    from PIL import Image

    with Image.open(tiny.root / "site/cards/accurate.png") as card:
        assert card.size == (1200, 630)
    sitemap = (tiny.root / "site/sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}articles/test-article/claims/works-fast/</loc>" in sitemap


def test_claims_by_verdict_follow_the_scale_with_each_definition(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    listing = pages["verdicts/index.html"]
    headings = re.findall(r'<h2 id="([a-z-]+)">', listing)
    assert headings == VERDICT_IDS
    accurate = re.search(r'<h2 id="accurate">(.*?)<h2 ', listing, re.S).group(1)
    assert "(1 claim)" in accurate
    assert '<a href="../articles/test-article/claims/works-fast/">Ketamine relieves depression within hours</a>' in accurate
    assert "Moderate certainty" in accurate  # the other grade, beside each claim
    assert "No claim is rated Misleading." in listing
    toc = listing[listing.rindex('<nav class="md-nav md-nav--secondary"') :]
    assert re.search(r'href="#needs-context"[^>]*>\s*<span class="md-ellipsis">\s*Needs context', toc)


def test_tags_json_gives_each_claim_its_verdict_and_certainty(built: tuple[TinySite, dict[str, str]]) -> None:
    tiny, _ = built
    data = json.loads((tiny.root / "site/tags.json").read_text(encoding="utf-8"))
    by_url = {m["item"]["url"]: m for m in data["mappings"]}
    fast = by_url[SITE_URL + "articles/test-article/claims/works-fast/"]
    assert fast == {"item": {"url": SITE_URL + "articles/test-article/claims/works-fast/", "title": "Ketamine relieves depression within hours."},
                    "tags": ["Accurate", "Moderate certainty"]}
    assert len(by_url) == 3


def test_claim_pages_show_how_they_were_checked(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    page = pages[FAST_HTML]
    assert '<dt>Checked by</dt><dd>The site\'s editors, through a reviewed pull request (<a href="../../../../about/#who-we-are">who we are</a>)' in page
    assert "<dt>Corrections</dt><dd>We correct openly" in page
    assert "<p>This page reports what the published literature says; it is not medical advice.</p>" in page


def test_claims_index_has_a_chart_with_a_text_equivalent_and_a_filter(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    page = pages["claims/index.html"]
    assert '<svg class="fc-chart__svg" role="img" aria-labelledby="fc-chart-index-title fc-chart-index-desc"' in page
    assert "<title id=\"fc-chart-index-title\">Claims by verdict and certainty of the evidence</title>" in page
    row = re.search(r'<tr><th scope="row">Inaccurate</th>(.*?)</tr>', page).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["0", "0", "1", "0", "0", "1"]
    assert '<input type="radio" name="fc-filter" id="fc-filter-misleading" value="misleading">' in page
    # Phones get bars of real text instead of the SVG's shrunken labels.
    assert re.search(r'<li class="fc-verdict--inaccurate"><span class="fc-chart__bar-label">Inaccurate</span>', page)


def test_verdict_styles_are_generated_from_the_vocabulary(built: tuple[TinySite, dict[str, str]]) -> None:
    from factcheck.model import vocabularies

    tiny, _ = built
    css = (tiny.root / "site/stylesheets/verdicts.css").read_text(encoding="utf-8")
    for term in vocabularies.load().verdict.terms:
        assert f".fc-verdict--{term.id} {{ --fc-bg: var(--fc-{term.id}-bg); --fc-fg: var(--fc-{term.id}-fg); }}" in css
        assert f"#fc-filter-{term.id}:checked" in css
        assert (term.colors or {})["dark-fg"] in css


def test_previews_are_described_for_assistive_technology(built: tuple[TinySite, dict[str, str]]) -> None:
    _, pages = built
    claim = pages[FAST_HTML]
    link = re.search(r'<a class="fc-cite__link" href="#ref-berman2000" aria-describedby="([^"]+)">', claim)
    assert link
    tip = re.search(rf'<span class="fc-tip" role="tooltip" id="{link.group(1)}">(.*?)</span>', claim, re.S).group(1)
    assert "Antidepressant effects of ketamine in depressed patients" in tip
    article = pages["articles/test-article/index.html"]
    assert "<strong>1. Accurate</strong> · Moderate certainty<br>Ketamine probably relieves depression within hours." in article


def test_site_builds_without_reading_the_network(tiny: TinySite, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    pages = tiny.build()
    assert FAST_HTML in pages
    assert not Path(tiny.root / "site/claims.json").read_text(encoding="utf-8").count("http://127.0.0.1")


def test_the_dataset_can_be_cited() -> None:
    """CITATION.cff is valid Citation File Format 1.2.0 (its published schema, vendored), and names
    the project's version and the masthead's organisation."""
    import tomllib

    import yaml

    repo = Path(__file__).resolve().parent.parent
    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads((Path(__file__).parent / "data" / "cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(citation)
    assert citation["type"] == "dataset"
    version = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert citation["version"] == version
    masthead = yaml.safe_load((repo / "docs" / "masthead.yml").read_text(encoding="utf-8"))
    assert citation["authors"] == [{"name": masthead["organization"]}]
    assert "Ketamine-Assisted Psychotherapy (KAP); A Word of Caution" in " ".join(citation["title"].split())
