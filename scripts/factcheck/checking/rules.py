"""Every rule of the checker. The site build calls ``check`` too, so the two never disagree.

Each finding is a ``Problem`` with a stable rule id; the rules are grouped by
what they look at: references, claims against their article, the article's
coverage, and the bibliography as a whole.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..checking import body
from ..checking.quotes import closest_passage, coverage, locate, near_miss, uncovered
from ..model import vocabularies
from ..model.content import Article, Claim, Project, Reference, Span, TextQuote
from ..model.problems import Problem, error, warning
from ..model.vocabularies import Vocabularies
from ..reading.cache import Cache
from ..reading.loading import Layout, Loaded, load
from ..reading.schema import did_you_mean

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
REFERENCE_KEY = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_:.+-]*[A-Za-z0-9_])?$")
AUTHOR_FIELDS = ("author", "editor", "organization", "institution")
IDENTIFIER_FIELDS = ("doi", "pmid", "url")
REVIEW_VALID_DAYS = 365
MAX_LISTED = 10  # occurrences of an ambiguous quote named in its message


@dataclass(frozen=True)
class Report:
    """The outcome of checking a site: what was loaded, where claims sit, and every problem."""

    project: Project
    problems: tuple[Problem, ...]
    spans: dict[str, Span] = field(default_factory=dict)  # claim id -> span in its article
    non_claim_spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)  # article slug -> spans
    coverage: dict[str, float] = field(default_factory=dict)  # article slug -> share of text covered

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def total_coverage(self) -> float:
        texts = {slug: len(a.text) for slug, a in self.project.articles.items()}
        total = sum(texts.values())
        if not total:
            return 1.0
        return sum(self.coverage.get(slug, 0.0) * size for slug, size in texts.items()) / total


def check(layout: Layout, today: datetime.date | None = None, cache: Cache | None = None) -> Report:
    """Load the site at ``layout`` (reusing ``cache``) and apply every rule."""
    return check_loaded(load(layout, cache), today)


def check_loaded(loaded: Loaded, today: datetime.date | None = None) -> Report:
    vocab = vocabularies.load()
    today = today or datetime.date.today()
    project = loaded.project
    problems = list(loaded.problems)
    problems += _duplicate_references(loaded)
    for reference in project.references.values():
        problems += _reference_rules(reference, vocab)
    problems += _duplicate_claims(project.claims)
    spans: dict[str, Span] = {}
    for claim in project.claims:
        problems += _claim_rules(claim, project, vocab, today)
        article = project.articles.get(claim.article_slug)
        if article is not None:
            span = _locate(article, claim.quote, claim.path, claim.line_of("quote"), problems)
            if span is not None:
                spans[claim.id] = span
    non_claim_spans: dict[str, tuple[Span, ...]] = {}
    coverages: dict[str, float] = {}
    for article in project.articles.values():
        problems += _article_rules(article, vocab)
        found = []
        for non_claim in article.non_claims:
            span = _locate(article, non_claim.quote, article.path, non_claim.line, problems)
            if span is not None:
                found.append(span)
        non_claim_spans[article.slug] = tuple(found)
        claim_spans = [spans[c.id] for c in project.claims if c.article_slug == article.slug and c.id in spans]
        all_spans = claim_spans + found
        coverages[article.slug] = coverage(article.text, all_spans)
        for gap in uncovered(article.text, all_spans):
            excerpt = _shorten(article.text[gap.start : gap.end])
            problems.append(
                warning(article.path, article.line_of(gap.start), "uncovered-text",
                        f"text in no claim's quote and no non-claim: \"{excerpt}\"")
            )
    problems += _uncited_references(project)
    return Report(project, tuple(sorted(set(problems))), spans, non_claim_spans, coverages)


def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- references -------------------------------------------------------------------------------


def _duplicate_references(loaded: Loaded) -> list[Problem]:
    places: dict[str, list[Reference]] = defaultdict(list)
    for bib in loaded.bib_files:
        for reference in bib.references:
            places[reference.key.lower()].append(reference)
    problems = []
    for entries in places.values():
        if len(entries) < 2:
            continue
        first = entries[0]
        for other in entries[1:]:
            where = f"{first.path}:{first.line}"
            problems.append(error(other.path, other.line, "duplicate-key", f"reference key '{other.key}' is already defined at {where}"))
        others = ", ".join(f"{e.path}:{e.line}" for e in entries[1:])
        problems.append(error(first.path, first.line, "duplicate-key", f"reference key '{first.key}' is defined again at {others}"))
    return problems


def _reference_rules(reference: Reference, vocab: Vocabularies) -> list[Problem]:
    path, line, key = reference.path, reference.line, reference.key
    problems = []

    def fail(rule: str, message: str) -> None:
        problems.append(error(path, line, rule, f"entry '{key}': {message}"))

    if not REFERENCE_KEY.match(key):
        fail("bad-key", "a key may hold only letters, digits and _ : . + - (and must not end in punctuation)")
    if not reference.get("title"):
        fail("missing-field", "missing field 'title'")
    year = reference.get("year")
    # "n.d." (no date) is the librarians' mark for an undated web document; a paper always has a year.
    undated_document = year == "n.d." and reference.url and not (reference.doi or reference.pmid)
    if not year:
        fail("missing-field", "missing field 'year' (four digits, or n.d. for an undated web document)")
    elif not (re.fullmatch(r"\d{4}", year) or undated_document):
        fail("missing-field", f"year '{year}' is not four digits (n.d. is only for an undated document with a url and no doi or pmid)")
    if not any(reference.get(name) for name in AUTHOR_FIELDS):
        fail("missing-field", "missing field 'author' (or 'organization' for a document by an institution)")
    if not any(reference.get(name) for name in IDENTIFIER_FIELDS):
        fail("missing-field", "needs a 'doi' or a 'pmid' (or a 'url' for a document that has neither)")
    if reference.doi and not DOI.match(reference.doi):
        fail("bad-doi", f"'{reference.doi}' is not a DOI (10.NNNN/suffix, without https://doi.org/)")
    if reference.pmid and not PMID.match(reference.pmid):
        fail("bad-pmid", f"'{reference.pmid}' is not a PubMed id (digits only)")
    if reference.url and not body.is_safe_url(reference.url):
        fail("bad-url", f"'{reference.url}' is not an http: or https: URL")
    design = reference.design
    if not design:
        fail("missing-field", f"missing field 'design' (one of: {', '.join(vocab.design.ids)})")
    elif design not in vocab.design:
        fail("unknown-term", f"unknown design '{design}'{did_you_mean(design, vocab.design.ids)}; one of: {', '.join(vocab.design.ids)}")
    return problems


def _uncited_references(project: Project) -> list[Problem]:
    cited = {key for claim in project.claims for key in claim.cited_keys}
    return [
        warning(r.path, r.line, "uncited-reference", f"reference '{r.key}' is cited by no claim")
        for r in project.references.values()
        if r.key not in cited
    ]


# --- claims ------------------------------------------------------------------------------------


def _duplicate_claims(claims: Iterable[Claim]) -> list[Problem]:
    seen: dict[str, Claim] = {}
    problems = []
    for claim in claims:
        if claim.id in seen:
            first = seen[claim.id]
            problems.append(error(claim.path, 1, "duplicate-claim", f"claim id '{claim.id}' is also used by {first.path}"))
        else:
            seen[claim.id] = claim
    return problems


def _claim_rules(claim: Claim, project: Project, vocab: Vocabularies, today: datetime.date) -> list[Problem]:
    problems: list[Problem] = []
    path = claim.path

    def term(value: str, key: str, vocabulary_name: str, line: int) -> bool:
        vocabulary = getattr(vocab, vocabulary_name)
        if value and value not in vocabulary:
            choices = ", ".join(vocabulary.ids)
            problems.append(error(path, line, "unknown-term", f"unknown {key} '{value}'{did_you_mean(value, vocabulary.ids)}; one of: {choices}"))
            return False
        return bool(value)

    if claim.article_slug not in project.articles:
        problems.append(error(path, 1, "no-article", f"no article index.md for the folder '{claim.article_slug}'"))
    term(claim.verdict, "verdict", "verdict", claim.line_of("verdict"))
    certainty_ok = term(claim.certainty, "certainty", "certainty", claim.line_of("certainty"))
    upgrade_ok = term(claim.certainty_upgrade, "certainty_upgrade", "certainty_upgrade", claim.line_of("certainty_upgrade"))
    seen_keys: set[str] = set()
    stances_ok = True
    for source in claim.sources:
        stances_ok = term(source.stance, "stance", "stance", source.line) and stances_ok
        if source.key in seen_keys:
            problems.append(error(path, source.line, "duplicate-source", f"'{source.key}' is listed twice in sources"))
        seen_keys.add(source.key)
        if source.key and source.key not in project.references:
            problems.append(_unknown_reference(path, source.line, 1, source.key, project))
    listed = {source.key for source in claim.sources}
    for group in claim.citation_groups:
        for citation in group.citations:
            if citation.key not in project.references:
                problems.append(_unknown_reference(path, citation.line, citation.col, citation.key, project))
            elif citation.key not in listed:
                problems.append(warning(path, citation.line, "citation-not-in-sources",
                                        f"'{citation.key}' is cited in the analysis but not listed in sources", citation.col))
    for key, line, col in claim.bare_keys:
        if key in project.references:
            problems.append(warning(path, line, "bare-citation", f"'@{key}' outside brackets is not a citation; write [@{key}]", col))
    # The ceiling depends on every term above, and on there being sources at all (their absence is
    # reported when the file is read); judging it from a misspelt one would only add noise.
    if claim.sources and certainty_ok and stances_ok and (upgrade_ok or not claim.certainty_upgrade):
        problems += _certainty_ceiling(claim, project, vocab)
    if claim.reviewed and (today - claim.reviewed).days > REVIEW_VALID_DAYS:
        problems.append(warning(path, claim.line_of("reviewed"), "stale-review",
                                f"last reviewed {claim.reviewed.isoformat()}, more than 12 months ago"))
    return problems


def _unknown_reference(path: str, line: int, col: int, key: str, project: Project) -> Problem:
    hint = did_you_mean(key, list(project.references))
    return error(path, line, "unknown-reference", f"no reference '{key}' in references/*.bib{hint}", col)


def _certainty_ceiling(claim: Claim, project: Project, vocab: Vocabularies) -> list[Problem]:
    rank = vocab.certainty_rank(claim.certainty)
    if rank is None:  # documentary: settled by a document, not graded
        return []
    ceilings = []
    for source in claim.sources:
        reference = project.references.get(source.key)
        if source.stance not in ("supports", "contradicts") or reference is None:
            continue
        if reference.design not in vocab.design:  # reported on the entry; no ceiling can be judged
            return []
        ceiling = vocab.design[reference.design].ceiling or "very-low"
        ceilings.append((vocab.certainty_rank(ceiling) or 1, reference))
    best_rank = max((c for c, _ in ceilings), default=1)
    allowed = best_rank + (1 if claim.certainty_upgrade else 0)
    if rank <= allowed:
        return []
    allowed_term = vocab.certainty_of_rank(min(allowed, 4))
    if ceilings:
        best = max(ceilings, key=lambda item: item[0])[1]
        basis = f"its strongest supporting or contradicting source, '{best.key}', is a {vocab.design[best.design].label.lower()}"
    else:
        basis = "it has no supporting or contradicting source"
    upgrade = " even with its certainty_upgrade" if claim.certainty_upgrade else ""
    return [error(claim.path, claim.line_of("certainty"), "certainty-ceiling",
                  f"certainty '{claim.certainty}' is above '{allowed_term.id}'{upgrade}: {basis}")]


# --- articles and quotes -----------------------------------------------------------------------


def _article_rules(article: Article, vocab: Vocabularies) -> list[Problem]:
    problems = []
    if article.url and not body.is_safe_url(article.url):
        problems.append(error(article.path, 1, "bad-url", f"the article's url '{article.url}' is not an http: or https: URL"))
    for non_claim in article.non_claims:
        if non_claim.reason and non_claim.reason not in vocab.non_claim_reason:
            ids = vocab.non_claim_reason.ids
            problems.append(error(article.path, non_claim.line, "unknown-term",
                                  f"unknown non-claim reason '{non_claim.reason}'{did_you_mean(non_claim.reason, ids)}; one of: {', '.join(ids)}"))
    return problems


def _locate(article: Article, quote: TextQuote, path: str, line: int, problems: list[Problem]) -> Span | None:
    if not quote.exact:
        return None
    located = locate(article.text, quote)
    if located.span is not None:
        return located.span
    if located.reason == "missing":
        spelled = near_miss(article.text, quote.exact)
        if quote.exact in article.text.replace("\n\n", " "):
            message = (f"quote not found in {article.path}: it runs across a paragraph break; "
                       "quote each paragraph's words as a claim (or non-claim) of its own")
        elif spelled is not None:
            message = f"quote not found in {article.path}; the article spells it \"{spelled}\" (check curly quotes, apostrophes and dashes)"
        else:
            message = f"quote not found in {article.path}; closest passage: \"{_shorten(closest_passage(article.text, quote.exact), 200)}\""
        problems.append(error(path, line, "quote-not-found", message))
    elif located.reason == "ambiguous":
        shown = [str(article.line_of(start)) for start in located.occurrences[:MAX_LISTED]]
        where = ", ".join(shown) + (", …" if len(located.occurrences) > MAX_LISTED else "")
        problems.append(error(path, line, "quote-ambiguous",
                              f"quote occurs {len(located.occurrences)} times in {article.path} (lines {where}); add a prefix or suffix to pick one"))
    else:
        problems.append(error(path, line, "quote-context",
                              f"quote found in {article.path}, but never with the given prefix/suffix directly around it"))
    return None
