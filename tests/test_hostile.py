"""A red team of the rendering path: every hostile input in every field a contributor controls.

Content arrives from strangers' pull requests, and no contributor text may run script in a
reader's browser or make it call another host. Each payload of ``hostile_payloads`` is put into
every contributor-controlled field of one tiny site (front matter of articles and claims, the
analysis in many Markdown positions, every .bib field, the masthead, file and folder names, and
files that do not parse), each field with its own marker. Then, per site:

- the checker runs (text, JSON and GitHub formats): no traceback, exit code 0 or 1, and every
  GitHub annotation on one line;
- a non-strict build runs, and every page is scanned for script, event handlers, script URLs,
  frames, objects, forms, ``<base>``, refreshes, styles and resources of other hosts; a marker in
  what is found names the field it came from;
- for every field the checker says nothing about, the payload may appear only as text.

A representative site of each payload class is then opened in headless Chromium: dialogs,
console errors naming a marker, requests to other hosts and Content-Security-Policy violations
are recorded while highlights and citations are hovered and focused and links are clicked.

A hole the site has (not the test) is listed in ``HOLES`` with where its fix belongs; its own
test is marked ``xfail(strict=True)``, so the suite stays green, the lead sees what to fix, and the
mark must go once the hole is closed. The numbers (inputs, fields, combinations, findings) are
written to ``test-artifacts/hostile/report.json``.
"""

from __future__ import annotations

import contextlib
import html
import html.parser
import io
import json
import logging
import multiprocessing
import os
import re
import shutil
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import BIB, REPO, SCRIPTS
from hostile_payloads import EVIL, PAYLOADS, Payload

CHROMIUM = "/usr/bin/chromium"
REPORT = REPO / "test-artifacts" / "hostile" / "report.json"
NEUTRAL = Payload("neutral-1", "neutral", "plain words {M}")
# The harmless value of the fields that take an address or an identifier.
# A file's name is one too: only a name that is an id is published (any other is reported, bad-id, and left out).
NEUTRAL_ADDRESSES = {"article.url": "https://ok.example/{M}", "bib.url": "https://ok.example/{M}", "bib.doi": "10.1000/{M}",
                     "file.claim_id": "plain-words-{M}", "file.article_folder": "plain-words-{M}"}
SLUG = "test-article"
CODE_CLAIM = "docs/articles/hx-quotes/claims/hx-code.md"  # the analysis's code fields, on a page of their own

# -- the fields ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A place a contributor controls; ``shown`` when a harmless value in it reaches some page."""

    name: str
    group: str
    shown: bool = True


FIELDS: list[Field] = [
    *(Field(f"article.{name}", "article") for name in ("title", "publisher", "url", "published", "published_note", "summary")),
    Field("article.non_claim.note", "article"),
    Field("article.retrieved", "structural", shown=False),
    Field("article.key_claims", "structural", shown=False),
    Field("article.non_claim.reason", "structural"),
    Field("quote.claim", "quote"),
    Field("quote.non_claim", "quote"),
    Field("quote.article_body", "quote"),
    *(Field(f"claim.{name}", "claim") for name in ("claim", "claim_short", "certainty_rationale", "bottom_line", "source.note",
                                                   "reviewers", "correction.note")),
    Field("claim.watch", "claim", shown=False),
    *(Field(f"claim.{name}", "structural") for name in ("verdict", "certainty", "source.stance", "correction.previous_verdict",
                                                        "correction.previous_certainty")),
    *(Field(f"claim.{name}", "structural", shown=False) for name in ("prefix", "suffix", "certainty_upgrade", "source.key",
                                                                     "reviewed", "recheck_by")),
    *(Field(f"analysis.{name}", "analysis") for name in (
        "start", "inline", "block", "heading", "list", "blockquote", "emphasis", "link_text", "link_destination",
        "image_source", "link_title", "table", "footnote", "abbreviation", "citation", "code_span", "code_block", "code_indented", "end")),
    *(Field(f"bib.{name}", "bib") for name in ("author", "editor", "title", "journal", "booktitle", "publisher", "year", "volume",
                                               "number", "pages", "url", "doi", "notices", "key")),
    *(Field(f"bib.{name}", "bib", shown=False) for name in ("note", "design", "pmid")),
    *(Field(f"masthead.{name}", "masthead") for name in ("organization", "description", "role", "duties", "people", "interests",
                                                         "funding", "conflicts", "corrections", "contact")),
    Field("file.claim_id", "file"),
    Field("file.article_folder", "file"),
    *(Field(f"broken.{name}", "broken", shown=False) for name in ("article_title_raw", "claim_raw", "claim_quote_unescaped",
                                                                  "bib_brace_raw", "bib_quote_raw")),
]
# Fields whose value must stay inside <code> on the page.
CODE_FIELDS = {"analysis.code_span", "analysis.code_block", "analysis.code_indented"}
# Fields that are addresses: an http(s) value becomes a link there, as it should.
URL_FIELDS = {"article.url", "bib.url", "bib.doi"}
# Fields that are a link's or an image's destination: an address of the site is expected there.
DESTINATION_FIELDS = {"analysis.link_destination", "analysis.image_source"}
FILE_FIELDS = {"file.claim_id", "file.article_folder"}
# The analysis is Markdown: a link or an image of the site made from it is what Markdown is for.
ANALYSIS = {f.name for f in FIELDS if f.group == "analysis"}
BIB_FIELDS = [f.name.split(".", 1)[1] for f in FIELDS if f.group == "bib" and f.name != "bib.key"]


def marker(payload_index: int, field_index: int) -> str:
    """A marker unique to a payload and a field: lower-case letters and digits, so every escaping keeps it."""
    return f"hx{payload_index:03d}f{field_index:02d}q"


MARKER = re.compile(r"hx\d{3}f\d{2}q")

# -- writing a poisoned site ----------------------------------------------------------------------


def yq(value: str) -> str:
    """``value`` as a double-quoted YAML scalar that parses back to exactly ``value``."""
    out = []
    for char in value:
        code = ord(char)
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif code in (0x2028, 0x2029, 0xFEFF) or 0xE000 <= code <= 0xF8FF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def bib_value(value: str) -> str:
    """``value`` for a brace-delimited BibTeX field: unbalanced braces become parentheses, so the file parses."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        value = value.replace("{", "(").replace("}", ")")
    return value.replace("\x00", "")


def one_line(value: str) -> str:
    return value.replace("\n", " ").replace("\r", " ")


def file_name(value: str) -> str:
    """``value`` made into a legal file name (no slash, no NUL), kept short."""
    name = one_line(value).replace("/", "\\").replace("\x00", "").strip().lstrip(".")
    return (name.encode("utf-8")[:150].decode("utf-8", "ignore") or "x").strip() or "x"


def citation_text(value: str) -> str:
    """``value`` where a citation's prefix or locator stands: no brackets, semicolons or @ to end it early."""
    return one_line(value).replace("[", "(").replace("]", ")").replace(";", ",").replace("@", "(at)")


def bib_key(value: str) -> str:
    """``value`` as a BibTeX key pybtex can read: without the characters that end one."""
    return "hxk" + re.sub(r"[\s,{}()\"#%'=\\]", "", value)


def fence_for(value: str, char: str, least: int) -> str:
    longest = max((len(run) for run in re.findall(re.escape(char) + "+", value)), default=0)
    return char * max(least, longest + 1)


@dataclass
class Spec:
    """A poisoned site on disk: the marker of each field, and the lines of each field (for the checker's problems)."""

    root: Path
    payload: Payload
    markers: dict[str, str] = field(default_factory=dict)  # field name -> marker
    spans: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # field -> (path, first line, last line)

    def value(self, name: str) -> str:
        if self.payload.cls == "neutral" and name in NEUTRAL_ADDRESSES:
            return NEUTRAL_ADDRESSES[name].replace("{M}", self.markers[name])
        return self.payload.fill(self.markers[name])

    def span(self, name: str, path: str, first: int, last: int | None = None) -> None:
        self.spans.setdefault(name, []).append((path, first, last if last is not None else first))


class Lines:
    """A file written line by line, remembering which lines each field takes."""

    def __init__(self, spec: Spec, path: str) -> None:
        self.spec, self.path, self.lines = spec, path, []

    def add(self, text: str, name: str | None = None, back: int = 0) -> None:
        """Add ``text``; its lines, and the ``back`` lines before (the start of its list item), belong to field ``name``."""
        first = len(self.lines) + 1
        self.lines += text.split("\n")
        if name is not None:
            self.spec.span(name, self.path, first - back, len(self.lines))

    def write(self, end: str = "\n") -> None:
        target = self.spec.root / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(("\n".join(self.lines) + end).encode("utf-8", "surrogatepass"))


MKDOCS = f"""\
site_name: Hostile test site
site_url: https://factcheck.example.org/
theme:
  name: material
  font: false
  custom_dir: {SCRIPTS / "overrides"}
  features: [navigation.sections, navigation.top]  # as mkdocs.yml (test_security: no content.tooltips)
hooks:
  - {SCRIPTS / "hooks.py"}
plugins: []
extra_css: [stylesheets/factcheck.css, stylesheets/verdicts.css]
extra_javascript: [javascripts/factcheck.js]
markdown_extensions: [abbr, attr_list, footnotes, tables, {{toc: {{permalink: true}}}}]
not_in_nav: |
  /articles/*/claims/*.md
exclude_docs: |
  /masthead.yml
"""
LISTINGS = {"index": "home", "claims": "claims", "verdicts": "verdict-tags", "certainty": "certainty-tags",
            "references": "references", "corrections": "corrections", "search": "search", "about": "about"}
ARTICLE_TEXT = (
    "Ketamine works within hours. It is safe for everyone, say our doctors.\n\n"
    "Book your infusion today. Ketamine works within hours for most patients.\n\n"
    "Ketamine is sold in clinics. Prices vary between clinics. Doses differ by weight."
)


def simple_claim(quote: str, claim_id_text: str = "Ketamine is sold.") -> str:
    return f"""\
---
quote: {yq(quote)}
claim: {yq(claim_id_text)}
claim_short: {yq(claim_id_text)}
verdict: accurate
certainty: moderate
certainty_rationale: "Small trials."
bottom_line: "Ketamine is probably sold."
sources:
  - key: berman2000
    stance: supports
    note: "A trial."
reviewed: 2026-01-01
---
Cited [@berman2000].
"""


def simple_article(title: str, body: str) -> str:
    return f"""\
---
title: {yq(title)}
publisher: "Clinic"
url: "https://example.org/other"
retrieved: 2026-01-01
summary: "Partly true."
---

{body}
"""


def write_site(root: Path, payload: Payload, index: int) -> Spec:
    """Put ``payload`` into every field of a new site at ``root``, each field with its own marker."""
    spec = Spec(root, payload, {f.name: marker(index, number) for number, f in enumerate(FIELDS)})
    v = spec.value
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    for folder, name in (("javascripts", "factcheck.js"), ("stylesheets", "factcheck.css")):
        (root / "docs" / folder).mkdir(exist_ok=True)
        shutil.copy(REPO / "docs" / folder / name, root / "docs" / folder / name)
    for page, kind in LISTINGS.items():
        (root / "docs" / f"{page}.md").write_text(f"---\nfactcheck: {kind}\n---\n\n# {page.capitalize()}\n", encoding="utf-8")

    # The article: its front matter poisoned, its text clean (the quotes' own article holds the payload).
    article = Lines(spec, f"docs/articles/{SLUG}/index.md")
    article.add("---")
    for key in ("title", "publisher", "url", "published", "published_note"):
        article.add(f"{key}: {yq(v('article.' + key))}", f"article.{key}")
    article.add(f"retrieved: {yq(v('article.retrieved'))}", "article.retrieved")
    article.add(f"summary: {yq(v('article.summary'))}", "article.summary")
    article.add(f"key_claims: [{yq(v('article.key_claims'))}]", "article.key_claims")
    article.add("non_claims:")
    article.add('  - quote: "say our doctors"')
    article.add(f"    reason: {yq(v('article.non_claim.reason'))}", "article.non_claim.reason", back=1)
    article.add(f"    note: {yq(v('article.non_claim.note'))}", "article.non_claim.note", back=2)
    article.add('  - quote: "Book your infusion today."')
    article.add("    reason: advertising")
    article.add("---")
    article.add("")
    article.add(ARTICLE_TEXT)
    article.write()

    claims = f"docs/articles/{SLUG}/claims"
    hx_keys = [f"hx{name}" for name in BIB_FIELDS] + ["hxbroken", "hxafter"]
    claim = Lines(spec, f"{claims}/works-fast.md")
    claim.add("---")
    claim.add('quote: "Ketamine works within hours."')
    for key in ("claim", "claim_short"):
        claim.add(f"{key}: {yq(v('claim.' + key))}", f"claim.{key}")
    claim.add("verdict: accurate")
    claim.add("certainty: moderate")
    claim.add(f"certainty_rationale: {yq(v('claim.certainty_rationale'))}", "claim.certainty_rationale")
    claim.add(f"bottom_line: {yq(v('claim.bottom_line'))}", "claim.bottom_line")
    claim.add("sources:")
    claim.add("  - key: berman2000")
    claim.add("    stance: supports")
    claim.add(f"    note: {yq(v('claim.source.note'))}", "claim.source.note", back=2)
    for key in hx_keys:
        claim.add(f"  - key: {key}\n    stance: context\n    note: \"Context.\"")
    claim.add(f"  - key: {yq(bib_key(v('bib.key')))}\n    stance: context\n    note: \"Context.\"", "bib.key")
    claim.add("reviewed: 2026-01-01")
    claim.add(f"reviewers: [{yq(v('claim.reviewers'))}]", "claim.reviewers")
    claim.add("corrections:")
    claim.add("  - date: 2026-02-01")
    claim.add(f"    note: {yq(v('claim.correction.note'))}", "claim.correction.note", back=1)
    claim.add(f"watch: {yq(v('claim.watch'))}", "claim.watch")
    claim.add("---")
    claim.add("Cited [" + "; ".join(f"@{key}" for key in ["berman2000", *hx_keys]) + "].")
    claim.add("")
    cited = citation_text(v("analysis.citation"))
    claim.add(f"Also [see {cited} @berman2000, p. {cited}].", "analysis.citation")
    claim.write()

    structural = Lines(spec, f"{claims}/safe-for-everyone.md")
    structural.add("---")
    structural.add('quote: "It is safe for everyone"')
    structural.add(f"prefix: {yq(v('claim.prefix'))}", "claim.prefix")
    structural.add(f"suffix: {yq(v('claim.suffix'))}", "claim.suffix")
    structural.add('claim: "Ketamine is safe for everyone."\nclaim_short: "Ketamine is safe for everyone"')
    structural.add(f"verdict: {yq(v('claim.verdict'))}", "claim.verdict")
    structural.add(f"certainty: {yq(v('claim.certainty'))}", "claim.certainty")
    structural.add(f"certainty_upgrade: {yq(v('claim.certainty_upgrade'))}", "claim.certainty_upgrade")
    structural.add('certainty_rationale: "Observational data."\nbottom_line: "Ketamine may cause side effects."')
    structural.add("sources:")
    structural.add(f"  - key: {yq(v('claim.source.key'))}", "claim.source.key")
    structural.add('    stance: contradicts\n    note: "Side effects."')
    structural.add("  - key: short2018")
    structural.add(f"    stance: {yq(v('claim.source.stance'))}", "claim.source.stance", back=1)
    structural.add('    note: "Early trial."')
    structural.add(f"reviewed: {yq(v('claim.reviewed'))}", "claim.reviewed")
    structural.add(f"recheck_by: {yq(v('claim.recheck_by'))}", "claim.recheck_by")
    structural.add("corrections:")
    structural.add('  - date: 2026-02-01\n    note: "Corrected."')
    structural.add(f"    previous_verdict: {yq(v('claim.correction.previous_verdict'))}", "claim.correction.previous_verdict", back=2)
    structural.add(f"    previous_certainty: {yq(v('claim.correction.previous_certainty'))}", "claim.correction.previous_certainty", back=3)
    structural.add("---")
    structural.add("Side effects are common [@short2018].")
    structural.write()

    _write_analysis(spec, f"{claims}/most-patients.md")
    _write_quotes(spec)
    _write_bib(spec)
    _write_masthead(spec)
    _write_files_and_broken(spec, claims)
    return spec


def _write_analysis(spec: Spec, path: str) -> None:
    """A claim whose analysis holds the payload in every Markdown position, each in a block of its own."""
    v = spec.value
    text = Lines(spec, path)
    text.add("---")
    text.add('quote: "Ketamine works within hours for most patients."')
    text.add('claim: "Most patients respond to ketamine."\nclaim_short: "Most patients respond to ketamine"')
    text.add('verdict: needs-context\ncertainty: very-low\ncertainty_rationale: "Indirect."')
    text.add('bottom_line: "It is very uncertain whether most patients respond."')
    text.add('sources:\n  - key: berman2000\n    stance: qualifies\n    note: "Small sample."')
    text.add("reviewed: 2026-01-01")
    text.add("---")
    ticks = fence_for(v("analysis.code_span"), "`", 2)
    tildes = fence_for(v("analysis.code_block"), "~", 3)
    blocks = {
        "analysis.start": v("analysis.start") + " opening words.",
        "analysis.inline": "Some words " + v("analysis.inline") + " more words.",
        "analysis.block": v("analysis.block"),
        "analysis.heading": "## " + one_line(v("analysis.heading")),
        "analysis.list": "- " + v("analysis.list"),
        "analysis.blockquote": "> " + v("analysis.blockquote"),
        "analysis.emphasis": "*" + v("analysis.emphasis") + "* and **" + v("analysis.emphasis") + "**",
        "analysis.link_text": "[" + v("analysis.link_text") + "](https://ok.example/)",
        "analysis.link_destination": "[x](" + v("analysis.link_destination") + ")",
        "analysis.image_source": "![x](" + v("analysis.image_source") + ")",
        "analysis.link_title": '[x](https://ok.example/ "' + v("analysis.link_title") + '")',
        "analysis.table": "| a | b |\n|---|---|\n| " + one_line(v("analysis.table")) + " | x |",
        "analysis.footnote": "Noted[^hxnote].\n\n[^hxnote]: " + v("analysis.footnote"),
        "analysis.abbreviation": "HXABBR here.\n\n*[HXABBR]: " + one_line(v("analysis.abbreviation")),
    }
    for name, block in blocks.items():
        text.add(block, name)
        text.add("")
    text.add("One real citation, so that a forged one has a reference to point at [@berman2000].")
    text.add("")
    text.add(v("analysis.end"), "analysis.end")
    text.write(end="")
    # The code fields in a claim of their own: CommonMark reads a fence wherever a line starts with
    # ```, so another field's payload could open one that swallows them.
    code = Lines(spec, CODE_CLAIM)
    code.add(simple_claim("Plain opening sentence.", "Plain code claim.").rstrip("\n"))
    code.add("")
    for name, block in {
        "analysis.code_span": f"{ticks} {one_line(v('analysis.code_span'))} {ticks}",
        "analysis.code_block": f"{tildes}\n{v('analysis.code_block')}\n{tildes}",
        "analysis.code_indented": "\n".join("    " + line for line in v("analysis.code_indented").split("\n")),
    }.items():
        code.add(block, name)
        code.add("")
    code.write()


def _write_quotes(spec: Spec) -> None:
    """An article whose text holds the payload three times: quoted by a claim, by a non-claim, and alone."""
    v = spec.value
    article = Lines(spec, "docs/articles/hx-quotes/index.md")
    article.add('---\ntitle: "Quotes"\npublisher: "Clinic"\nurl: "https://example.org/quotes"\nretrieved: 2026-01-01\nsummary: "Partly."')
    article.add("non_claims:")
    article.add(f"  - quote: {yq(v('quote.non_claim'))}", "quote.non_claim")
    article.add("    reason: advertising")
    article.add("---")
    article.add("")
    article.add("Plain opening sentence.")
    article.add("")
    article.add(v("quote.claim"), "quote.claim")
    article.add("")
    article.add(v("quote.non_claim"), "quote.non_claim")
    article.add("")
    article.add(v("quote.article_body"), "quote.article_body")
    article.write()
    _write_text(spec, "docs/articles/hx-quotes/claims/hx-quote.md", simple_claim(v("quote.claim")), "quote.claim")


def _write_bib(spec: Spec) -> None:
    """One .bib file per field, so a field that breaks its file breaks nothing else, and problems name the field by path."""
    v = spec.value
    (spec.root / "references").mkdir(exist_ok=True)
    (spec.root / "references" / "main.bib").write_text(BIB, encoding="utf-8")
    for name in BIB_FIELDS:
        values = {"author": "Doe, Jane", "title": "A title", "journal": "A Journal", "year": "2020",
                  "doi": f"10.1000/hx.{name}", "design": "rct"}
        poison = v(f"bib.{name}")
        if name == "notices":
            poison = "retraction 10.1000/" + re.sub(r"[\s;]", "", poison) + " 2020-01-01; " + poison
        values[name] = poison
        # Editors, book titles and publishers are shown only where the entry has no author or journal.
        if name == "editor":
            del values["author"]
        if name in ("booktitle", "publisher"):
            del values["journal"]
        body = ",\n".join(f"  {key} = {{{bib_value(value)}}}" for key, value in values.items())
        entry = Lines(spec, f"references/hx-{name}.bib")
        entry.add(f"@article{{hx{name},\n{body},\n}}", f"bib.{name}")
        entry.write()
    key = bib_key(v("bib.key"))
    entry = Lines(spec, "references/hx-key.bib")
    entry.add(f"@article{{{key},\n  author = {{Doe, Jane}},\n  title = {{Keyed}},\n  journal = {{J}},\n  year = {{2020}},\n"
              f"  doi = {{10.1000/hx.key}},\n  design = {{rct}},\n}}", "bib.key")
    entry.write()


def _write_masthead(spec: Spec) -> None:
    v = spec.value
    masthead = Lines(spec, "docs/masthead.yml")
    for key in ("organization", "description"):
        masthead.add(f"{key}: {yq(v('masthead.' + key))}", f"masthead.{key}")
    masthead.add("roles:")
    masthead.add(f"  - role: {yq(v('masthead.role'))}", "masthead.role")
    masthead.add(f"    duties: {yq(v('masthead.duties'))}", "masthead.duties", back=1)
    masthead.add(f"    people: [{yq(v('masthead.people'))}]", "masthead.people", back=2)
    masthead.add(f"    interests: {yq(v('masthead.interests'))}", "masthead.interests", back=3)
    for key in ("funding", "conflicts", "corrections", "contact"):
        masthead.add(f"{key}: {yq(v('masthead.' + key))}", f"masthead.{key}")
    masthead.write()


def _write_files_and_broken(spec: Spec, claims: str) -> None:
    """The payload as a claim's file name and an article's folder name, and in files written so they do not parse."""
    v = spec.value
    claim_file = f"{claims}/{file_name(v('file.claim_id'))}.md"
    _write_text(spec, claim_file, simple_claim("Ketamine is sold in clinics."), "file.claim_id")
    folder = f"docs/articles/{file_name(v('file.article_folder'))}"
    _write_text(spec, f"{folder}/index.md", simple_article("Folder article", "A folder sentence."), "file.article_folder")
    _write_text(spec, f"{folder}/claims/hx-folder-claim.md", simple_claim("A folder sentence.", "A folder claim."), "file.article_folder")

    raw = one_line(v("broken.article_title_raw"))
    _write_text(spec, "docs/articles/hx-broken/index.md",
                simple_article("x", "Broken article text.").replace('title: "x"', f"title: {raw}"), "broken.article_title_raw")
    _write_text(spec, "docs/articles/hx-broken/claims/hx-broken-claim.md", simple_claim("Broken article text."), "broken.article_title_raw")
    _write_text(spec, f"{claims}/hx-raw.md",
                simple_claim("Prices vary between clinics.").replace('claim: "Ketamine is sold."', "claim: " + one_line(v("broken.claim_raw"))),
                "broken.claim_raw")
    _write_text(spec, f"{claims}/hx-unescaped.md",
                simple_claim("Doses differ by weight.").replace('claim: "Ketamine is sold."',
                                                                 'claim: "' + one_line(v("broken.claim_quote_unescaped")) + '"'),
                "broken.claim_quote_unescaped")
    bib = (f"@article{{hxbroken,\n  author = {{Doe, Jane}},\n  title = {{{v('broken.bib_brace_raw')}}},\n"
           f"  journal = \"{v('broken.bib_quote_raw')}\",\n  year = {{2020}},\n  doi = {{10.1000/hx.broken}},\n  design = {{rct}},\n}}\n\n"
           "@article{hxafter,\n  author = {Doe, Jane},\n  title = {After the broken entry},\n  journal = {J},\n  year = {2020},\n"
           "  doi = {10.1000/hx.after},\n  design = {rct},\n}\n")
    _write_text(spec, "references/hx-broken.bib", bib, "broken.bib_brace_raw")
    spec.span("broken.bib_quote_raw", "references/hx-broken.bib", 1, bib.count("\n") + 1)


def _write_text(spec: Spec, path: str, text: str, name: str) -> None:
    target = spec.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8", "surrogatepass"))
    spec.span(name, path, 1, text.count("\n") + 1)


# -- scanning a page ------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset", "lowsrc",
                  "dynsrc", "codebase", "cite", "ping", "manifest", "icon", "longdesc", "usemap"}
# What a browser fetches by itself, without a click.
LOADING = {("img", "src"), ("img", "srcset"), ("script", "src"), ("iframe", "src"), ("frame", "src"), ("embed", "src"),
           ("object", "data"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("source", "src"), ("source", "srcset"),
           ("track", "src"), ("input", "src"), ("image", "href"), ("image", "xlink:href"), ("use", "href"), ("use", "xlink:href"),
           ("feimage", "href"), ("feimage", "xlink:href"), ("body", "background"), ("table", "background"), ("td", "background"),
           ("base", "href"), ("link", "href")}
LOADING_RELS = {"stylesheet", "icon", "shortcut", "preload", "prefetch", "modulepreload", "manifest", "import", "preconnect",
                "dns-prefetch", "apple-touch-icon", "prerender"}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "form", "button", "input",
                      "textarea", "select", "isindex", "xss", "template", "noscript", "math", "svg"}
TEXT_ATTRIBUTES = {"title", "alt", "aria-label", "content", "value", "placeholder", "data-label", "label"}
# The site's own uses of otherwise forbidden elements: the search form, the reading-mode radio
# buttons, the theme's icons and its palette and search inputs. Taken from the clean site.
CONTROL = re.compile(r"[\x00-\x20\x7f]")


def normalized_url(value: str) -> str:
    """The address as a browser reads it: C0 controls and spaces trimmed, tabs and newlines dropped, backslashes as slashes."""
    value = value.strip("".join(map(chr, range(0x21))))
    return re.sub(r"[\t\n\r]", "", value).replace("\\", "/")


def scheme(value: str) -> str | None:
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", normalized_url(value))
    return match.group(1).lower() if match else None


def off_origin(value: str) -> bool:
    url = normalized_url(value)
    return url.startswith("//") or scheme(url) not in (None,)


@dataclass(frozen=True)
class Finding:
    """Something on a page that a contributor's text must never make."""

    kind: str
    page: str
    detail: str
    markers: tuple[str, ...] = ()


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


class Scanner(html.parser.HTMLParser):
    """Walks one page the way the checks need: elements with attributes, script and style text, text inside <code>."""

    def __init__(self, page: str, allowed: Allowed, source: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.allowed, self.source = page, allowed, source
        self.offsets = [0]
        for line in source.splitlines(keepends=True):
            self.offsets.append(self.offsets[-1] + len(line))
        self.findings: list[Finding] = []
        self.stack: list[str] = []
        self.raw: tuple[str, dict[str, str]] | None = None  # the open <script> or <style>
        self.raw_text: list[str] = []
        self.text_markers: list[tuple[str, bool]] = []  # (marker, inside <code>)
        self.attribute_markers: list[tuple[str, str, str, str]] = []  # (marker, tag, attribute, value)
        self.texts: list[str] = []
        self.csp_seen = False
        self.script_before_csp = False
        self.cites = 0
        self.data_blocks = 0

    def find(self, kind: str, detail: str, text: str = "") -> None:
        # The marker that names the field is at the start of what the payload made (a script
        # left open runs on over the page, whose other markers are not its own); an element
        # without one is named by the first marker that follows it in the page.
        markers = MARKER.findall((text or detail)[:200])
        if not markers:
            line, column = self.getpos()
            offset = self.offsets[line - 1] + column if line - 1 < len(self.offsets) else 0
            markers = MARKER.findall(self.source[offset : offset + 400])[:1]
        self.findings.append(Finding(kind, self.page, detail[:300], tuple(sorted(set(markers)))))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        shown = f"<{tag} " + " ".join(f'{name}="{value}"' for name, value in values.items()) + ">"
        allowed = (tag, values.get("class", ""), values.get("id", "")) in self.allowed.elements
        if tag == "span" and "fc-cite" in values.get("class", "").split():
            self.cites += 1
        if tag in FORBIDDEN_ELEMENTS and not allowed:
            self.find("element", shown)
        if tag == "meta":
            equiv = values.get("http-equiv", "").lower()
            if equiv == "content-security-policy":
                self.csp_seen = True
            elif equiv:
                self.find("element", shown)
        for name, value in values.items():
            for found in MARKER.findall(value):
                self.attribute_markers.append((found, tag, name, value))
            if name.startswith("on"):
                self.find("handler", shown)
            if name == "title" and re.search(r"<[A-Za-z!/?]", value):
                # The theme's content.tooltips shows a title with innerHTML: markup in it is markup on the page.
                self.find("tooltip-markup", shown)
            if name in ("srcdoc", "formaction") or (name == "style" and (MARKER.search(value) or re.search(r"url\(|expression|javascript", value, re.I))):
                self.find("style" if name == "style" else "element", shown)
            if name in URL_ATTRIBUTES or name.endswith(":href"):
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                for url in urls:
                    if scheme(url) in ("javascript", "vbscript", "data", "livescript", "mocha") and not (
                        tag == "a" and "fc-annotate__bookmarklet" in values.get("class", "") and value == self.allowed.bookmarklet
                    ):
                        self.find("script-url", shown)
                    loads = (tag, name) in LOADING and (tag != "link" or set(values.get("rel", "").lower().split()) & LOADING_RELS)
                    if loads and off_origin(url) and scheme(url) != "data":
                        self.find("foreign-resource", shown)
        if tag in ("script", "style"):
            self.raw = (tag, values)
            self.raw_text = []
            if tag == "script" and not self.csp_seen:
                self.script_before_csp = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.raw is not None and tag == self.raw[0]:
            self._raw_done()
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def _raw_done(self) -> None:
        assert self.raw is not None
        tag, values = self.raw
        text = "".join(self.raw_text)
        self.raw = None
        if tag == "style":
            if text not in self.allowed.styles:
                self.find("style", f"<style>{text}</style>", text)
            return
        kind = values.get("type", "").lower()
        if kind == "application/ld+json":
            # Never run, but a block the site did not make would be structured data it did not write.
            self.data_blocks += 1
            if not _parses_as_json(text):
                self.find("script", f"<script type=ld+json> that is not JSON: {text}", text)
            elif self.data_blocks > self.allowed.data_blocks:
                self.find("script", f"a JSON-LD block more than the site makes on a page: {text}", text)
            return
        source = values.get("src", "")
        if source:
            if source not in self.allowed.script_sources:
                self.find("script", f"<script src={source}>", source)
        elif text.strip() not in self.allowed.inline_scripts:
            self.find("script", f"<script>{text}</script>", text)

    def handle_data(self, data: str) -> None:
        if self.raw is not None:
            self.raw_text.append(data)
            return
        self.texts.append(data)
        for found in MARKER.findall(data):
            self.text_markers.append((found, "code" in self.stack or "pre" in self.stack))

    def close(self) -> None:
        super().close()
        if self.raw is not None:
            self._raw_done()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param", "keygen"}


def _parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


@dataclass
class Allowed:
    """What the site's own pages hold, taken from a clean build: the theme's scripts and styles, the search form, the bookmarklet."""

    inline_scripts: set[str] = field(default_factory=set)
    script_sources: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    elements: set[tuple[str, str, str]] = field(default_factory=set)
    bookmarklet: str = ""
    data_blocks: int = 0  # the most JSON-LD blocks a page has


class _Collect(html.parser.HTMLParser):
    def __init__(self, allowed: Allowed) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.raw: tuple[str, dict[str, str]] | None = None
        self.text: list[str] = []
        self.blocks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in FORBIDDEN_ELEMENTS:
            self.allowed.elements.add((tag, values.get("class", ""), values.get("id", "")))
        if tag == "a" and "fc-annotate__bookmarklet" in values.get("class", ""):
            self.allowed.bookmarklet = values.get("href", "")
        if tag == "script" and values.get("src"):
            self.allowed.script_sources.add(values["src"])
        if tag in ("script", "style"):
            self.raw, self.text = (tag, values), []

    def handle_data(self, data: str) -> None:
        if self.raw is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self.raw is not None and tag == self.raw[0]:
            text = "".join(self.text)
            if tag == "style":
                self.allowed.styles.add(text)
            elif self.raw[1].get("type", "") == "application/ld+json":
                self.blocks += 1
                self.allowed.data_blocks = max(self.allowed.data_blocks, self.blocks)
            elif not self.raw[1].get("src"):
                self.allowed.inline_scripts.add(text.strip())
            self.raw = None


def allowed_from(pages: dict[str, str]) -> Allowed:
    allowed = Allowed()
    for page in pages.values():
        collector = _Collect(allowed)
        collector.feed(page)
        collector.close()
    return allowed


def scan(name: str, page: str, allowed: Allowed) -> Scanner:
    scanner = Scanner(name, allowed, page)
    scanner.feed(page)
    scanner.close()
    if not scanner.csp_seen:
        scanner.find("no-csp", "the page has no Content-Security-Policy")
    elif scanner.script_before_csp:
        scanner.find("no-csp", "a script comes before the Content-Security-Policy")
    return scanner


def scan_data(site: Path) -> list[Finding]:
    """The files besides the pages that hold contributor text and are run or opened as more than data."""
    import csv
    import xml.etree.ElementTree as ET

    findings = []

    def find(kind: str, name: str, text: str) -> None:
        findings.append(Finding(kind, name, text[:300], tuple(sorted(set(MARKER.findall(text))))))

    userscript = site / "javascripts" / "annotate.user.js"
    if userscript.exists():
        header = userscript.read_text(encoding="utf-8", errors="replace").partition("// ==/UserScript==")[0]
        # JavaScript ends a line (and so a // comment) at \n, \r, U+2028 and U+2029.
        for line in re.split("[\n\r\u2028\u2029]", header):
            if line.strip() and not line.lstrip().startswith("//"):
                find("userscript-code", "javascripts/annotate.user.js", line)
    table = site / "claims.csv"
    if table.exists():
        for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8", errors="replace"), newline="")):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and MARKER.search(cell):
                    find("csv-formula", "claims.csv", cell)
    feed = site / "corrections.xml"
    if feed.exists():
        try:
            tree = ET.parse(feed)
        except ET.ParseError as exc:
            lines = feed.read_text(encoding="utf-8", errors="replace").split("\n")
            line = lines[exc.position[0] - 1] if 0 < exc.position[0] <= len(lines) else ""
            find("feed-markup", "corrections.xml", f"does not parse ({exc}): {line.strip()}")
        else:
            for element in tree.iter():
                if not str(element.tag).startswith("{http://www.w3.org/2005/Atom}"):
                    find("feed-markup", "corrections.xml", f"<{element.tag}> {ET.tostring(element, encoding='unicode')}")
    return findings


# -- running one site -----------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the checker and the build did with one poisoned site, and what its pages hold."""

    payload: str
    root: str
    markers: dict[str, str]
    spans: dict[str, list[tuple[str, int, int]]]
    check_code: int = -1
    problems: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    text_markers: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)  # page -> markers in its text
    attribute_markers: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    page_texts: dict[str, str] = field(default_factory=dict)  # page -> its text, where a marker is in it
    cites: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _checker(root: Path, fmt: str) -> tuple[int, str, str]:
    import check_claims

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = check_claims.main(["--root", str(root), "--today", "2026-06-01", "--format", fmt])
    return code, out.getvalue(), err.getvalue()


def run_site(root: Path, payload: Payload, index: int, allowed: Allowed | None) -> tuple[Outcome, dict[str, str]]:
    """Write, check and build one poisoned site; scan its pages (with ``allowed``, or return them to make it)."""
    started = time.perf_counter()
    spec = write_site(root, payload, index)
    outcome = Outcome(payload.id, str(root), spec.markers, spec.spans)
    for fmt in ("json", "github"):
        try:
            code, out, err = _checker(root, fmt)
        except (Exception, SystemExit):  # a crash of any kind is what this records
            outcome.crashes.append(f"checker ({fmt}) raised:\n{traceback.format_exc()[-2000:]}")
            continue
        if "Traceback" in err or "Traceback" in out:
            outcome.crashes.append(f"checker ({fmt}) printed a traceback:\n{err[-2000:]}")
        if code not in (0, 1):
            outcome.crashes.append(f"checker ({fmt}) exited with {code}: {err[-500:]}")
        if fmt == "json":
            outcome.check_code = code
            try:
                outcome.problems = json.loads(out)
            except ValueError:
                outcome.crashes.append(f"checker (json) printed no JSON: {out[:300]!r}")
        else:
            lines = out.rstrip("\n").split("\n")  # the runner ends a command at \n (and \r) only
            # A problem's message holds contributor text: an annotation broken over lines is a
            # workflow command a pull request wrote.
            bad = [line for line in lines[:-1] if not re.match(r"^::(error|warning|notice) file=", line)]
            if bad:
                outcome.crashes.append(f"GitHub annotations not one per line: {bad[:3]!r}")
    pages: dict[str, str] = {}
    try:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        config = load_config(str(root / "mkdocs.yml"), strict=False, site_dir=str(root / "site"))
        build(config)
        site = root / "site"
        pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8", errors="replace") for p in sorted(site.rglob("*.html"))}
    except (Exception, SystemExit):
        outcome.crashes.append(f"non-strict build raised:\n{traceback.format_exc()[-2000:]}")
    if any(Path(".").glob("hostile-*")) or any(root.glob("hostile-*")):
        outcome.crashes.append("a YAML tag ran a command: a hostile-* file was made")
    outcome.pages = sorted(pages)
    if pages:
        outcome.findings += scan_data(root / "site")
    if allowed is not None:
        for name, page in pages.items():
            scanner = scan(name, page, allowed)
            outcome.findings += scanner.findings
            if scanner.text_markers:
                outcome.text_markers[name] = scanner.text_markers
                outcome.page_texts[name] = " ".join(" ".join(scanner.texts).split())
            if scanner.attribute_markers:
                outcome.attribute_markers[name] = scanner.attribute_markers
            outcome.cites[name] = scanner.cites
    outcome.seconds = time.perf_counter() - started
    return outcome, pages


# -- what a site's outcome says about each field --------------------------------------------------


def field_of(outcome: Outcome, found: str) -> str | None:
    for name, value in outcome.markers.items():
        if value == found:
            return name
    return None


def silent_fields(outcome: Outcome) -> set[str]:
    """The fields on whose lines the checker reported nothing."""
    spoken = set()
    for problem in outcome.problems:
        # "... and 12 more like the ones above": the checker stops listing after 20 of a kind in a
        # file, and so speaks for every field of the file.
        capped = problem["message"].startswith("\u2026 and ")
        for name, spans in outcome.spans.items():
            if any(path == problem["path"] and (capped or first <= problem["line"] <= last) for path, first, last in spans):
                spoken.add(name)
    return set(outcome.spans) - spoken


def verdicts(outcome: Outcome, payload: Payload) -> list[tuple[str, str, str]]:
    """Every (field, kind, detail) this site shows; field "site" for what no marker attributes."""
    found: list[tuple[str, str, str]] = []
    for crash in outcome.crashes:
        found.append(("site", "crash", crash))
    for finding in outcome.findings:
        names = [field_of(outcome, m) for m in finding.markers] or [None]
        for name in names:
            found.append((name or "site", finding.kind, f"{finding.page}: {finding.detail}"))
    silent = silent_fields(outcome)
    for page, markers in outcome.attribute_markers.items():
        for found_marker, tag, attribute, value in markers:
            name = field_of(outcome, found_marker)
            if name is None or name not in silent:
                continue
            harmless = attribute in TEXT_ATTRIBUTES | {"id", "aria-describedby", "aria-labelledby", "data-claims", "for"} or (
                attribute == "href" and (value.startswith("#") or (name in URL_FIELDS | DESTINATION_FIELDS and scheme(value) in ("http", "https")))
            ) or (name in DESTINATION_FIELDS | ANALYSIS and attribute in ("href", "src") and scheme(value) is None and not off_origin(value)
            ) or (name in ANALYSIS and tag == "a" and attribute == "href" and scheme(value) in ("http", "https")
            ) or (name in FILE_FIELDS and attribute in ("href", "content") and (
                not off_origin(value) or value.startswith("https://factcheck.example.org/")))  # a published name is in its page's address
            if not harmless:
                found.append((name, "markup-from-silent-field", f'{page}: <{tag} {attribute}="{value[:200]}"> (the checker said nothing)'))
    for page, markers in outcome.text_markers.items():
        for found_marker, in_code in markers:
            name = field_of(outcome, found_marker)
            if name in CODE_FIELDS and not in_code and page.endswith("hx-code/index.html"):
                found.append((name, "code-not-inert", f"{page}: the marker is outside <code>"))
            if payload.literal and name in silent and payload.literal not in outcome.page_texts.get(page, ""):
                found.append((name or "site", "template-evaluated", f"{page}: {payload.literal!r} is not shown as written"))
    for page, count in outcome.cites.items():
        if page.endswith("most-patients/index.html") and count > 1:
            # That analysis cites once: every other citation on its page was forged by the payload.
            found.append(("analysis.*", "forged-citation", f"{page}: {count - 1} citation(s) made from the payload's characters"))
    return sorted(set(found))


# -- the holes found, each with where its fix belongs --------------------------------------------


@dataclass(frozen=True)
class Hole:
    """A hole the red team found in the site: which payload in which field, what happens, and where the fix belongs.

    ``payload`` "*" is every payload; ``example`` is then the one whose site shows the hole (its own test).
    """

    payload: str
    field: str  # a field name, or a prefix ending in "*"; several joined by "|"
    kind: str
    reason: str
    example: str = ""

    def matches(self, payload: str, name: str, kind: str) -> bool:
        field_ok = any(name == one or (one.endswith("*") and name.startswith(one[:-1])) for one in self.field.split("|"))
        return self.payload in (payload, "*") and field_ok and kind == self.kind

    @property
    def shown_by(self) -> str:
        return self.example or self.payload


# The holes this suite found are fixed (see the closing note of the change that fixed them); a new
# one goes here as Hole(payload, field, kind, why-and-where-to-fix), xfail(strict) until it is fixed.
HOLES: list[Hole] = []
BROWSER_HOLES: list[Hole] = []  # what the browser shows of them


def known(payload: str, name: str, kind: str) -> Hole | None:
    return next((hole for hole in HOLES if hole.matches(payload, name, kind)), None)


# -- the sites, built once per run ---------------------------------------------------------------


def _worker(job: tuple[str, int, int, Allowed]) -> Outcome:
    root, payload_index, index, allowed = job
    logging.getLogger("mkdocs").setLevel(logging.CRITICAL)
    outcome, _ = run_site(Path(root), PAYLOADS[payload_index], index, allowed)
    return outcome


@dataclass
class Run:
    """The clean site's allowances and every poisoned site's outcome."""

    allowed: Allowed
    neutral: Outcome
    outcomes: dict[str, Outcome]
    seconds: float
    forked: bool = False


def _needed(session: pytest.Session) -> list[str]:
    """The payloads the selected tests need: all of them, unless -k chose fewer."""
    ids = set()
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is None:
            continue
        for value in callspec.params.values():
            if isinstance(value, Payload):
                ids.add(value.id)
            elif isinstance(value, Hole):
                ids.add(value.shown_by)
            elif isinstance(value, str) and value in CLASSES:
                ids.update(p.id for p in REPRESENTATIVES[value])
    return [p.id for p in PAYLOADS if p.id in ids]


@pytest.fixture(scope="session")
def hostile(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    started = time.perf_counter()
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        _, clean_pages = run_site(tmp_path_factory.mktemp("hostile-clean"), NEUTRAL, 999, None)
        allowed = allowed_from(clean_pages)
        neutral, _ = run_site(tmp_path_factory.mktemp("hostile-neutral"), NEUTRAL, 998, allowed)
        wanted = _needed(request.session)
        jobs = [(str(tmp_path_factory.mktemp(f"hostile-{pid}")), next(i for i, p in enumerate(PAYLOADS) if p.id == pid),
                 next(i for i, p in enumerate(PAYLOADS) if p.id == pid), allowed) for pid in wanted]
        from factcheck.site import parallel

        # Two processes, forked where the site's own parallel build would fork (one thread, two cores).
        forked = len(jobs) > 4 and parallel.can_fork()
        if forked:
            sys.stdout.flush()
            sys.stderr.flush()
            with multiprocessing.get_context("fork").Pool(2) as pool:
                results = pool.map(_worker, jobs, chunksize=1)
        else:
            results = [_worker(job) for job in jobs]
    finally:
        logger.setLevel(level)
    run = Run(allowed, neutral, {o.payload: o for o in results}, time.perf_counter() - started, forked)
    _write_report(run)
    return run


# -- the tests -----------------------------------------------------------------------------------

CLASSES = sorted({p.cls for p in PAYLOADS})
# The sites opened in the browser: one of each class, the one a browser hole is shown by if any, and
# never one whose build fails (it has no pages).


def _representative(cls: str) -> Payload:
    members = [p for p in PAYLOADS if p.cls == cls and not any(h.kind == "crash" and h.payload == p.id for h in HOLES)]
    shown = [p for p in members if any(h.shown_by == p.id for h in BROWSER_HOLES)]
    return (shown or members)[0]


REPRESENTATIVES: dict[str, list[Payload]] = {cls: [_representative(cls)] for cls in CLASSES}


def test_the_scanner_finds_what_it_looks_for() -> None:
    """Each check of the page scan fires on a page that has the thing, and only then."""
    allowed = Allowed(inline_scripts={"theme()"}, script_sources={"assets/bundle.js"}, bookmarklet="javascript:ours()", data_blocks=1)
    csp = '<meta http-equiv="Content-Security-Policy" content="x">'
    m = marker(1, 2)
    cases = {
        f"<script>alert(/{m}/)</script>": "script",
        f'<script src="//{EVIL}/x.js"></script>': "script",
        f'<img src=x onerror="alert(/{m}/)">': "handler",
        f'<a href=" java\tscript:alert(/{m}/)">x</a>': "script-url",
        '<a href="DATA:text/html,x">x</a>': "script-url",
        '<a class="fc-annotate__bookmarklet" href="javascript:theirs()">x</a>': "script-url",
        '<img src="/\\evil.example/x.png">': "foreign-resource",
        '<img src="\x01//evil.example/x.png">': "foreign-resource",
        '<link rel="stylesheet" href="https://evil.example/x.css">': "foreign-resource",
        '<iframe srcdoc="x"></iframe>': "element",
        '<base href="/">': "element",
        '<meta http-equiv="refresh" content="0;url=/">': "element",
        '<form action="/"></form>': "element",
        '<div style="background:url(x)">x</div>': "style",
        f"<style>*{{color:red}} /* {m} */</style>": "style",
        '<script type="application/ld+json">{"a": 1}</script><script type="application/ld+json">{"b": 2}</script>': "script",
        '<script type="application/ld+json">{"a": "</script>': "script",
    }
    for fragment, kind in cases.items():
        found = {f.kind for f in scan("p.html", csp + fragment, allowed).findings}
        assert kind in found, fragment
    harmless = (csp + '<script>theme()</script><script src="assets/bundle.js"></script><script type="application/ld+json">{"a": 1}</script>'
                '<a class="fc-annotate__bookmarklet" href="javascript:ours()">b</a><a href="https://example.org/">x</a>'
                f'<img src="images/x.png" alt="&lt;script&gt;{m}"><p title="&quot; onclick=&quot;x">&lt;img src=x onerror=y&gt;</p>'
                '<link rel="canonical" href="https://factcheck.example.org/">')
    assert scan("p.html", harmless, allowed).findings == []
    assert [f.kind for f in scan("p.html", "<p>no policy</p>", allowed).findings] == ["no-csp"]


def test_a_harmless_value_reaches_every_page_it_should(hostile: Run) -> None:
    """With plain words in every field the site is clean, and each shown field's marker is on some page: the poison arrives."""
    neutral = hostile.neutral
    assert neutral.crashes == []
    assert [v for v in verdicts(neutral, NEUTRAL) if not known(NEUTRAL.id, v[0], v[1])] == []
    seen = {m for markers in neutral.text_markers.values() for m, _ in markers}
    seen |= {m for markers in neutral.attribute_markers.values() for m, *_ in markers}
    missing = [f.name for f in FIELDS if f.shown and neutral.markers[f.name] not in seen]
    assert missing == [], missing
    # The claim pages, the article pages and every listing were built.
    for page in ("index.html", "claims/index.html", "references/index.html", "about/index.html", "search/index.html",
                 f"articles/{SLUG}/index.html", f"articles/{SLUG}/claims/works-fast/index.html",
                 f"articles/{SLUG}/claims/most-patients/index.html", "articles/hx-quotes/index.html"):
        assert page in neutral.pages


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p.id for p in PAYLOADS])
def test_no_field_lets_the_payload_out(hostile: Run, payload: Payload) -> None:
    """The checker and a non-strict build survive the payload in every field, and no page carries anything it could run."""
    outcome = hostile.outcomes[payload.id]
    unexpected = [(name, kind, detail) for name, kind, detail in verdicts(outcome, payload) if not known(payload.id, name, kind)]
    assert unexpected == [], "\n".join(f"{name} [{kind}] {detail}" for name, kind, detail in unexpected)
    if not outcome.crashes:  # a crash is a hole of its own (above), and leaves no exit code
        assert outcome.check_code == 1  # no hostile site is a clean one: the checker always has something to say


@pytest.mark.parametrize(
    "hole", [pytest.param(h, marks=pytest.mark.xfail(strict=True, reason=h.reason)) for h in HOLES if h not in BROWSER_HOLES],
    ids=[f"{h.shown_by}:{h.field}:{h.kind}" for h in HOLES if h not in BROWSER_HOLES],
)
def test_known_hole(hostile: Run, hole: Hole) -> None:
    """Each hole found: fails (xfail) while the site has it; passes, and so fails the run, once it is fixed."""
    outcome = hostile.neutral if hole.shown_by == NEUTRAL.id else hostile.outcomes[hole.shown_by]
    payload = NEUTRAL if hole.shown_by == NEUTRAL.id else next(p for p in PAYLOADS if p.id == hole.shown_by)
    found = [(name, kind, detail) for name, kind, detail in verdicts(outcome, payload) if hole.matches(payload.id, name, kind)]
    assert found == [], "\n".join(f"{name} [{kind}] {detail}" for name, kind, detail in found)


def test_csp_hashes_only_the_sites_own_inline_scripts(hostile: Run) -> None:
    """On a built claim page, the policy lets run the theme's inline scripts, not one that reached the page's content."""
    from factcheck.site import csp

    page = (Path(hostile.neutral.root) / "site" / f"articles/{SLUG}/claims/works-fast/index.html").read_text(encoding="utf-8")
    content = '<article class="md-content__inner md-typeset">'
    assert content in page
    theme = set(re.findall(r"'sha256-[^']+'", csp.policy(page)))
    policy = csp.policy(page.replace(content, content + "<script>alert(1)</script>", 1))
    assert theme and theme <= set(re.findall(r"'sha256-[^']+'", policy))
    assert csp._hash("alert(1)") not in policy


# -- the browser ---------------------------------------------------------------------------------

INIT = """
window.__hxCsp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__hxCsp.push({directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI || '',
                       sample: (e.sample || '').slice(0, 200), line: e.lineNumber || 0,
                       element: (e.target && e.target.outerHTML || '').slice(0, 400)});
}, true);
"""
# Point at, focus and enter every highlight, marker, citation, abbreviation, footnote and titled element
# of the page, as a reader's pointer and keyboard would; then click the citations and footnote marks
# (links within the page). Returns how many elements it touched, and the marks it gave the first
# highlight, the first citation and the titled elements (the theme's tooltips): the real pointer's next.
TOUCH = """() => {
  const seen = [];
  for (const el of document.querySelectorAll('a.fc-hl, a.fc-marker, a.fc-cite__link, abbr, a.footnote-ref, .fc-tipwrap, [title]')) {
    if (seen.length > 40) break;
    seen.push(el);
    for (const type of ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousemove'])
      el.dispatchEvent(new MouseEvent(type, {bubbles: true}));
    if (el.focus) el.focus({preventScroll: true});
    el.dispatchEvent(new FocusEvent('focusin', {bubbles: true}));
  }
  for (const a of [...document.querySelectorAll('a.fc-cite__link, a.footnote-ref')].slice(0, 3)) a.click();
  // Marks the visible ones for the real pointer (the theme takes titles off the elements it gave a
  // tooltip, so they are found again by this mark); a hidden element would only be waited for.
  let mark = 0;
  const targets = selector => [...document.querySelectorAll(selector)].filter(el => el.checkVisibility()).slice(0, 12)
    .map(el => { el.setAttribute('data-hx-target', String(++mark)); return mark; });
  const found = [targets('a.fc-hl').slice(0, 1), targets('a.fc-cite__link').slice(0, 1), targets('.md-content abbr, .md-content [title]')];
  return new Promise(r => requestAnimationFrame(() => setTimeout(() => r([seen.length, found.flat()]), 0)));
}"""
SITES_AT_ONCE = 2  # two sites' pages load side by side: the machine has two cores


def _chromium() -> None:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)", pytrace=False)
        pytest.skip(f"browser tests need Debian's chromium: apt-get install chromium (looked for {CHROMIUM})")


@contextlib.contextmanager
def quiet_serve(folder: Path) -> Iterator[str]:
    """conftest.serve, but a browser that moves on before a file is sent is no error worth printing, and files other than pages are cached."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def end_headers(self) -> None:
            # The theme's scripts, styles and icons are the same on every page: the browser keeps them
            # instead of asking again for each page (the pages themselves are always fetched).
            if not self.path.split("?")[0].endswith(("/", ".html")):
                self.send_header("Cache-Control", "max-age=600")
            super().end_headers()

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Seen:
    """What the browser saw on one site: each event with the markers that name its field."""

    events: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)  # (kind, detail, markers)
    pages: int = 0
    touched: int = 0
    seconds: float = 0.0


def _markers_at(site: Path, url_path: str, line: int) -> tuple[str, ...]:
    """The markers on line ``line`` of the served file: what an inline handler or style blocked there came from."""
    target = site / url_path
    if target.is_dir() or not target.suffix:
        target = target / "index.html"
    try:
        lines = target.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return ()
    return tuple(MARKER.findall(lines[line - 1])[:1]) if 0 < line <= len(lines) else ()


async def browse(browser: Any, site: Path) -> Seen:
    """Open every page of ``site``: point at and focus what it previews, click its citations and a highlight, search it."""
    started = time.perf_counter()
    seen = Seen()

    def event(kind: str, detail: str, markers: tuple[str, ...] = ()) -> None:
        seen.events.append((kind, detail[:400], tuple(sorted(set(markers or tuple(MARKER.findall(detail)))))))

    def violations(relative: str, found: list[dict[str, Any]]) -> None:
        for violation in found:
            markers = tuple(MARKER.findall(" ".join((violation["sample"], violation["blocked"], violation["element"])))[:1])
            event("csp-violation", f"{relative}: {violation}", markers or _markers_at(site, relative, violation["line"]))

    with quiet_serve(site) as base_url:
        host = urlsplit(base_url).netloc
        context = await browser.new_context(viewport={"width": 1024, "height": 700}, service_workers="block")
        await context.add_init_script(INIT)

        def request(request_: Any) -> None:
            # Recorded, not intercepted: routing every request through Python made each page half as
            # slow again. The payloads' hosts are under .example, which no resolver answers (RFC 2606).
            parts = urlsplit(request_.url)
            if parts.scheme in ("http", "https", "ws", "wss", "ftp") and parts.netloc != host:
                event("foreign-request", request_.url)

        async def dialog(dialog_: Any) -> None:
            event("executed", f"{page.url}: {dialog_.type}({dialog_.message})")
            await dialog_.dismiss()

        context.on("request", request)
        page = await context.new_page()
        page.set_default_timeout(5_000)
        page.on("dialog", dialog)
        # The policy's own messages are recorded as violations, from the event.
        page.on("console", lambda message: event("console-error", f"{page.url}: {message.text}")
                if message.type == "error" and MARKER.search(message.text) and "Content Security Policy" not in message.text else None)
        page.on("pageerror", lambda error: event("console-error", f"{page.url}: {error}") if MARKER.search(str(error)) else None)
        for path in sorted(site.rglob("*.html")):
            relative = path.relative_to(site).as_posix()
            await page.goto(base_url + relative, wait_until="load")
            seen.pages += 1
            # A payload may take the page elsewhere while it is touched: what follows then fails, and is
            # recorded as far as it went (the navigation itself is a request to another host).
            marks: list[int] = []
            with contextlib.suppress(Exception):
                touched, marks = await page.evaluate(TOUCH)
                seen.touched += touched
            # The real pointer, where the theme's previews and tooltips listen: the first highlight and
            # citation, and every abbreviation and titled element of the content.
            for target in (page.locator(f'[data-hx-target="{mark}"]') for mark in marks):
                with contextlib.suppress(Exception):
                    await target.hover(timeout=300, force=True)  # no wait for what covers it: the pointer goes there
            if path.parent.name == "search":
                with contextlib.suppress(Exception):
                    found = sorted(set(MARKER.findall(site.joinpath("index.html").read_text(encoding="utf-8", errors="replace"))))
                    await page.fill("#fc-search-input", found[0] if found else "ketamine", timeout=1_000)
                    # Polled from here: wait_for_function would evaluate its text in the page, which the policy refuses.
                    for _ in range(40):
                        if await page.evaluate("() => document.getElementById('fc-search-status').textContent.endsWith('.')"):
                            break
                        await page.wait_for_timeout(50)
            with contextlib.suppress(Exception):
                violations(relative, await page.evaluate("window.__hxCsp || []"))
            if relative.endswith(f"articles/{SLUG}/index.html"):
                # Follow a highlight to its claim, as a reader does: the page it opens is checked as well.
                with contextlib.suppress(Exception):
                    await page.locator("a.fc-hl").first.click(timeout=1_000)
                    await page.wait_for_load_state("load")
                    violations(page.url, await page.evaluate("window.__hxCsp || []"))
        await context.close()
    seen.seconds = time.perf_counter() - started
    return seen


async def _browse_all(sites: dict[str, Path]) -> dict[str, Seen]:
    """One browser for every site, ``SITES_AT_ONCE`` of them at a time."""
    import asyncio

    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        limit = asyncio.Semaphore(SITES_AT_ONCE)

        async def one(payload: str, site: Path) -> tuple[str, Seen]:
            async with limit:
                return payload, await browse(browser, site)

        try:
            return dict(await asyncio.gather(*(one(payload, site) for payload, site in sites.items())))
        finally:
            await browser.close()


@pytest.fixture(scope="module")
def browsed(hostile: Run, request: pytest.FixtureRequest) -> dict[str, Seen]:
    """What Chromium saw on every site the selected browser tests need, each site opened once."""
    import asyncio

    _chromium()
    wanted: set[str] = set()
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if isinstance(params.get("cls"), str) and params["cls"] in REPRESENTATIVES:
            wanted.update(p.id for p in REPRESENTATIVES[params["cls"]])
        if isinstance(params.get("hole"), Hole) and params["hole"] in BROWSER_HOLES:
            wanted.add(params["hole"].shown_by)
    sites = {payload: Path(hostile.outcomes[payload].root) / "site" for payload in sorted(wanted)}
    seen = asyncio.run(_browse_all(sites))
    with contextlib.suppress(OSError):
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.with_name("browser.json").write_text(json.dumps(
            {payload: {"pages": s.pages, "touched": s.touched, "seconds": round(s.seconds, 1), "events": [list(e) for e in s.events]}
             for payload, s in seen.items()}, indent=1, ensure_ascii=False), encoding="utf-8")
    return seen


def browser_verdicts(outcome: Outcome, seen: Seen) -> list[tuple[str, str, str]]:
    """Every (field, kind, detail) of what the browser saw on this site."""
    found = []
    for kind, detail, markers in seen.events:
        names = [field_of(outcome, m) for m in markers] or [None]
        found += [(name or "site", kind, detail) for name in names]
    return sorted(set(found))


@pytest.mark.browser
@pytest.mark.parametrize("cls", CLASSES)
def test_nothing_runs_in_a_browser(hostile: Run, browsed: dict[str, Seen], cls: str) -> None:
    """Every page of the class's site in Chromium: no dialog, no console error naming a marker, no other host, no CSP violation.

    A violation of the policy counts too: the sanitizer should have removed what the browser had to refuse.
    """
    for payload in REPRESENTATIVES[cls]:
        outcome, seen = hostile.outcomes[payload.id], browsed[payload.id]
        assert seen.pages == len(outcome.pages) > 10 and seen.touched > 0
        unexpected = [v for v in browser_verdicts(outcome, seen) if not known(payload.id, v[0], v[1])]
        assert unexpected == [], "\n".join(f"{payload.id}: {name} [{kind}] {detail}" for name, kind, detail in unexpected)


@pytest.mark.browser
@pytest.mark.parametrize(
    "hole", [pytest.param(h, marks=pytest.mark.xfail(strict=True, reason=h.reason)) for h in BROWSER_HOLES],
    ids=[f"{h.shown_by}:{h.field}:{h.kind}" for h in BROWSER_HOLES],
)
def test_known_browser_hole(hostile: Run, browsed: dict[str, Seen], hole: Hole) -> None:
    """Each hole the browser shows: fails (xfail) while the site has it; passes, and so fails the run, once it is fixed."""
    outcome, seen = hostile.outcomes[hole.shown_by], browsed[hole.shown_by]
    found = [v for v in browser_verdicts(outcome, seen) if hole.matches(hole.shown_by, v[0], v[1])]
    assert found == [], "\n".join(f"{name} [{kind}] {detail}" for name, kind, detail in found)


# -- the report ----------------------------------------------------------------------------------


def _write_report(run: Run) -> None:
    """The numbers, for the lead: inputs, fields, combinations, findings, holes."""
    holes = []
    for outcome in run.outcomes.values():
        payload = next(p for p in PAYLOADS if p.id == outcome.payload)
        for name, kind, detail in verdicts(outcome, payload):
            hole = known(payload.id, name, kind)
            holes.append({"payload": payload.id, "class": payload.cls, "field": name, "kind": kind, "detail": detail,
                          "known": bool(hole)})
    report = {
        "inputs": len(run.outcomes),
        "fields": len(FIELDS),
        "combinations": len(run.outcomes) * len(FIELDS),
        "sites_built": len(run.outcomes) + 2,
        "pages_scanned": sum(len(o.pages) for o in run.outcomes.values()),
        "checker_exit_codes": sorted({o.check_code for o in run.outcomes.values()}),
        "crashes": sum(len(o.crashes) for o in run.outcomes.values()),
        "findings": holes,
        "seconds": round(run.seconds, 1),
        "forked": run.forked,
        "holes": [asdict(h) for h in HOLES],
    }
    with contextlib.suppress(OSError):
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
