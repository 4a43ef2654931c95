"""Page addresses as every engine makes them, and links between pages, without asking the engine.

MkDocs, ProperDocs and Zensical give a page ``a/b.md`` the address ``a/b/`` and ``a/index.md``
the address ``a/`` (``use_directory_urls``, their default), so the build can name every page's
address before an engine runs; the MkDocs adapter checks that MkDocs agrees.
"""

from __future__ import annotations

import posixpath
import urllib.parse


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The address of the page built from ``src_uri``, relative to the site's root."""
    stem, _ = posixpath.splitext(src_uri)
    if not directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) in ("index", "README"):
        parent = posixpath.dirname(stem)
        return f"{parent}/" if parent else ""
    return f"{stem}/"


def relative_url(url: str, from_url: str) -> str:
    """``url`` (site-relative, '' for the home page) as a link from the page at ``from_url``. Fragments are kept."""
    if url.startswith(("http://", "https://")):
        return url
    path, _, fragment = url.partition("#")
    base = from_url.rstrip("/") if from_url.endswith("/") else posixpath.dirname(from_url)
    relative = posixpath.relpath("/" + path, "/" + base)
    if (path.endswith("/") or not path) and not relative.endswith("/"):
        relative += "/"
    return relative + (f"#{fragment}" if fragment else "")


def absolute_url(site_url: str, url: str) -> str:
    """``url`` under the site's address; site-absolute ('/x/') where no address is known."""
    if not site_url:
        return "/" + url
    return urllib.parse.urljoin(site_url if site_url.endswith("/") else site_url + "/", url)
