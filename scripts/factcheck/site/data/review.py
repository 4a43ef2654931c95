"""schema.org ClaimReview for each claim page, and the Organization behind the site.

Every property that Google's ClaimReview documentation and the Fact Check Tools list as
required or recommended is given: claimReviewed (the editors' short claim, at most 75
characters), reviewRating with ratingValue, bestRating, worstRating, name and alternateName,
url, author (the Organization of the masthead), datePublished, and itemReviewed, a Claim with
its author, appearance and, where the article's full date is known, datePublished.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ...model.content import Claim
from ...model.patterns import is_safe_url

if TYPE_CHECKING:
    from ..render import Settings
    from ..view import Site

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def organization(site: Site, settings: Settings) -> dict[str, Any]:
    """The site's Organization (schema.org), with the policies the IFCN and EFCSN codes ask for."""
    about = settings.absolute(site.urls.get("about.md", ""))
    org: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": about + "#who-we-are",
        "name": site.project.masthead.organization if site.project.masthead else settings.site_name,
        "url": settings.absolute(""),
        "publishingPrinciples": settings.absolute(site.urls.get("methodology.md", "")),
        "correctionsPolicy": about + "#corrections",
        "ownershipFundingInfo": about + "#funding",
        "ethicsPolicy": about + "#conflicts-of-interest",
    }
    if settings.repo_url and is_safe_url(settings.repo_url):
        org["sameAs"] = [settings.repo_url]
    return org


def claim_review(site: Site, claim: Claim, settings: Settings) -> dict[str, Any]:
    """The schema.org ClaimReview of one claim page (https://schema.org/ClaimReview)."""
    vocab = site.vocab
    verdict = vocab.verdict.get(claim.verdict)
    label = verdict.label if verdict else claim.verdict
    article = site.article_of(claim)
    org = organization(site, settings)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": settings.absolute(site.urls.get(claim.src_uri, "")),
        "claimReviewed": claim.claim_short or claim.claim,
        "inLanguage": "en",
        "author": {"@type": "Organization", "@id": org["@id"], "name": org["name"], "url": org["url"]},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": verdict.rating if verdict else None,
            "bestRating": vocab.best_rating,
            "worstRating": vocab.worst_rating,
            "name": label,
            "alternateName": label,
            "ratingExplanation": claim.bottom_line,
        },
    }
    if claim.reviewed:
        review["datePublished"] = claim.reviewed.isoformat()
    if claim.corrections:
        review["dateModified"] = max(c.date for c in claim.corrections).isoformat()
    if article:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": article.title,
                                      "author": {"@type": "Organization", "name": article.publisher}}
        if is_safe_url(article.url):
            appearance["url"] = article.url
        item: dict[str, Any] = {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": article.publisher},
            "appearance": appearance,
            "firstAppearance": appearance,
        }
        if _FULL_DATE.match(article.published):  # a bare year is not a date Google accepts
            item["datePublished"] = article.published
            appearance["datePublished"] = article.published
        review["itemReviewed"] = item
    return review
