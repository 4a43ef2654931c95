"""Rules on a claim's analysis: what the Markdown holds that the site will not render as written.

The site renders analyses without raw HTML and attribute lists and sanitizes the result
(``reading.analysis``), so nothing here is needed for safety; these rules tell the editor, at
the line and column, what would be shown as text or removed, and ``sanitized`` reports
anything else the sanitizer would change, so the checker and the site never disagree about
what is published. Every scan is linear in the body, and each rule reports at most
``MAX_PER_RULE`` places per file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ...model.content import Claim
from ...model.patterns import SAFE_SCHEMES, is_local_address, scheme_of
from ...model.positions import Positions
from ...model.problems import Problem
from ...model.registry import ATTRIBUTE_LIST, CONTROL_CHARACTER, RAW_HTML, SANITIZED, UNSAFE_LINK, Rule
from ...reading import analysis
from ...reading.markup import code_mask
from .context import Context

MAX_PER_RULE = 20

_TAG_OPEN = re.compile(r"<[/!?]?[A-Za-z!]")
_TAG_NAME = re.compile(r"<[/!?]?([A-Za-z][A-Za-z0-9-]{0,30}|!--)")
# The destination after "](": up to the closing parenthesis, across one line break at most
# (a browser drops the break: "java<newline>script:" is javascript:).
_DEST_PART = r"(?:[^()\s<>]|\([^()\s<>]*\))*"
_DESTINATION = re.compile(rf"\]\(\s*<?({_DEST_PART}(?:\n{_DEST_PART})?)")
_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\(\s*<?([^()\s<>]*)")
_REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\[\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{0,30}:[^<>\s]*)>")
# Python-Markdown's attribute lists: {: …}, { #id }, { .class }, { key=value }.
_ATTRIBUTES = re.compile(r"\{:[^{}\n]*\}|\{[ \t]*(?:[#.][A-Za-z_]|[A-Za-z_-]+=)[^{}\n]*\}")


def check(context: Context) -> list[Problem]:
    problems: list[Problem] = []
    for claim in context.project.claims:
        problems += one(claim, context)
    return problems


def one(claim: Claim, context: Context | None = None) -> list[Problem]:
    """The problems of one claim's body. The scans cost microseconds; rendering, milliseconds, so it is cached."""
    body = claim.body
    mask = code_mask(body)
    found: list[Problem] = []
    positions: Positions | None = None

    def report(rule: Rule, places: Iterator[tuple[int, str]]) -> None:
        nonlocal positions
        count = 0
        for offset, message in places:
            count += 1
            if count <= MAX_PER_RULE:
                positions = positions or Positions(body, claim.body_line)
                line, col = positions(offset)
                found.append(rule.at(claim.path, line, message, col))
        if count > MAX_PER_RULE:
            found.append(rule.at(claim.path, claim.body_line, f"… and {count - MAX_PER_RULE} more like the ones above"))

    report(CONTROL_CHARACTER, _forbidden(body))
    report(RAW_HTML, _raw_html(mask))
    report(UNSAFE_LINK, _links(mask))
    report(ATTRIBUTE_LIST, _attribute_lists(mask))
    if not found and analysis.may_change(body):
        rendered = (context.cache.get("analysis", body.encode("utf-8"), "", functools.partial(analysis.render, body, claim.citation_groups))
                    if context is not None else analysis.render(body, claim.citation_groups))
        if rendered.removed:
            found.append(SANITIZED.at(claim.path, claim.body_line,
                                      f"the site's sanitizer removes {rendered.removed} from the rendered analysis; use plain Markdown"))
    return found


def _forbidden(body: str) -> Iterator[tuple[int, str]]:
    for match in analysis.FORBIDDEN.finditer(body):
        yield match.start(), f"the character U+{ord(match.group()):04X} (a control or private-use character) is removed; delete it"


def _raw_html(mask: str) -> Iterator[tuple[int, str]]:
    if "<" not in mask:
        return
    for match in _TAG_OPEN.finditer(mask):
        if _AUTOLINK.match(mask, match.start()):
            continue  # <https://…> is a link, judged below
        name = _TAG_NAME.match(mask, match.start())
        shown = name.group(1).lower() if name else mask[match.start() + 1 : match.start() + 10]
        yield match.start(), f"raw HTML <{shown}> is shown as text in a claim's analysis; write Markdown instead"


def _links(mask: str) -> Iterator[tuple[int, str]]:
    """Link destinations whose scheme is not http(s), and images that are not files of this site."""
    found: list[tuple[int, str]] = []
    if "](" in mask:
        for match in _DESTINATION.finditer(mask):
            destination = match.group(1)
            scheme = scheme_of(destination)
            if scheme is not None and scheme not in SAFE_SCHEMES:
                found.append((match.start(1), f"the link '{_shown(destination)}' uses '{scheme}:'; only http: and https: links are allowed"))
        for match in _IMAGE.finditer(mask):
            destination = match.group(1)
            if not is_local_address(destination):
                found.append((match.start(1), f"the image '{_shown(destination)}' is not a file of this site: readers' browsers must not call other hosts"))
    if "]:" in mask:
        for match in _REFERENCE_DEF.finditer(mask):
            scheme = scheme_of(match.group(1))
            if scheme is not None and scheme not in SAFE_SCHEMES:
                found.append((match.start(1), f"the link '{_shown(match.group(1))}' uses '{scheme}:'; only http: and https: links are allowed"))
    if "<" in mask:
        for match in _AUTOLINK.finditer(mask):
            scheme = scheme_of(match.group(1))
            if scheme is not None and scheme not in SAFE_SCHEMES:
                found.append((match.start(1), f"the link '{_shown(match.group(1))}' uses '{scheme}:'; only http: and https: links are allowed"))
    yield from sorted(set(found))


def _attribute_lists(mask: str) -> Iterator[tuple[int, str]]:
    if "{" not in mask:
        return
    for match in _ATTRIBUTES.finditer(mask):
        yield match.start(), f"the attribute list '{_shown(match.group())}' is not supported in a claim and is shown as text; remove it"


def _shown(text: str) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= 60 else text[:59] + "…"
