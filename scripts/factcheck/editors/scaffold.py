"""Starting a new claim: check the quote against its article, pick an id, write the claim file.

Used by ``scripts/new_claim.py``. The quote is located with the checker's own
functions, so a quote the scaffold accepts is one the checker accepts.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..checking.quotes import diagnose, locate
from ..model.content import Article, Claim, Span, TextQuote
from ..model.patterns import ID_MAX_LENGTH, is_id

ID_WORDS = 6
ID_LENGTH = min(60, ID_MAX_LENGTH)
_STOPWORDS = frozenset(
    "a an and are as at be but by for from has have in is it its not of on or our that the their these this to was we were "
    "which while with".split()
)

TEMPLATE = """\
---
# The article's exact words that make the claim (checked against the article).
quote: {quote}
{context}# The claim restated neutrally in one sentence, short enough to be a headline.
claim: ""
# The same in at most 75 characters (search engines show no more).
claim_short: ""
# One of: {verdicts}
verdict: ""
# One of: {certainties}
certainty: ""
# One line: what lowered or capped the certainty (risk of bias, inconsistency,
# indirectness, imprecision, publication bias).
certainty_rationale: ""
# 1-3 sentences a patient can understand, worded to match the certainty (GRADE):
# moderate: "probably" or "likely"; low: "may"; very low: "very uncertain"; high: plainly.
bottom_line: ""
# Each source: its BibTeX key in references/*.bib, its stance ({stances}),
# and a note on what it shows.
sources:
  - key: ""
    stance: ""
    note: ""
reviewed: {today}
---
Replace this paragraph with the analysis: 150-400 words, citing the literature as `[@key]`,
`[@a; @b]` or `[see @key, p. 3]`. Give the evidence against as fairly as the evidence for.
"""


@dataclass(frozen=True)
class Located:
    """Where a new claim's quote is in its article, and the quote with the context that picks it."""

    span: Span
    quote: TextQuote


class ScaffoldError(Exception):
    """A reason not to write the claim, in words for the editor."""


def locate_new_quote(article: Article, quote: TextQuote, claims: list[Claim], spans: dict[str, Span]) -> Located:
    """Where the quote is, or a ScaffoldError that says what is wrong, in the checker's own words."""
    found = locate(article.text, quote)
    if found.span is None:
        raise ScaffoldError(diagnose(article, quote, found).message)
    for claim in claims:
        if claim.article_slug == article.slug and spans.get(claim.id) == found.span:
            raise ScaffoldError(f"those words are already claimed by {claim.path}")
    return Located(found.span, quote)


def claim_id(quote: str, taken: set[str]) -> str:
    """A readable, unique id from the quote's first significant words: 'gold-standard-alleviating-…'."""
    ascii_text = unicodedata.normalize("NFKD", quote).encode("ascii", "ignore").decode().lower()
    words = [word for word in re.findall(r"[a-z0-9]+", ascii_text) if word not in _STOPWORDS]
    base = "-".join(words[:ID_WORDS])[:ID_LENGTH].strip("-") or "claim"
    if not is_id(base):
        base = "claim"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def render(quote: TextQuote, today: str, verdicts: str, certainties: str, stances: str) -> str:
    context = "".join(f"{name}: {_yaml_string(value)}\n" for name, value in (("prefix", quote.prefix), ("suffix", quote.suffix)) if value)
    if context:
        context = "# Words just before/after the quote that pick this occurrence.\n" + context
    return TEMPLATE.format(
        quote=_yaml_string(quote.exact), context=context, today=today, verdicts=verdicts, certainties=certainties, stances=stances
    )


def _yaml_string(value: str) -> str:
    """A double-quoted YAML string: backslashes and double quotes escaped, nothing else touched."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; never replace an existing file, even one created meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
