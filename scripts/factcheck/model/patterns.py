"""The shapes every stage agrees on: identifiers, keys, ids and the addresses a page may link to.

Defined once here so the checker, the site and the editors' tools never disagree about what a
DOI, a claim id or a safe link is.
"""

from __future__ import annotations

import html
import re

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
# A BibTeX key as the checker accepts it: letters, digits and a little punctuation inside.
REFERENCE_KEY = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_:.+-]*[A-Za-z0-9_])?$")
# Claim ids and article folder names: lower-case words joined by hyphens.
ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
ID_MAX_LENGTH = 80
# Pandoc's citation key: starts with a letter, digit or _, may hold internal punctuation.
CITATION_KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&+?<>~/-](?=[A-Za-z0-9_]))*"

SAFE_SCHEMES = ("http", "https")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# What browsers drop from an address before they read its scheme: "java\tscript:" is javascript:.
INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def is_id(text: str) -> bool:
    """True for a claim id or an article folder name this site accepts."""
    return len(text) <= ID_MAX_LENGTH and bool(ID.match(text))


def scheme_of(url: str) -> str | None:
    """The scheme a browser would read in ``url`` (entities decoded, invisible characters dropped), lower-case."""
    match = SCHEME.match(INVISIBLE.sub("", html.unescape(url)))
    return match.group(1).lower() if match else None


def is_safe_url(url: str) -> bool:
    """True for an absolute http(s) URL: the only kind a reference or article may link to."""
    target = INVISIBLE.sub("", html.unescape(url))
    match = SCHEME.match(target)
    return match is not None and match.group(1).lower() in SAFE_SCHEMES and target.find("//") == len(match.group(0))
