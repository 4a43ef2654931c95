"""The site's search index: full text of every page, cut into small files that a query fetches as it needs them.

The theme's search makes every page download one index of the whole site (3.4 MB at a thousand
claims). This one is made from the model, the same for every engine, and split three ways, so
what a query fetches does not grow with the site the way one index would:

- ``search-index/t/<xy>.json``: the postings of every word starting with ``xy``, ``{word: [[page, weight], ...]}``;
- ``search-index/d/<n>.json``: pages ``n*PAGE_SHARD`` onwards: address, title, kind, excerpt and filters;
- ``search-index/f/<field>/<value>.json``: the pages with that verdict, certainty or article;
- ``search-index/meta.json``: the number of pages, the shard size, and the filters' values.

Words are matched by prefix (a query's "dissoc" finds "dissociation" and "dissociative"). Every
file is sorted, so the same content always gives the same bytes (Pagefind, the usual choice, was
measured to write different files for the same site on each run).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import unescape

FOLDER = "search-index"
PAGE_SHARD = 50
PREFIX = 2
EXCERPT = 240
FIELDS = ("verdict", "certainty", "article")
_WORD = re.compile(r"[a-z0-9]+")
_TAGS = re.compile(r"<[^<>]*>")
STOPWORDS = frozenset(
    "a an and are as at be but by for from has have in is it its not of on or our that the their these this to was we were "
    "which while with".split()
)


def words(text: str) -> list[str]:
    """The searchable words of ``text``: accents folded, lower-case, without stop words and single letters."""
    folded = (text if text.isascii() else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()).lower()
    return [word for word in _WORD.findall(folded) if len(word) > 1 and word not in STOPWORDS]


def plain(html_text: str) -> str:
    """The text of an HTML fragment."""
    return " ".join(unescape(_TAGS.sub(" ", html_text)).split())


@dataclass
class Document:
    """One searchable page: where it is, what it is called, what it says (with weights), and its filter values."""

    url: str
    title: str
    kind: str
    excerpt: str
    texts: list[tuple[str, int]]  # (text, weight): the title counts more than the body
    filters: dict[str, str] = field(default_factory=dict)


def _slug(value: str) -> str:
    return "-".join(words(value)) or "none"


def index_files(documents: Iterable[Document]) -> dict[str, bytes]:
    """Every file of the index, by its name under the site's root."""
    docs = list(documents)
    postings: dict[str, dict[int, int]] = defaultdict(dict)
    filters: dict[tuple[str, str], list[int]] = defaultdict(list)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for number, doc in enumerate(docs):
        for text, weight in doc.texts:
            for word, count in Counter(words(text)).items():  # a page's words repeat: one update per distinct word
                weights = postings[word]
                weights[number] = weights.get(number, 0) + weight * count
        for name, value in doc.filters.items():
            if value:
                filters[name, _slug(value)].append(number)
                labels[name][value] = _slug(value)
    shards: dict[str, dict[str, list[list[int]]]] = defaultdict(dict)
    for word in sorted(postings):
        shards[word[:PREFIX]][word] = sorted(([page, weight] for page, weight in postings[word].items()), key=lambda p: (-p[1], p[0]))
    files = {f"{FOLDER}/t/{prefix}.json": _dump(shard) for prefix, shard in sorted(shards.items())}
    for start in range(0, len(docs), PAGE_SHARD):
        page = [{"u": d.url, "t": d.title, "k": d.kind, "x": d.excerpt[:EXCERPT], **({"f": d.filters} if d.filters else {})}
                for d in docs[start : start + PAGE_SHARD]]
        files[f"{FOLDER}/d/{start // PAGE_SHARD}.json"] = _dump(page)
    for (name, slug), pages in sorted(filters.items()):
        files[f"{FOLDER}/f/{name}/{slug}.json"] = _dump(pages)
    meta = {"version": 1, "pages": len(docs), "shard": PAGE_SHARD, "prefix": PREFIX,
            "filters": {name: dict(sorted(values.items())) for name, values in sorted(labels.items())}}
    files[f"{FOLDER}/meta.json"] = _dump(meta)
    return files


def _dump(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")
