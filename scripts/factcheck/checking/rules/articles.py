"""Rules on each article: its address, its non-claims' reasons, and the claims its summary leads to."""

from __future__ import annotations

from ...model.content import Article
from ...model.patterns import is_safe_url
from ...model.problems import Problem
from ...model.registry import BAD_URL, UNKNOWN_CLAIM, UNKNOWN_TERM
from ...reading.schema import did_you_mean
from .context import Context


def check(context: Context) -> list[Problem]:
    problems: list[Problem] = []
    for article in context.project.articles.values():
        problems += one(article, context)
    return problems


def one(article: Article, context: Context) -> list[Problem]:
    vocab = context.vocab
    problems = []
    if article.url and not is_safe_url(article.url):
        problems.append(BAD_URL.at(article.path, article.key_line("url"), f"the article's url '{article.url[:100]}' is not an http: or https: URL"))
    for non_claim in article.non_claims:
        if non_claim.reason and non_claim.reason not in vocab.non_claim_reason:
            ids = vocab.non_claim_reason.ids
            problems.append(UNKNOWN_TERM.at(article.path, non_claim.line,
                                            f"unknown non-claim reason '{non_claim.reason}'{did_you_mean(non_claim.reason, ids)}; "
                                            f"one of: {vocab.non_claim_reason.choices()}"))
    own = [claim.id for claim in context.project.claims if claim.article_slug == article.slug]
    for claim_id in article.key_claims:
        if claim_id not in own:
            problems.append(UNKNOWN_CLAIM.at(article.path, article.key_line("key_claims"),
                                             f"key_claims names '{claim_id}', which is not a claim of this article{did_you_mean(claim_id, own)}"))
    return problems
