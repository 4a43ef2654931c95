"""The Markdown dialect of contributors' analyses: CommonMark without raw HTML, with tables and footnotes.

Rendered by markdown-it-py, whose parser takes time in proportion to the text on any input
(Python-Markdown, which MkDocs uses for the site's own pages, took minutes on a few kilobytes of
brackets, and recursed out of the stack on deep lists). Raw HTML and ``{: …}`` attribute lists
are shown as text. Headings move down two levels (the page has its own h1 and h2) and get ids
the page's contents can link to. Tables align with ``align`` and footnotes are written as the
site's allowlist (sanitize.py) expects.

Citations reach the parser as placeholders (analysis.PLACEHOLDER). Only a placeholder in the
body's own text becomes a citation: the same characters written as entities, in a link's
address or title or in an image's description are removed, so no body can forge a citation or
put one inside an attribute.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .analysis import FORBIDDEN, PLACEHOLDERS, Heading

_SLUG = re.compile(r"[^a-z0-9]+")
HEADING_SHIFT = 2
MAX_NESTING = 20  # lists and quotes nested deeper are shown flat: the renderer recurses per level
CITATION = "fc_citation"


def _split_placeholders(token: Token) -> list[Token]:
    """A text token of the body's own text, cut into text and citation tokens at each placeholder."""
    pieces: list[Token] = []
    position = 0
    for match in PLACEHOLDERS.finditer(token.content):
        if match.start() > position:
            pieces.append(_text(token.content[position : match.start()]))
        citation = Token(CITATION, "", 0)
        citation.meta = {"index": int(match.group(1))}
        pieces.append(citation)
        position = match.end()
    if position < len(token.content):
        pieces.append(_text(token.content[position:]))
    return pieces


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = FORBIDDEN.sub("", content)
    return token


def _clean_inline(children: list[Token], in_image: bool) -> list[Token]:
    result: list[Token] = []
    for child in children:
        for name, value in list(child.attrs.items()):
            child.attrs[name] = FORBIDDEN.sub("", str(value))
        if child.children:
            child.children = _clean_inline(child.children, in_image or child.type == "image")
        if child.type == "text" and not in_image and PLACEHOLDERS.search(child.content):
            result.extend(_split_placeholders(child))
            continue
        # Entities and escapes ("text_special"), code, and an image's description: never a citation.
        child.content = FORBIDDEN.sub("", child.content)
        result.append(child)
    return result


def _citations(state: StateCore) -> None:
    """Core rule, before text tokens are joined: the body's own placeholders become citation tokens."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _clean_inline(token.children, in_image=False)


def _headings(state: StateCore) -> None:
    """Core rule: headings move down two levels and get unique ids; tables align with ``align``."""
    found: list[Heading] = []
    used: set[str] = set()
    counts: dict[str, int] = {}  # the last number given to each base: a thousand equal headings stay linear
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type in ("th_open", "td_open"):
            style = str(token.attrs.pop("style", ""))
            if style.startswith("text-align:"):
                token.attrs["align"] = style.removeprefix("text-align:")
        if token.type not in ("heading_open", "heading_close"):
            continue
        level = min(6, int(token.tag[1]) + HEADING_SHIFT)
        token.tag = f"h{level}"
        if token.type == "heading_close":
            continue
        inline = tokens[index + 1]
        text = "".join(child.content for child in (inline.children or []) if child.type in ("text", "text_special", "code_inline"))
        base = "analysis-" + (_SLUG.sub("-", text.lower()).strip("-")[:60] or "section")
        anchor, number = base, counts.get(base, 1)
        while anchor in used:
            number += 1
            anchor = f"{base}-{number}"
        counts[base] = number
        used.add(anchor)
        token.attrs["id"] = anchor
        found.append(Heading(level, text, anchor))
    state.env["fc_headings"] = found


def _render_citation(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f"\ue000{tokens[idx].meta['index']}\ue001"


def _footnote_number(tokens: Sequence[Token], idx: int) -> str:
    return str(tokens[idx].meta["id"] + 1)


def _footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    number = _footnote_number(tokens, idx)
    sub = tokens[idx].meta.get("subId", -1)
    ref = f"fnref:{number}" + (f"-{sub}" if sub > 0 else "")
    return f'<sup id="{ref}"><a class="footnote-ref" href="#fn:{number}">{number}</a></sup>'


def _footnote_anchor(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    number = _footnote_number(tokens, idx)
    sub = tokens[idx].meta.get("subId", -1)
    ref = f"fnref:{number}" + (f"-{sub}" if sub > 0 else "")
    return f' <a class="footnote-backref" href="#{ref}" title="Back to the text">\u21a9</a>'


def _fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A fenced code block, without the language class (the allowlist has none, and nothing highlights it)."""
    return f"<pre><code>{escapeHtml(tokens[idx].content)}</code></pre>\n"


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": MAX_NESTING})
    md.enable("table")
    md.use(footnote_plugin, inline=False)
    md.core.ruler.before("text_join", "fc_citations", _citations)
    md.core.ruler.push("fc_headings", _headings)
    md.add_render_rule(CITATION, _render_citation)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_anchor", _footnote_anchor)
    md.add_render_rule("footnote_block_open", lambda self, tokens, idx, options, env: '<div class="footnote">\n<hr>\n<ol>\n')
    md.add_render_rule("footnote_block_close", lambda self, tokens, idx, options, env: "</ol>\n</div>\n")
    md.add_render_rule("footnote_open", lambda self, tokens, idx, options, env: f'<li id="fn:{_footnote_number(tokens, idx)}">')
    return md


_converter: MarkdownIt | None = None


def convert(text: str) -> tuple[str, tuple[Heading, ...]]:
    """``text`` as HTML (not yet sanitized), with its headings."""
    global _converter
    if _converter is None:
        _converter = _parser()
    env: dict[str, Any] = {}
    html = _converter.render(text, env)
    return html, tuple(env.get("fc_headings", ()))
