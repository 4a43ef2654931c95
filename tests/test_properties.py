"""Properties of the parsers that read what editors write, checked on generated inputs (hypothesis).

Each property runs ``EXAMPLES`` (200) generated examples, ``deadline=None``, no
example database (nothing is written into the repository); the file runs in a
few seconds. Thirteen properties, so 2,600 examples per run:

citations (factcheck.citations)
  1. find_groups, find_bare_keys and parse_item never raise, whatever the text.
  2. a generated citation group, written with format_group inside a sentence and
     parsed back with find_groups, gives the same citations, at the same place,
     each with the line and column of its own ``@``.
front matter (factcheck.frontmatter.parse)
  3. any text (arbitrary Unicode) raises nothing but FactcheckError;
  4. the same for front matter assembled from YAML's own syntax (anchors,
     aliases, tags, flow and block collections, timestamps, control characters,
     tabs), and every problem points at a line of the file;
  5. where that front matter is read, its values are the ones yaml.safe_load gives.
quotes (factcheck.quotes)
  6. occurrences finds exactly the (overlapping) occurrences a brute-force scan finds;
  7. every substring, given its whole prefix and suffix in the text, is found at
     its own offset;
  8. given a shorter prefix and suffix taken from the text, it is found at its
     own offset or reported ambiguous among candidates that include it, never
     found somewhere else;
  9. a string that is not in the text is never found, and the suggestions for it
     (near_miss, closest_passage) are passages of the text;
 10. spans that cover the whole text leave nothing uncovered: coverage 1.0;
 11. for any spans, coverage lies in [0, 1] and no uncovered stretch overlaps a span;
 12. the closest passage to a quote that differs from the text by one character
     is a passage of the text;
 13. the typographic near miss of a quote written with straight quotes is the
     text's own spelling.
"""

from __future__ import annotations

import itertools
import string

import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from factcheck.checking.quotes import closest_passage, coverage, locate, near_miss, occurrences, uncovered
from factcheck.model.content import Citation, CitationGroup, Span, TextQuote
from factcheck.model.problems import FactcheckError
from factcheck.reading.citations import find_bare_keys, find_groups, format_group, parse_item
from factcheck.reading.frontmatter import _FastBase as FAST_LOADER
from factcheck.reading.frontmatter import _load_yaml, parse

EXAMPLES = 200
REFUSED = object()
PROFILE = settings(max_examples=EXAMPLES, deadline=None, database=None)

# --- citations ---------------------------------------------------------------------------------------

KEY_CHARS = string.ascii_letters + string.digits + "_"
KEY_PUNCTUATION = ":.#$%&+?<>~/-"
# Keys as pandoc allows them: internal punctuation, always followed by a letter, digit or _.
keys = st.builds(
    lambda first, parts: first + "".join(p + w for p, w in parts),
    st.sampled_from(KEY_CHARS),
    st.lists(st.tuples(st.sampled_from(["", *KEY_PUNCTUATION]), st.text(KEY_CHARS, min_size=1, max_size=5)), max_size=4),
)
# Prefixes and locators: printable text on one line, without the characters that delimit a
# citation ([ ] ; @) or start code (`): those are not expressible inside a group.
free_text = st.text(
    st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters="[]@;`"), max_size=20
).map(str.strip)
citations = st.builds(
    lambda key, prefix, locator, suppress: Citation(key, prefix, locator, suppress),
    keys, free_text, free_text, st.booleans(),
)


def _parts(citation: Citation) -> tuple[str, str]:
    """The item's text before the @, and from the @ on, as format_group writes them."""
    before = (f"{citation.prefix} " if citation.prefix else "") + ("-" if citation.suppress_author else "")
    return before, f"@{citation.key}" + (f", {citation.locator}" if citation.locator else "")


@PROFILE
@given(st.text())
def test_citation_parsers_never_raise(text: str) -> None:
    find_groups(text, 7)
    find_bare_keys(text, 7)
    parse_item(text)
    for piece in text.split(";"):
        parse_item(piece)


@PROFILE
@given(st.lists(citations, min_size=1, max_size=4))
def test_citation_groups_round_trip(items: list[Citation]) -> None:
    written = format_group(CitationGroup(0, 0, tuple(items)))
    text = f"As shown {written} today."
    groups = find_groups(text, 3)
    assert len(groups) == 1, (text, groups)
    group = groups[0]
    assert text[group.start : group.end] == written
    expected_col = len("As shown [") + 1
    for parsed, citation in zip(group.citations, items, strict=True):
        assert (parsed.key, parsed.prefix, parsed.locator, parsed.suppress_author) == (
            citation.key, citation.prefix, citation.locator, citation.suppress_author,
        )
        before, rest = _parts(citation)
        assert (parsed.line, parsed.col) == (3, expected_col + len(before))
        expected_col += len(before) + len(rest) + len("; ")


# --- front matter ---------------------------------------------------------------------------------

YAML_PIECES = [
    "quote: ", "sources:", "\n", "\n  ", "\n    ", "- ", "? ", ": ", "key: ", "[", "]", "{", "}", ", ", "'", '"', "\\",
    "&a ", "*a", "&b ", "*b", "<<: ", "!!bool ", "!!timestamp ", "!!int ", "!!float ", "!!binary ", "!!set ", "!!omap ",
    "!!str ", "!!python/object ", "!custom ", "|\n", ">-\n", "# note", "%YAML 1.1\n", "---\n", "...\n", "~", "null", "yes",
    "2026-01-01", "2026-13-45", "2026-02-30", "12:30:00", "0x1F", "1_000", "1e999", ".nan", "\t", "\x00", "\x85", "\ufeff",
    "\u2028", "é", "’", "lol", "a", "1",
]
yamlish = st.lists(st.sampled_from(YAML_PIECES), max_size=30).map("".join)


def _parses_or_refuses(text: str) -> None:
    try:
        document = parse(text, "claim.md")
    except FactcheckError as exc:
        assert exc.problem.path == "claim.md"
        assert 1 <= exc.problem.line <= text.count("\n") + 1, (exc.problem, text)
        return
    assert isinstance(document.meta, dict)
    assert all(1 <= line <= text.count("\n") + 1 for line in document.lines.values())


@PROFILE
@given(st.text())
def test_front_matter_of_any_text_parses_or_is_refused(text: str) -> None:
    _parses_or_refuses(text)
    _parses_or_refuses("---\n" + text + "\n---\n")


@PROFILE
@given(yamlish, st.sampled_from(["---\n", "...\n", "---", ""]))
def test_front_matter_from_yaml_syntax_parses_or_is_refused(yaml_text: str, closing: str) -> None:
    _parses_or_refuses(f"---\n{yaml_text}\n{closing}Body\n")


@PROFILE
@given(yamlish)
def test_front_matter_values_are_what_yaml_safe_load_gives(yaml_text: str) -> None:
    # Strings, lists and mappings are built by our own walk, the rest by PyYAML: the values must
    # not differ from PyYAML's. Ours may refuse more (aliases of lists, keys given twice). Both
    # parse with libyaml (short front matter), which accepts a few things the Python parser does not.
    try:
        expected = yaml.load(yaml_text, Loader=FAST_LOADER)
    except Exception:  # PyYAML lets bare errors out too: a ValueError for 2026-13-45
        expected = REFUSED
    try:
        found = _load_yaml(yaml_text, "claim.md", first_line=2)[0]
    except FactcheckError:
        return
    assert expected is not REFUSED, yaml_text
    assert repr(found) == repr(expected), yaml_text  # repr: nan == nan, and key order counts


# --- quotes ------------------------------------------------------------------------------------------

# A small alphabet makes repeated passages, which is where locating is hard.
texts = st.one_of(st.text("ab .’'\n", max_size=60), st.text(max_size=60))


@st.composite
def substrings(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(texts.filter(bool))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@PROFILE
@given(texts, st.text("ab .", min_size=1, max_size=4))
def test_occurrences_are_every_occurrence(text: str, exact: str) -> None:
    assert occurrences(text, exact) == [i for i in range(len(text)) if text.startswith(exact, i)]


@PROFILE
@given(substrings())
def test_a_substring_with_its_whole_context_is_found_where_it_is(case: tuple[str, int, int]) -> None:
    text, start, end = case
    located = locate(text, TextQuote(text[start:end], text[:start], text[end:]))
    assert located.span == Span(start, end)


@PROFILE
@given(substrings(), st.integers(0, 8), st.integers(0, 8))
def test_a_substring_with_some_context_is_found_there_or_ambiguous(case: tuple[str, int, int], before: int, after: int) -> None:
    text, start, end = case
    located = locate(text, TextQuote(text[start:end], text[max(0, start - before) : start], text[end : end + after]))
    if located.span is not None:
        assert located.span == Span(start, end)
    else:
        assert located.reason == "ambiguous"
        assert start in located.occurrences


@PROFILE
@given(texts, st.text(min_size=1, max_size=12))
def test_a_string_not_in_the_text_is_never_found(text: str, exact: str) -> None:
    assume(exact not in text)
    located = locate(text, TextQuote(exact))
    assert (located.span, located.occurrences, located.reason) == (None, (), "missing")
    assert occurrences(text, exact) == []
    spelled = near_miss(text, exact)
    assert spelled is None or spelled in text
    assert closest_passage(text, exact) in text


@st.composite
def partitions(draw: st.DrawFn) -> tuple[str, list[Span]]:
    """A text and spans that cover all of it, overlapping and in any order."""
    text = draw(texts)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=6))) | {0, len(text)})
    spans = [Span(a, b) for a, b in itertools.pairwise(cuts)]
    spans += [Span(a, b) for a, b in draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=3)) if a <= b]
    return text, draw(st.permutations(spans))


@PROFILE
@given(partitions())
def test_spans_covering_everything_give_full_coverage(case: tuple[str, list[Span]]) -> None:
    text, spans = case
    assert uncovered(text, spans) == []
    assert coverage(text, spans) == 1.0


@PROFILE
@given(texts, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=5))
def test_coverage_is_a_share_and_gaps_avoid_spans(text: str, pairs: list[tuple[int, int]]) -> None:
    spans = [Span(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in pairs]
    assert 0.0 <= coverage(text, spans) <= 1.0
    for gap in uncovered(text, spans):
        assert 0 <= gap.start < gap.end <= len(text)
        assert not any(span.start < gap.end and gap.start < span.end for span in spans), (gap, spans)


@PROFILE
@given(substrings(), st.characters(categories=["L", "N"]))
def test_closest_passage_to_a_misspelt_quote_is_a_passage_of_the_text(case: tuple[str, int, int], typo: str) -> None:
    text, start, end = case
    exact = text[start:end]
    misspelt = exact[: len(exact) // 2] + typo + exact[len(exact) // 2 + 1 :]
    assert closest_passage(text, misspelt) in text


@PROFILE
@given(st.text("ab ", max_size=10), st.text("ab ", max_size=10))
def test_straight_quotes_find_the_texts_curly_spelling(before: str, after: str) -> None:
    text = f"x{before}“doctor’s”{after}y"
    exact = f"{before}\"doctor's\"{after}"
    assert near_miss(text, exact) == f"{before}“doctor’s”{after}"
