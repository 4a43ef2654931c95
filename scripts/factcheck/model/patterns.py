"""The shapes every stage agrees on: identifiers, keys, ids and the addresses a page may link to.

Defined once here so the checker, the site and the editors' tools never disagree about what a
DOI, a claim id or a safe link is.
"""

from __future__ import annotations

import html
import re
import unicodedata
import urllib.parse

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
# Characters no text of the content may hold: controls (tab and newline aside), and the private-use
# area, which the analyses' citation placeholders use. XML (the feed) cannot hold the controls either.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\ufffe\uffff]")
_PLAIN_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)
# Unicode's control, format (zero-width) and separator characters: none belongs in an address.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp", "Zs"})


def is_id(text: str) -> bool:
    """True for a claim id or an article folder name this site accepts."""
    return len(text) <= ID_MAX_LENGTH and bool(ID.match(text))


def scheme_of(url: str) -> str | None:
    """The scheme a browser would read in ``url`` (entities decoded, invisible characters dropped), lower-case."""
    match = SCHEME.match(INVISIBLE.sub("", html.unescape(url)))
    return match.group(1).lower() if match else None


def is_safe_url(url: str) -> bool:
    """True for an absolute http(s) URL written plainly: the only kind a reference or article may link to.

    Plainly: no white space, control, invisible or line-breaking character anywhere (a browser
    drops some and a userscript's header would break its line at others), no backslash, quote or
    angle bracket, and a host.
    """
    if not _PLAIN_URL.match(url) or any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in url):
        return False
    try:
        return bool(urllib.parse.urlsplit(url).hostname)
    except ValueError:
        return False


def is_local_address(url: str) -> bool:
    """True for an address a browser reads as a file of this site: no scheme, and no other host.

    Read as a browser reads it: entities decoded, the characters it drops dropped, a backslash as
    a slash (so neither "//host/x.png" nor "/\\host/x.png" is local).
    """
    target = INVISIBLE.sub("", html.unescape(url)).replace("\\", "/")
    return SCHEME.match(target) is None and not target.startswith("//")
