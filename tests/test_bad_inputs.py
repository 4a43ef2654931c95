"""Everything an editor can put in a pull request that is wrong: the checker names it and never crashes.

One case per bad input. Each case states the checker's exact problem lines (file,
line, column, message, rule) or, for long ones, a precise prefix, and its exit
code (0 where the input is acceptable, such as CRLF line endings). A
representative subset also goes through MkDocs: a strict build aborts on it with
the same message, and a lenient build still completes.

Inputs that used to crash the checker or mislead an editor (each fixed):
dangling and looping symlinks and folders named like a file (tracebacks); YAML
aliases ("billion laughs", MemoryError), "!!bool" and "!!timestamp" values of
the wrong form (KeyError, AttributeError, IndexError), nesting thousands deep
(RecursionError; libyaml even segfaults), control characters (an uncaught
ReaderError); every line after a U+2028 or U+0085 in front matter reported one
line too low; an entry after a repeated .bib field, or after stray "@" text,
silently dropped; a '}' too many in .bib dropping the rest of an entry without a
word; undefined BibTeX macros reported as a bare name; one bad byte in a .bib
turning every citation of it into an "unknown reference"; a claim in a misspelt
article folder never checked; a closing "---" at the very end of a file ignored,
so every key was "missing"; a 5 MB .bib and a 1 MB analysis taking minutes to
hours (quadratic line counting, regex backtracking).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from conftest import ARTICLE_PATH, ENGINE_MODULE, REPO, VERDICTS, TinySite, claim_path, default_files

FAST = claim_path("works-fast")
MOST = claim_path("most-patients")
BIB = "references/main.bib"
REASONS = "opinion, advice, advertising, anecdote, framing, restatement"
SOURCES = '''sources:
  - key: berman2000
    stance: supports
    note: "Improvement within 72 hours."
'''
UNCOVERED_FAST = (f'{ARTICLE_PATH}:14:1: warning: text in no claim\'s quote and no non-claim: "Ketamine works within hours"; '
                  "add a claim or a non-claim with its reason [uncovered-text]")
ALIAS = ("the list or mapping anchored here (&name) is used again through an alias (*name); "
         "front matter may not reuse them, write each one out")


def front_matter(text: str, body: str = "Body\n") -> Callable[[TinySite], None]:
    """Replace the works-fast claim by a file with this front matter."""
    return lambda tiny: tiny.write(FAST, f"---\n{text}---\n{body}")


def replace(path: str, old: str, new: str) -> Callable[[TinySite], None]:
    return lambda tiny: tiny.replace(path, old, new)


def write(path: str, text: str | bytes) -> Callable[[TinySite], None]:
    return lambda tiny: tiny.write(path, text)


def raw(path: str, change: Callable[[bytes], bytes]) -> Callable[[TinySite], None]:
    """Rewrite a file's bytes (for encodings and line endings, which text mode would hide)."""

    def setup(tiny: TinySite) -> None:
        tiny.write(path, change((tiny.root / path).read_bytes()))

    return setup


def steps(*setups: Callable[[TinySite], None]) -> Callable[[TinySite], None]:
    def setup(tiny: TinySite) -> None:
        for step in setups:
            step(tiny)

    return setup


def alias_bomb(tiny: TinySite) -> None:
    """Nine levels of nine aliases each: 9**9 (387 million) strings if anything walks it as a tree."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    tiny.write(FAST, "---\n" + "\n".join(lines) + "\n---\nBody\n")


def symlink(path: str, target: Callable[[TinySite], Path]) -> Callable[[TinySite], None]:
    def setup(tiny: TinySite) -> None:
        (tiny.root / path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target(tiny), tiny.root / path)

    return setup


SECRET = "Secret text from outside the project."


def outside_file(tiny: TinySite) -> Path:
    outside = tiny.root.parent / f"{tiny.root.name}-outside.md"
    outside.write_text((tiny.root / FAST).read_text(encoding="utf-8") + SECRET + "\n", encoding="utf-8")
    return outside


def folder(path: str) -> Callable[[TinySite], None]:
    def setup(tiny: TinySite) -> None:
        (tiny.root / path).mkdir(parents=True)
        (tiny.root / path / "README.md").write_text("# a file inside a folder named like a file\n", encoding="utf-8")

    return setup


@dataclass(frozen=True)
class Case:
    id: str
    setup: Callable[[TinySite], None]
    problems: tuple[str, ...]  # exact problem lines; one ending in "…" is a prefix
    code: int = 1
    exact: bool = True  # the problems are all of them (no noise); False: they are among them
    build: str = ""  # "abort": strict build aborts, lenient completes; "ok": both complete


def text_ok(setup: Callable[[TinySite], None], id: str, build: str = "") -> Case:
    return Case(id, setup, (), code=0, build=build)


CASES = [
    # --- front matter: YAML and its shape -------------------------------------------------------
    Case("malformed-yaml", replace(FAST, 'claim: "Ketamine relieves depression within hours."', "claim: Ketamine: relieves depression"),
         (f"{FAST}:3:16: error: invalid YAML: mapping values are not allowed in this context (a colon followed by a space inside "
          "unquoted text, or a line indented too far: put the value in double quotes, or line the key up with the keys above it) "
          "[front-matter]", UNCOVERED_FAST),
         build="abort"),
    Case("front-matter-is-a-list", front_matter("- quote\n- claim\n"),
         (f"{FAST}:2:1: error: front matter must be a mapping of keys to values, not a list [front-matter]", UNCOVERED_FAST)),
    Case("front-matter-is-a-string", front_matter("Ketamine works within hours.\n"),
         (f"{FAST}:2:1: error: front matter must be a mapping of keys to values, not a string [front-matter]", UNCOVERED_FAST)),
    Case("tab-in-yaml-indentation", replace(FAST, "  - key: berman2000\n    stance: supports", "  - key: berman2000\n\tstance: supports"),
         (f"{FAST}:11:1: error: invalid YAML: while scanning a plain scalar found a tab character that violates indentation "
          "(a tab: indent with spaces instead) [front-matter]",
          UNCOVERED_FAST)),
    Case("front-matter-never-closed", replace(FAST, "reviewed: 2026-01-01\n---\n", "reviewed: 2026-01-01\n\n"),
         (f"{FAST}:1:1: error: the front matter is never closed: end it with a line holding only --- [front-matter]", UNCOVERED_FAST)),
    Case("alias-bomb", alias_bomb, (f"{FAST}:2:4: error: invalid YAML: {ALIAS} [front-matter]", UNCOVERED_FAST), build="abort"),
    Case("alias-merge-key", front_matter("base: &base {stance: supports}\nsources:\n  - <<: *base\n    key: berman2000\n"),
         (f"{FAST}:2:7: error: invalid YAML: {ALIAS} [front-matter]", UNCOVERED_FAST)),
    Case("nesting-200000-deep", front_matter("quote: " + "[" * 200_000 + "\n"),
         (f"{FAST}:2:27: error: invalid YAML: lists and mappings are nested more than 20 deep [front-matter]", UNCOVERED_FAST)),
    Case("bool-tag-with-a-non-bool", replace(FAST, "verdict: accurate", "verdict: !!bool perhaps"),
         (f"{FAST}:5:10: error: invalid YAML: 'perhaps' is not a valid !!bool value [front-matter]", UNCOVERED_FAST)),
    Case("timestamp-tag-with-a-non-date", replace(FAST, "reviewed: 2026-01-01", "reviewed: !!timestamp soon"),
         (f"{FAST}:13:11: error: invalid YAML: 'soon' is not a valid !!timestamp value [front-matter]", UNCOVERED_FAST)),
    Case("control-character-in-yaml", replace(FAST, 'certainty_rationale: "Small trials."', 'certainty_rationale: "Small\x00trials."'),
         (f"{FAST}:7:28: error: invalid YAML: the character U+0000 is not allowed in front matter; delete it (it is invisible in "
          "most editors) [front-matter]", UNCOVERED_FAST)),
    Case("line-separator-inside-a-value", steps(
        replace(FAST, "Ketamine relieves depression within hours.", "Ketamine relieves\u2028depression within hours."),
        replace(FAST, "verdict: accurate", "verdict: acurate"),
    ), (f"{FAST}:5:1: error: unknown verdict 'acurate' (did you mean 'accurate'?); one of: …",)),  # YAML counted U+2028 as a line
    # --- front matter: keys and values ----------------------------------------------------------
    Case("missing-required-keys", replace(FAST, "verdict: accurate\ncertainty: moderate\n", ""),
         (f"{FAST}:12:1: error: missing required key 'certainty' (one of: high, moderate, low, very-low, documentary) [missing-key]",
          f"{FAST}:12:1: error: missing required key 'verdict' (one of: {VERDICTS}) [missing-key]")),
    Case("list-where-text-expected", replace(FAST, 'quote: "Ketamine works within hours."', 'quote: ["Ketamine works within hours."]'),
         (f"{FAST}:2:1: error: 'quote' must be text, not a list [wrong-type]", UNCOVERED_FAST)),
    Case("number-where-text-expected", replace(FAST, 'claim: "Ketamine relieves depression within hours."', "claim: 42"),
         (f"{FAST}:3:1: error: 'claim' must be text in double quotes, not a number [wrong-type]",)),
    Case("sources-is-a-mapping", replace(FAST, SOURCES, "sources:\n  key: berman2000\n  stance: supports\n"),
         (f"{FAST}:9:1: error: 'sources' must be a list, not a mapping (start each item with '- ') [wrong-type]",), exact=False,
         build="abort"),
    Case("sources-is-a-string", replace(FAST, SOURCES, "sources: berman2000\n"),
         (f"{FAST}:9:1: error: 'sources' must be a list, not text [wrong-type]",), exact=False),
    Case("sources-is-empty", replace(FAST, SOURCES, "sources: []\n"),
         (f"{FAST}:9:1: error: the claim lists no sources; add at least one with its key, stance and note [no-source]",), exact=False),
    Case("source-item-is-not-a-mapping", replace(FAST, SOURCES, "sources:\n  - berman2000\n"),
         (f"{FAST}:10:1: error: item 1 of 'sources' must be a mapping of keys to values, not text [wrong-type]",), exact=False),
    Case("source-without-key", replace(FAST, "  - key: berman2000\n    stance", "  - stance"),
         (f"{FAST}:10:1: error: missing required key 'key' in item 1 of 'sources' [missing-key]",), exact=False),
    Case("key-with-null-value", replace(FAST, 'claim: "Ketamine relieves depression within hours."', "claim:"),
         (f"{FAST}:3:1: error: 'claim' is empty [missing-key]",)),
    Case("date-that-is-not-a-date", replace(FAST, "reviewed: 2026-01-01", "reviewed: last Tuesday"),
         (f"{FAST}:13:1: error: 'reviewed' must be a date written YYYY-MM-DD, not 'last Tuesday' [wrong-type]",)),
    Case("date-that-does-not-exist", replace(FAST, "reviewed: 2026-01-01", "reviewed: 2026-02-30"),
         (f"{FAST}:13:11: error: invalid YAML: day is out of range for month [front-matter]", UNCOVERED_FAST)),
    Case("unknown-top-level-key", replace(FAST, "verdict: accurate", "verdict: accurate\nverdict_note: fine"),
         (f"{FAST}:6:1: error: unknown key 'verdict_note' (did you mean 'verdict'?); the keys are: …",)),
    Case("non-claim-with-unknown-reason", replace(ARTICLE_PATH, "reason: advertising", "reason: advert"),
         (f"{ARTICLE_PATH}:8:1: error: unknown non-claim reason 'advert' (did you mean 'advertising'?); one of: {REASONS} [unknown-term]",)),
    Case("article-published-is-a-list", replace(ARTICLE_PATH, "retrieved: 2026-01-01", 'retrieved: 2026-01-01\npublished: ["2021"]'),
         (f"{ARTICLE_PATH}:6:1: error: 'published' must be a year or a date, not a list [wrong-type]",)),
    Case("article-without-front-matter", write(ARTICLE_PATH, "Ketamine works within hours.\n"), (
        f"{ARTICLE_PATH}:1:1: error: missing required key 'publisher' [missing-key]",
        f"{ARTICLE_PATH}:1:1: error: missing required key 'retrieved' [missing-key]",
        f"{ARTICLE_PATH}:1:1: error: missing required key 'title' [missing-key]",
        f"{ARTICLE_PATH}:1:1: error: missing required key 'url' [missing-key]",
    ), exact=False),
    # --- whole files ----------------------------------------------------------------------------
    Case("empty-claim-file", write(FAST, ""), (
        *(f"{FAST}:1:1: error: missing required key '{key}' [missing-key]"
          for key in ("bottom_line", "certainty_rationale", "claim", "claim_short", "quote", "reviewed", "sources")),
        f"{FAST}:1:1: error: missing required key 'certainty' (one of: high, moderate, low, very-low, documentary) [missing-key]",
        f"{FAST}:1:1: error: missing required key 'verdict' (one of: {VERDICTS}) [missing-key]",
        UNCOVERED_FAST,
    )),
    # No analysis: nothing cites the source, which is said (a warning), and the file is read all the same.
    Case("claim-with-only-front-matter",
         lambda tiny: tiny.write(FAST, (tiny.root / FAST).read_text(encoding="utf-8").split("---\nA small")[0] + "---\n"),
         (f"{FAST}:10:1: warning: 'berman2000' is listed in sources but never cited in the analysis; …",), code=0),
    Case("only-front-matter-without-final-newline",
         lambda tiny: tiny.write(FAST, (tiny.root / FAST).read_text(encoding="utf-8").split("---\nA small")[0] + "---"),
         (f"{FAST}:10:1: warning: 'berman2000' is listed in sources but never cited in the analysis; …",), code=0, build="abort"),
    Case("not-utf-8", raw(FAST, lambda data: data.replace(b"Small trials", b"Small tri\xe4ls")),
         (f"{FAST}:7:32: error: the file is not UTF-8 (byte 0xe4); save it as UTF-8 [encoding]", UNCOVERED_FAST)),
    text_ok(raw(FAST, lambda data: b"\xef\xbb\xbf" + data), "byte-order-mark"),
    text_ok(raw(FAST, lambda data: data.replace(b"\n", b"\r\n")), "crlf-line-endings"),
    text_ok(raw(FAST, lambda data: data.replace(b"\n", b"\r")), "old-mac-cr-line-endings"),
    Case("symlink-outside-the-project", symlink(claim_path("linked"), outside_file),
         (f"{claim_path('linked')}:1:1: error: the file is a link to a place outside the project; it is not read [outside-root]",),
         build="abort"),
    Case("dangling-symlink", symlink(claim_path("gone"), lambda tiny: tiny.root / "nothing.md"),
         (f"{claim_path('gone')}:1:1: error: the file is a link to a file that does not exist; it is not read [unreadable]",)),
    Case("symlink-loop", symlink(claim_path("loop"), lambda tiny: tiny.root / claim_path("loop")),
         (f"{claim_path('loop')}:1:1: error: the file is a link that leads round in a loop; it is not read [unreadable]",)),
    Case("folder-named-like-a-claim", folder(claim_path("folder")),
         (f"{claim_path('folder')}:1:1: error: the folder 'folder.md' is inside claims/; claims may not be in sub-folders, so its claims "
          "would be lost; it is not read and not published (see docs/contributing.md, How the content is laid out) [unknown-file]",),
         build="abort"),
    Case("folder-named-like-a-bib", folder("references/folder.bib"),
         ("references/folder.bib:1:1: error: the folder is inside references/, which holds only .bib files; it is not read and not "
          "published (see docs/contributing.md, How the content is laid out) [unknown-file]",)),
    Case("claim-in-a-misspelt-article-folder", lambda tiny: tiny.write("docs/articles/test-articel/claims/typo.md", (tiny.root / FAST).read_text()),
         ("docs/articles/test-articel/claims/typo.md:1:1: error: no article index.md for the folder 'test-articel' [no-article]",),
         build="abort"),
    # --- quotes ---------------------------------------------------------------------------------
    Case("quote-spanning-two-paragraphs", replace(FAST, 'quote: "Ketamine works within hours."', 'quote: "say our doctors. Book your infusion today."'),
         (f"{FAST}:2:1: error: quote not found in {ARTICLE_PATH}: it runs across a paragraph break; "
          "quote each paragraph's words as a claim (or non-claim) of its own [quote-not-found]",
          UNCOVERED_FAST), build="abort"),
    Case("straight-quotes-for-curly-ones", steps(
        replace(ARTICLE_PATH, "say our doctors.", "say our “doctors’ notes”."),
        replace(ARTICLE_PATH, 'quote: "say our doctors"', "quote: \"say our “doctors’ notes”\""),
        replace(FAST, 'quote: "Ketamine works within hours."', "quote: 'It is safe for everyone, say our \"doctors'' notes\"'"),
    ), (f"{FAST}:2:1: error: quote not found in {ARTICLE_PATH}; at line 14, column 30 (\"Ketamine works within hours. It is safe for "
        "everyone, say…\") the article spells it \"It is safe for everyone, say our “doctors’ notes”\" "
        "(check curly quotes, apostrophes and dashes) [quote-not-found]",), exact=False),
    # --- citations in the analysis --------------------------------------------------------------
    Case("missing-key-inside-a-locator-group", replace(FAST, "[@berman2000, p. 352]", "[see @berman2000, p. 352; @nosuch2001, ch. 3]"),
         (f"{FAST}:15:83: error: no reference 'nosuch2001' in references/*.bib [unknown-reference]",)),
    # --- BibTeX ---------------------------------------------------------------------------------
    text_ok(write("references/empty.bib", ""), "empty-bib"),
    Case("bib-brace-never-closed", write("references/extra.bib", "@misc{open2020,\n  title = {Open {ended},\n}\n\n@misc{next2021,\n  title = {N},\n}\n"),
         ("references/extra.bib:5:1: error: BibTeX syntax error: '}' expected (entry 'open2020' from line 1 is not closed: check its braces) [bib-syntax]",),
         exact=False),
    Case("bib-brace-too-many", replace(BIB, "title = {Antidepressant effects of ketamine in depressed patients},",
                                       "title = {Antidepressant effects of ketamine in depressed patients}},"),
         (f"{BIB}:3:1: error: BibTeX syntax error: entry 'berman2000' ends here, but the text after it looks like more of its fields: "
          "is there a '}' too many? [bib-syntax]",), exact=False, build="abort"),
    Case("bib-duplicate-key-within-a-file", lambda tiny: tiny.write(BIB, (tiny.root / BIB).read_text() + "\n@misc{short2018,\n  title = {Again},\n}\n"), (
        f"{BIB}:14:1: error: reference key 'short2018' is defined again at {BIB}:24 [duplicate-key]",
        f"{BIB}:24:1: error: reference key 'short2018' is already defined at {BIB}:14 [duplicate-key]",
    ), exact=False),
    Case("bib-duplicate-key-across-files", write("references/other.bib", "@misc{Berman2000,\n  title = {Copy},\n}\n"), (
        f"{BIB}:1:1: error: reference key 'berman2000' is defined again at references/other.bib:1 [duplicate-key]",
        f"references/other.bib:1:1: error: reference key 'Berman2000' is already defined at {BIB}:1 [duplicate-key]",
    ), exact=False),
    text_ok(steps(lambda tiny: tiny.write(BIB, "@string{bp = {Biological Psychiatry}}\n\n" + (tiny.root / BIB).read_text()),
                  replace(BIB, "journal = {Biological Psychiatry}", "journal = bp")), "bib-string-macro-used-in-a-field"),
    Case("bib-undefined-macro", replace(BIB, "journal = {Biological Psychiatry}", "journal = BiolPsychiatry"),
         (f"{BIB}:4:1: error: BibTeX syntax error: undefined macro 'BiolPsychiatry' (text that is not a number goes in braces: "
          "{BiolPsychiatry}) [bib-syntax]",)),
    Case("bib-entry-with-no-fields", write("references/extra.bib", "@misc{bare2020}\n"), (
        "references/extra.bib:1:1: error: entry 'bare2020': missing field 'author' (or 'organization' for a document by an institution) [missing-field]",
        "references/extra.bib:1:1: error: entry 'bare2020': missing field 'design' (one of: …",
        "references/extra.bib:1:1: error: entry 'bare2020': missing field 'title' [missing-field]",
        "references/extra.bib:1:1: error: entry 'bare2020': missing field 'year' (four digits, or n.d. for an undated web document) [missing-field]",
        "references/extra.bib:1:1: error: entry 'bare2020': needs a 'doi' or a 'pmid' (or a 'url' for a document that has neither) [missing-field]",
        "references/extra.bib:1:1: warning: reference 'bare2020' is cited by no claim; cite it or remove the entry [uncited-reference]",
    )),
    Case("bib-duplicated-field", replace(BIB, "  year = {2000},\n", "  year = {2000},\n  year = {2001},\n"),
         (f"{BIB}:1:1: error: entry 'berman2000' has the field 'year' twice; keep one [bib-field]",), build="abort"),
    Case("bib-junk-before-an-entry", lambda tiny: tiny.write(BIB, "@@ notes\n" + (tiny.root / BIB).read_text()),
         (f"{BIB}:1:1: error: BibTeX syntax error: '(' or '{{' expected [bib-syntax]",)),
    text_ok(replace(BIB, "doi = {10.1016/S0006-3223(99)00230-9}", "doi = {  10.1016/S0006-3223(99)00230-9\n    }"), "doi-with-surrounding-whitespace"),
    Case("doi-with-inner-whitespace", replace(BIB, "doi = {10.1016/S0006-3223(99)00230-9}", "doi = {10.1016/S0006-3223 (99)00230-9}"),
         (f"{BIB}:1:1: error: entry 'berman2000': '10.1016/S0006-3223 (99)00230-9' is not a DOI (10.NNNN/suffix, without https://doi.org/) [bad-doi]",)),
    Case("bib-not-utf-8", raw(BIB, lambda data: data.replace(b"Cappiello", b"Capp\xefello")),
         (f"{BIB}:2:39: error: the file is not UTF-8 (byte 0xef); save it as UTF-8 [encoding]",)),
]


def _matches(expected: str, line: str) -> bool:
    return line.startswith(expected[:-1]) if expected.endswith("…") else line == expected


def _check(tiny: TinySite, case: Case) -> list[str]:
    case.setup(tiny)
    result = tiny.check()
    assert result.code == case.code, result.lines
    for expected in case.problems:
        assert any(_matches(expected, line) for line in result.problems), f"{expected!r} not in {result.problems}"
    if case.exact:
        assert len(result.problems) == len(case.problems), result.problems
    return result.problems


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(tiny: TinySite, case: Case) -> None:
    _check(tiny, case)


BUILT = [case for case in CASES if case.build]


@pytest.mark.parametrize("case", BUILT, ids=[case.id for case in BUILT])
def test_bad_input_in_the_build(tiny: TinySite, case: Case, caplog: pytest.LogCaptureFixture) -> None:
    problems = _check(tiny, case)
    if case.build == "abort":  # on an error or a warning alike: one strictness everywhere
        with caplog.at_level(logging.WARNING, logger="mkdocs"), pytest.raises(Abort):
            tiny.build(strict=True)
        assert problems[0] in [record.getMessage() for record in caplog.records]
    else:
        tiny.build(strict=True)
    assert "index.html" in tiny.build(strict=False)


# --- size: the checker stays fast on inputs far larger than any real one -------------------------


def test_five_megabyte_bib(tiny: TinySite) -> None:
    entry = ("@article{{gen{i},\n  author = {{Author, Ann and Other, Bob}},\n  title = {{A {{generated}} title number {i}}},\n"
             "  journal = {{J}},\n  year = {{2000}},\n  doi = {{10.1000/gen.{i}}},\n  design = {{rct}},\n}}\n\n")
    entries = []
    size = 0
    while size < 5_000_000:
        entries.append(entry.format(i=len(entries)))
        size += len(entries[-1])
    lines_per_entry = entry.count("\n")
    entries[1000] = entries[1000].replace("doi = {10.1000/gen.1000}", "doi = {10.1000 gen.1000}")
    entries[2000] = entries[2000].replace("@article{gen2000,", "@article{gen10,")
    tiny.write("references/generated.bib", "".join(entries))
    result = tiny.check()  # its time grows linearly with the file: test_growth.py
    path = "references/generated.bib"
    line = {i: i * lines_per_entry + 1 for i in (10, 1000, 2000)}
    errors = [problem for problem in result.problems if ": error: " in problem]
    assert errors == [
        f"{path}:{line[10]}:1: error: reference key 'gen10' is defined again at {path}:{line[2000]} [duplicate-key]",
        f"{path}:{line[1000]}:1: error: entry 'gen1000': '10.1000 gen.1000' is not a DOI (10.NNNN/suffix, without https://doi.org/) [bad-doi]",
        f"{path}:{line[2000]}:1: error: reference key 'gen10' is already defined at {path}:{line[10]} [duplicate-key]",
    ]
    last = len(entries) - 1
    assert (f"{path}:{last * lines_per_entry + 1}:1: warning: reference 'gen{last}' is cited by no claim; cite it or remove the entry "
            "[uncited-reference]") in result.problems
    assert result.summary.startswith(f"3 claim files, {len(entries) + 1} references; 6 files read: 3 errors, {len(entries) - 1} warnings")


def test_claim_body_near_the_size_limit(tiny: TinySite) -> None:
    paragraph = "Ketamine acted within hours in a small trial [@berman2000, p. 352]; side effects were common [see @berman2000].\n\n"
    body = paragraph * (900_000 // len(paragraph))
    # An unclosed bracket before thousands of @: the citation pattern used to backtrack for hours.
    body += "[" + "@a " * 20_000 + "\n\nFinally [@berman2000; @nosuch1999].\n"
    tiny.replace(FAST, "A small randomised trial found improvement within hours [@berman2000, p. 352].\n", body)
    result = tiny.check()  # its time grows linearly with the body: test_growth.py
    last_line = 15 + body.count("\n") - 1
    assert result.problems == [f"{FAST}:{last_line}:23: error: no reference 'nosuch1999' in references/*.bib [unknown-reference]"]


# --- the build process itself ---------------------------------------------------------------------


def test_deeply_nested_front_matter_does_not_kill_the_build(tmp_path: Path) -> None:
    for path, text in default_files().items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    (tmp_path / FAST).write_text("---\nquote: " + "[" * 200_000 + "\n---\nBody\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run([sys.executable, "-m", ENGINE_MODULE, "build", "-q", "-f", str(tmp_path / "mkdocs.yml")],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert build.returncode >= 0, f"killed by signal {-build.returncode}"
    assert "lists and mappings are nested more than 20 deep" in build.stderr


@pytest.mark.parametrize("setup", [
    pytest.param(raw(FAST, lambda data: data.replace(b"Small trials", b"Small tri\xe4ls")), id="not-utf-8"),
    pytest.param(symlink(claim_path("gone"), lambda tiny: tiny.root / "nothing.md"), id="dangling-symlink"),
    pytest.param(symlink(claim_path("loop"), lambda tiny: tiny.root / claim_path("loop")), id="symlink-loop"),
])
def test_unreadable_page_does_not_crash_a_lenient_build(tiny: TinySite, setup: Callable[[TinySite], None]) -> None:
    setup(tiny)
    assert "index.html" in tiny.build(strict=False)


@pytest.mark.parametrize(("setup", "leak"), [
    pytest.param(front_matter("quote: [unclosed\n", "<script>alert(1)</script>\n"), "<script>alert(1)", id="claim-with-broken-yaml"),
    pytest.param(symlink(claim_path("linked"), outside_file), SECRET, id="symlink-outside"),
])
def test_refused_file_is_not_published_by_a_lenient_build(tiny: TinySite, setup: Callable[[TinySite], None], leak: str) -> None:
    setup(tiny)
    pages = tiny.build(strict=False)
    leaked = [name for name, page in pages.items() if leak in page]
    assert not leaked
