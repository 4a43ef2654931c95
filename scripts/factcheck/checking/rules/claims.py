"""Rules on each claim: its terms, its sources and citations, its certainty, its wording and its dates."""

from __future__ import annotations

from ...model.content import Claim, Project
from ...model.problems import Problem
from ...model.registry import (
    BARE_CITATION,
    BOTTOM_LINE_WORDING,
    CERTAINTY_CEILING,
    CITATION_NOT_IN_SOURCES,
    DUPLICATE_CLAIM,
    DUPLICATE_SOURCE,
    FUTURE_REVIEW,
    NO_ARTICLE,
    NOTICE_UNADDRESSED,
    RECHECK_DUE,
    SOURCE_NOT_CITED,
    STALE_REVIEW,
    UNKNOWN_REFERENCE,
    UNKNOWN_TERM,
)
from ...model.vocabularies import Vocabularies, Vocabulary
from ...reading.bibliography import parse_notices
from ...reading.schema import did_you_mean
from .context import Context

REVIEW_VALID_DAYS = 365


def check(context: Context) -> list[Problem]:
    problems = duplicate_ids(context.project)
    for claim in context.project.claims:
        problems += one(claim, context)
    return problems


def duplicate_ids(project: Project) -> list[Problem]:
    seen: dict[str, Claim] = {}
    problems = []
    for claim in project.claims:
        if claim.id in seen:
            problems.append(DUPLICATE_CLAIM.at(claim.path, 1, f"claim id '{claim.id}' is also used by {seen[claim.id].path}; rename one file"))
        else:
            seen[claim.id] = claim
    return problems


class _Terms:
    """Checks values against a vocabulary, remembering whether every one was known."""

    def __init__(self, claim: Claim, problems: list[Problem]) -> None:
        self.claim = claim
        self.problems = problems

    def known(self, value: str, key: str, vocabulary: Vocabulary, line: int) -> bool:
        if value and value not in vocabulary:
            self.problems.append(UNKNOWN_TERM.at(
                self.claim.path, line, f"unknown {key} '{value}'{did_you_mean(value, vocabulary.ids)}; one of: {vocabulary.choices()}"))
            return False
        return bool(value)


def one(claim: Claim, context: Context) -> list[Problem]:
    """Every rule on one claim."""
    project, vocab = context.project, context.vocab
    problems: list[Problem] = []
    path = claim.path
    terms = _Terms(claim, problems)
    if claim.article_slug not in project.articles:
        problems.append(NO_ARTICLE.at(path, 1, f"no article index.md for the folder '{claim.article_slug}'"))
    terms.known(claim.verdict, "verdict", vocab.verdict, claim.line_of("verdict"))
    certainty_ok = terms.known(claim.certainty, "certainty", vocab.certainty, claim.line_of("certainty"))
    upgrade_ok = terms.known(claim.certainty_upgrade, "certainty_upgrade", vocab.certainty_upgrade, claim.line_of("certainty_upgrade"))
    for correction in claim.corrections:
        terms.known(correction.previous_verdict, "previous_verdict", vocab.verdict, correction.line)
        terms.known(correction.previous_certainty, "previous_certainty", vocab.certainty, correction.line)
    stances_ok = True
    seen: set[str] = set()
    for source in claim.sources:
        stances_ok = terms.known(source.stance, "stance", vocab.stance, source.line) and stances_ok
        if source.key in seen:
            problems.append(DUPLICATE_SOURCE.at(path, source.line, f"'{source.key}' is listed twice in sources; keep one"))
        seen.add(source.key)
        if source.key and source.key not in project.references:
            problems.append(_unknown_reference(path, source.line, 1, source.key, project))
    problems += _citations(claim, project)
    # The ceiling depends on every term above, and on there being sources at all; judging it
    # from a misspelt one would only add noise.
    if claim.sources and certainty_ok and stances_ok and (upgrade_ok or not claim.certainty_upgrade):
        problems += _certainty_ceiling(claim, project, vocab)
    if certainty_ok and claim.bottom_line:
        problems += _wording(claim, vocab)
    problems += _dates(claim, context)
    problems += _notices(claim, project, vocab)
    return problems


def _unknown_reference(path: str, line: int, col: int, key: str, project: Project) -> Problem:
    hint = did_you_mean(key, list(project.references))
    return UNKNOWN_REFERENCE.at(path, line, f"no reference '{key}' in references/*.bib{hint}", col)


def _citations(claim: Claim, project: Project) -> list[Problem]:
    problems = []
    listed = {source.key for source in claim.sources}
    cited: set[str] = set()
    for group in claim.citation_groups:
        for citation in group.citations:
            cited.add(citation.key)
            if citation.key not in project.references:
                problems.append(_unknown_reference(claim.path, citation.line, citation.col, citation.key, project))
            elif citation.key not in listed:
                problems.append(CITATION_NOT_IN_SOURCES.at(
                    claim.path, citation.line, f"'{citation.key}' is cited in the analysis but not listed in sources; add it with its stance", citation.col))
    for key, line, col in claim.bare_keys:
        if key in project.references:
            problems.append(BARE_CITATION.at(claim.path, line, f"'@{key}' outside brackets is not a citation; write [@{key}]", col))
    for source in claim.sources:
        if source.key and source.key in project.references and source.key not in cited:
            problems.append(SOURCE_NOT_CITED.at(
                claim.path, source.line, f"'{source.key}' is listed in sources but never cited in the analysis; cite it as [@{source.key}] "
                "where the analysis relies on it, or remove it"))
    return problems


def _certainty_ceiling(claim: Claim, project: Project, vocab: Vocabularies) -> list[Problem]:
    rank = vocab.certainty_rank(claim.certainty)
    if rank is None:  # documentary: settled by a document, not graded
        return []
    default = vocab.default_certainty
    ceilings = []
    for source in claim.sources:
        reference = project.references.get(source.key)
        stance = vocab.stance.get(source.stance)
        if stance is None or not stance.bears_on_certainty or reference is None:
            continue
        if reference.design not in vocab.design:  # reported on the entry; no ceiling can be judged
            return []
        ceiling = vocab.design[reference.design].ceiling or default.id
        ceilings.append((vocab.certainty_rank(ceiling) or default.rank or 1, reference))
    best_rank = max((c for c, _ in ceilings), default=default.rank or 1)
    allowed = best_rank + (1 if claim.certainty_upgrade else 0)
    if rank <= allowed:
        return []
    allowed_term = vocab.certainty_of_rank(min(allowed, vocab.top_rank))
    if ceilings:
        best = max(ceilings, key=lambda item: item[0])[1]
        basis = f"its strongest supporting or contradicting source, '{best.key}', is a {vocab.design[best.design].label.lower()}"
    else:
        basis = "it has no supporting or contradicting source"
    upgrade = " even with its certainty_upgrade" if claim.certainty_upgrade else ""
    return [CERTAINTY_CEILING.at(claim.path, claim.line_of("certainty"),
                                 f"certainty '{claim.certainty}' is above '{allowed_term.id}'{upgrade}: {basis}")]


def _wording(claim: Claim, vocab: Vocabularies) -> list[Problem]:
    term = vocab.certainty[claim.certainty]
    if term.uses_wording(claim.bottom_line):
        return []
    words = " or ".join(f'"{words}"' for words in term.wording)
    return [BOTTOM_LINE_WORDING.at(claim.path, claim.line_of("bottom_line"),
                                   f"the bottom line of a claim of {term.label.lower()} says so with {words} (GRADE's wording for it)")]


def _dates(claim: Claim, context: Context) -> list[Problem]:
    problems = []
    today = context.today
    if claim.reviewed and claim.reviewed > today:
        problems.append(FUTURE_REVIEW.at(claim.path, claim.line_of("reviewed"),
                                         f"reviewed {claim.reviewed.isoformat()} is later than today ({today.isoformat()}); use the date of the review"))
    elif claim.reviewed and (today - claim.reviewed).days > REVIEW_VALID_DAYS:
        problems.append(STALE_REVIEW.at(claim.path, claim.line_of("reviewed"),
                                        f"last reviewed {claim.reviewed.isoformat()}, more than 12 months ago; review it and update 'reviewed'"))
    for correction in claim.corrections:
        if correction.date > today:
            problems.append(FUTURE_REVIEW.at(claim.path, correction.line,
                                             f"the correction dated {correction.date.isoformat()} is later than today ({today.isoformat()})"))
    if claim.recheck_by and claim.recheck_by < today:
        problems.append(RECHECK_DUE.at(claim.path, claim.line_of("recheck_by"),
                                       f"due for re-checking since {claim.recheck_by.isoformat()}: check it against what has happened since, "
                                       "then update 'reviewed' and 'recheck_by'"))
    return problems


def _notices(claim: Claim, project: Project, vocab: Vocabularies) -> list[Problem]:
    """A retraction or expression of concern on a supporting source, not yet dealt with by the claim."""
    problems: list[Problem] = []
    if not any(project.references[s.key].get("notices") for s in claim.sources if s.key in project.references):
        return problems
    cited_dois = {project.references[key].doi.lower() for key in claim.cited_keys if key in project.references}
    for source in claim.sources:
        reference = project.references.get(source.key)
        if reference is None or source.stance != "supports" or not reference.get("notices"):
            continue
        notices, _ = parse_notices(reference.get("notices"))
        for notice in notices:
            term = vocab.notice.get(notice.kind)
            if term is None or not term.blocks_support:
                continue
            reviewed_after = claim.reviewed is not None and claim.reviewed >= notice.date
            cites_it = notice.doi.lower() in cited_dois or notice.doi.lower() in claim.body.lower()
            if reviewed_after and cites_it:
                continue
            missing = [] if reviewed_after else [f"review the claim after {notice.date.isoformat()}"]
            missing += [] if cites_it else [f"cite the notice (doi {notice.doi}) in the analysis"]
            problems.append(NOTICE_UNADDRESSED.at(
                claim.path, source.line, f"'{source.key}' supports this claim but has a {term.label.lower()} ({notice.date.isoformat()}): "
                + " and ".join(missing)))
    return problems
