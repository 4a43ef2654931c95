"""Finding quotes in an article's text, saying why one cannot be found, and what of the text quotes leave uncovered.

``diagnose`` is the one place that words a quote problem: the checker and the scaffold
(``new_claim.py``) both report through it.
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model.content import Article, Span, TextQuote
from ..model.registry import QUOTE_AMBIGUOUS, QUOTE_CONTEXT, QUOTE_NOT_FOUND, Rule

# Typographic characters an editor's keyboard rarely types, and what they type instead
# (one character for one, so offsets in the folded text are offsets in the original).
_LOOKALIKES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


@dataclass(frozen=True)
class Located:
    """Where a quote is: its span when found exactly once (after prefix/suffix), and why not otherwise."""

    span: Span | None
    occurrences: tuple[int, ...]  # start offsets of every candidate occurrence
    reason: str = ""  # "missing", "ambiguous" or "context" when span is None


def occurrences(text: str, exact: str) -> list[int]:
    """Start offsets of every occurrence of ``exact`` in ``text``, overlapping ones included."""
    found = []
    start = text.find(exact)
    while start != -1 and exact:
        found.append(start)
        start = text.find(exact, start + 1)
    return found


def locate(text: str, quote: TextQuote) -> Located:
    starts = occurrences(text, quote.exact)
    if not starts:
        return Located(None, (), "missing")
    matching = [
        start
        for start in starts
        if text[:start].endswith(quote.prefix) and text.startswith(quote.suffix, start + len(quote.exact))
    ]
    if len(matching) == 1:
        start = matching[0]
        return Located(Span(start, start + len(quote.exact)), tuple(starts))
    if not matching:
        return Located(None, tuple(starts), "context")
    return Located(None, tuple(matching), "ambiguous")


def near_miss(text: str, exact: str) -> str | None:
    """The article's own spelling of ``exact`` if they differ only in typographic characters."""
    folded_text = text.translate(_LOOKALIKES)
    folded = exact.translate(_LOOKALIKES)
    start = folded_text.find(folded)
    if start == -1:
        return None
    return text[start : start + len(exact)]


def closest_passage(text: str, exact: str) -> str:
    """The passage of ``text`` most like ``exact``: the suggestion shown for a quote not found."""
    if not text or not exact:
        return ""
    if len(exact) > PROBE_LIMIT:
        # A passage like the quote's beginning is enough to show where it went wrong (the message
        # shows 200 characters), and comparing whole 10 kB windows character by character is not.
        return closest_passage(text, exact[:PROBE_LIMIT])
    size = len(exact)
    step = max(1, size // 4)
    best_start, best_ratio = 0, -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(exact)
    # Windows a little longer than the quote, so a passage that differs by a word still fits in one.
    width = size + size // 4 + 1
    starts: Iterable[int] = range(0, max(1, len(text) - size + step), step)
    if len(text) > SCAN_LIMIT:
        starts = _promising(text, exact, starts, width)
    for start in starts:
        matcher.set_seq1(text[start : start + width])
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best_start, best_ratio = start, ratio
    # Trim the window to the stretch that actually matches the quote, then to whole words.
    matcher.set_seq1(text[best_start : best_start + width])
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    if not blocks:
        return ""
    first, last = blocks[0], blocks[-1]
    return _to_word_edges(text, best_start + first.a, best_start + last.a + last.size)


# Beyond this many characters of article, only the windows sharing the most words with the quote
# are compared character by character: comparing all of them took 15 s for one quote in 1 MB.
SCAN_LIMIT = 50_000
PROBE_LIMIT = 1_000
_CANDIDATES = 20


def _promising(text: str, exact: str, starts: Iterable[int], width: int) -> list[int]:
    """The window starts whose text holds the most of the quote's words, in text order."""
    wanted = {word.casefold() for word in _WORD.findall(exact)}
    positions, hits = [], [0]
    for match in _WORD.finditer(text):  # one pass: a running count of the quote's words met so far
        positions.append(match.start())
        hits.append(hits[-1] + (match.group().casefold() in wanted))
    scored = [(hits[bisect.bisect_left(positions, start + width)] - hits[bisect.bisect_left(positions, start)], start) for start in starts]
    best = heapq.nlargest(_CANDIDATES, scored, key=lambda item: (item[0], -item[1]))
    return sorted(start for _, start in best)


def _to_word_edges(text: str, start: int, end: int) -> str:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip()


_WORDISH = re.compile(r"[^\W_]", re.UNICODE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words that join two quoted claims ("depression, PTSD, anxiety and chronic pain") but assert
# nothing themselves; a gap holding only these is not text a claim has missed.
CONNECTIVES = frozenset({"and", "or", "but", "nor", "also", "both"})


def uncovered(text: str, spans: Iterable[Span]) -> list[Span]:
    """The stretches of ``text`` that lie in no span and hold a word other than a connective.

    Runs in O(n + k log k): spans are sorted once and swept, so it stays linear
    however many claims overlap.
    """
    gaps: list[Span] = []
    position = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start > position:
            gaps.append(Span(position, span.start))
        position = max(position, span.end)
    if position < len(text):
        gaps.append(Span(position, len(text)))
    return [
        _trim(text, gap)
        for gap in gaps
        if any(word.lower() not in CONNECTIVES for word in _WORD.findall(text, gap.start, gap.end))
    ]


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and not _WORDISH.match(text[start]):
        start += 1
    while end > start and not _WORDISH.match(text[end - 1]):
        end -= 1
    return Span(start, end)


def coverage(text: str, spans: Iterable[Span]) -> float:
    """Share of the text's letters and digits accounted for: in some span, or a mere connective."""
    total = len(_WORDISH.findall(text))
    if total == 0:
        return 1.0
    missing = sum(len(_WORDISH.findall(text, gap.start, gap.end)) for gap in uncovered(text, spans))
    return (total - missing) / total


MAX_LISTED = 10  # occurrences of an ambiguous quote named in its message
NEARBY = 30  # characters of the article shown on each side of a place


@dataclass(frozen=True)
class Diagnosis:
    """Why a quote has no single place in its article: the rule, and a message saying where to look."""

    rule: Rule
    message: str


def shorten(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def place(article: Article, offset: int) -> str:
    """``line L, column C ("…nearby text…")``: a place in an article an editor can find, even in a one-line paragraph."""
    line, col = article.position_of(offset)
    text = article.text
    start, end = max(0, offset - NEARBY), min(len(text), offset + NEARBY)
    while 0 < start < offset and not text[start - 1].isspace():  # whole words at both ends
        start += 1
    while offset < end < len(text) and not text[end].isspace():
        end -= 1
    nearby = " ".join(text[start:end].split())
    return f"line {line}, column {col} (\"{'…' if start else ''}{nearby}{'…' if end < len(text) else ''}\")"


def diagnose(article: Article, quote: TextQuote, located: Located) -> Diagnosis:
    """The problem with a quote that ``locate`` could not place once."""
    text = article.text
    if located.reason == "missing":
        spelled = near_miss(text, quote.exact)
        if quote.exact in text.replace("\n\n", " "):
            return Diagnosis(QUOTE_NOT_FOUND, f"quote not found in {article.path}: it runs across a paragraph break; "
                             "quote each paragraph's words as a claim (or non-claim) of its own")
        if spelled is not None:
            where = place(article, text.find(spelled))
            return Diagnosis(QUOTE_NOT_FOUND, f"quote not found in {article.path}; at {where} the article spells it "
                             f"\"{spelled}\" (check curly quotes, apostrophes and dashes)")
        closest = closest_passage(text, quote.exact)
        where = ""
        if closest and closest in text:
            line, col = article.position_of(text.find(closest))
            where = f" at line {line}, column {col}"
        return Diagnosis(QUOTE_NOT_FOUND, f"quote not found in {article.path}; the closest passage{where} is: \"{shorten(closest, 200)}\"")
    if located.reason == "ambiguous":
        shown = [place(article, start) for start in located.occurrences[:MAX_LISTED]]
        more = "; …" if len(located.occurrences) > MAX_LISTED else ""
        return Diagnosis(QUOTE_AMBIGUOUS, f"quote occurs {len(located.occurrences)} times in {article.path}, at {'; '.join(shown)}{more}: "
                         "add a prefix or suffix with the words just before or after the one you mean")
    places = "; ".join(place(article, start) for start in located.occurrences[:MAX_LISTED])
    return Diagnosis(QUOTE_CONTEXT, f"quote found in {article.path} at {places}, but never with the given prefix/suffix directly around it; "
                     "copy them from the article, spaces included")
