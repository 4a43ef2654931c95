"""The bookmarklet and the userscript that show our verdicts on the original article's page.

One script (``annotate.js``, beside this module), given the address of this site's annotations
and the verdicts' colours; the bookmarklet is the same code as a ``javascript:`` address.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

from ...model.patterns import is_safe_url
from . import web_annotations

if TYPE_CHECKING:
    from ...model.vocabularies import Vocabularies
    from ..render import Settings

USERSCRIPT = "javascripts/annotate.user.js"


SCRIPT = Path(__file__).with_name("annotate.js")


def script(settings: Settings, vocab: Vocabularies) -> str:
    """The script with this site's annotations address and the verdicts' colours filled in."""
    colors = {term.label: {"bg": (term.colors or {}).get("light-bg", "#ffff00"), "fg": (term.colors or {}).get("light-fg", "#000000")}
              for term in vocab.verdict.terms}
    return (SCRIPT.read_text(encoding="utf-8")
            .replace('"__ANNOTATIONS__"', json.dumps(settings.absolute(web_annotations.FILE)))
            .replace("__COLORS__", json.dumps(colors, sort_keys=True)))


def userscript(settings: Settings, vocab: Vocabularies, article_urls: list[str]) -> str:
    """The script with a userscript header that runs it on the checked articles' pages."""
    matches = "".join(f"// @match        {url}*\n" for url in article_urls if is_safe_url(url))
    header = (
        "// ==UserScript==\n"
        f"// @name         {settings.site_name}: verdicts on the original article\n"
        "// @description  Highlights each checked claim with its verdict and a link to the fact-check.\n"
        f"// @namespace    {settings.absolute('')}\n"
        f"{matches}"
        f"// @connect      {urllib.parse.urlsplit(settings.absolute('')).hostname or 'localhost'}\n"
        "// @grant        none\n"
        "// ==/UserScript==\n"
    )
    return header + script(settings, vocab)


def bookmarklet(settings: Settings, vocab: Vocabularies) -> str:
    """The script as a ``javascript:`` address for the bookmarks bar (comments and indentation dropped)."""
    lines = [line.strip() for line in script(settings, vocab).splitlines()]
    code = " ".join(line for line in lines if line and not line.startswith("//"))
    code = re.sub(r"\s+", " ", code)
    return "javascript:" + urllib.parse.quote(code, safe="(){}[];,.=:+-*/!?&|<>'\"_$ ")
