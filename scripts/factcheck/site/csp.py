"""A Content-Security-Policy for every page, as a ``<meta http-equiv>`` tag: defence in depth.

Only the site's own scripts and styles may run: the theme's few inline scripts are allowed by
their SHA-256 hashes, computed from the finished page (their text differs with a page's depth
in the site), and nothing else inline runs, so a script that slipped past every other filter
would still be refused by the browser. Pages reach no other host. Applied to the finished HTML of
any engine.
"""

from __future__ import annotations

import base64
import hashlib
import re

# An inline script or style element that a browser would run has no src and a type that executes
# (JSON-LD and other data blocks are never run, so CSP does not govern them).
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_EXECUTABLE = {"", "text/javascript", "application/javascript", "module", "text/css"}
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)
MARKER = 'http-equiv="Content-Security-Policy"'


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _inline(html_text: str, tag: str) -> list[tuple[int, str, str]]:
    """(position, attributes, text) of every ``<tag>`` element, as the theme and the templates write it (lower case).

    Found with str.find on the page itself: a lower-cased copy of a 2 MB page, or a regex, cost
    several copies of it at once. An element written otherwise (``<SCRIPT>``) gets no hash, so
    the browser refuses it: what nothing here wrote must not run.
    """
    found, start = [], 0
    opening, closing = f"<{tag}", f"</{tag}>"
    while (start := html_text.find(opening, start)) != -1:
        end_of_tag = html_text.find(">", start)
        close = html_text.find(closing, end_of_tag)
        if end_of_tag == -1 or close == -1:
            break
        if html_text[start + len(opening)] in " >\t\n/":
            found.append((start, html_text[start + len(opening) : end_of_tag], html_text[end_of_tag + 1 : close]))
        start = close
    return found


# The page's content (the theme's <article>): everything made from contributors' text is inside it.
CONTENT_START = '<article class="md-content__inner'
CONTENT_END = "</article>"


def _content(html_text: str) -> tuple[int, int]:
    """Where the page's content lies, (start, end); (0, 0) for a page without it."""
    start = html_text.find(CONTENT_START)
    if start == -1:
        return 0, 0
    end = html_text.find(CONTENT_END, start)
    return start, (len(html_text) if end == -1 else end)


def policy(html_text: str) -> str:
    """The policy for this page: the theme's inline scripts and styles by hash, everything else from the site only.

    An inline script or style inside the page's content gets no hash, whoever wrote it: the
    sanitizer lets none through, and should one ever slip by, the browser refuses to run it.
    """
    scripts: set[str] = set()
    styles: set[str] = set()
    content_start, content_end = _content(html_text)
    for tag, hashes in (("script", scripts), ("style", styles)):
        for position, attributes, body in _inline(html_text, tag):
            if content_start <= position < content_end:
                continue
            if "src=" in attributes.lower():
                continue
            kind = _TYPE.search(attributes)
            if (kind.group(1).lower() if kind else ("text/css" if tag == "style" else "")) not in _EXECUTABLE:
                continue
            hashes.add(_hash(body))
    script_src = " ".join(["'self'", *sorted(scripts)])
    style_src = " ".join(["'self'", *sorted(styles)])
    return (
        f"default-src 'none'; script-src {script_src}; style-src {style_src}; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; manifest-src 'self'; media-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
    )


def secure(html_text: str) -> str:
    """``html_text`` with its Content-Security-Policy tag, right after ``<meta charset>`` (before any script)."""
    if MARKER in html_text:
        return html_text
    tag = f'<meta {MARKER} content="{policy(html_text)}">'
    # One copy of the page, made by replace: slicing it around the tag would make three.
    match = _CHARSET.search(html_text)
    if match is None:
        return html_text.replace("<head>", "<head>" + tag, 1)
    return html_text.replace(match.group(0), match.group(0) + tag, 1)
