"""The fact-check's pages, rendered from the Jinja templates in ``scripts/overrides/factcheck``.

Autoescape is on: every value from a ``.bib`` file or front matter is escaped wherever it lands.
Every fragment made from contributor content (a claim's analysis, a reference, a preview, a
citation) also passes through the one allowlist sanitizer (``reading.sanitize``) before it
reaches a template, so no template has to be perfect either.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..model.content import Article, CitationGroup, Claim
from ..model.patterns import is_safe_url
from ..model.registry import FAMILIES, RULES
from ..reading import analysis
from ..reading.sanitize import sanitize
from . import data
from .pages import Page
from .parts import Part
from .urls import absolute_url, relative_url
from .view import Site

TEMPLATES = Path(__file__).resolve().parents[2] / "overrides" / "factcheck"
# The page kinds an editor asks for with ``factcheck:`` in a page's front matter, and the
# template that renders what follows the page's own Markdown; by_term.html also takes the
# vocabulary whose terms group the claims.
LISTINGS: dict[str, tuple[str, str]] = {
    "home": ("home.html", ""),
    "claims": ("claims.html", ""),
    "references": ("references.html", ""),
    "methodology": ("methodology.html", ""),
    "verdict-tags": ("by_term.html", "verdict"),
    "certainty-tags": ("by_term.html", "certainty"),
    "corrections": ("corrections.html", ""),
    "rules": ("rules.html", ""),
    "search": ("search.html", ""),
    "about": ("about.html", ""),
}


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept with the other cached values; like them, never a reason for a build to fail.

    Jinja keys a compiled template by its name and checks its source, but compiled code also
    depends on the environment's options (autoescape, whitespace control): they are part of
    the key here, so changing one in ``environment`` never reuses code compiled without it.
    """

    def __init__(self, directory: str, fingerprint: str) -> None:
        super().__init__(directory)
        self.fingerprint = fingerprint

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha1(f"{super().get_cache_key(name, filename)}\0{self.fingerprint}".encode()).hexdigest()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # a read-only or full disk costs speed, not correctness
            super().dump_bytecode(bucket)


def environment(cache_directory: Path | None = None) -> jinja2.Environment:
    """The templates' environment; with ``cache_directory``, compiled templates are kept there."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # one environment per build: no need to stat every template at every page
    )
    env.filters["json_script"] = json_script
    # Only http(s) addresses become links; the checker reports any other, and the page shows none.
    env.tests["safe_url"] = is_safe_url
    keep_compiled(env, cache_directory)
    return env


def keep_compiled(env: jinja2.Environment, cache_directory: Path | None) -> None:
    """Keep ``env``'s compiled templates in ``cache_directory`` (ours, and the theme's: an engine makes its
    environment anew for every build, and compiling the theme took a tenth of a rebuild under serve)."""
    if cache_directory is None:
        return
    options = (jinja2.__version__, env.autoescape, env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
               env.newline_sequence, env.optimized, sorted(env.extensions), getattr(env.undefined, "__name__", ""))
    try:
        (cache_directory / "templates").mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = _BytecodeCache(str(cache_directory / "templates"), repr(options))
    except OSError:
        pass  # no compiled templates kept: each build compiles them


def json_script(value: Any) -> Markup:
    """JSON safe inside ``<script>``: no ``</script>``, ``<!--`` or ``&`` can break out of the block."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def clean(fragment: str) -> Markup:
    """A rendered fragment, sanitized, ready for a template."""
    return Markup(sanitize(fragment))


@dataclass(frozen=True)
class Settings:
    """What the pages need from the site's configuration."""

    site_name: str
    site_url: str = ""  # the published address; a strict build requires it (registry.NO_SITE_URL)
    repo_url: str = ""  # the site's repository, where readers report problems; "" for none

    def absolute(self, url: str) -> str:
        return absolute_url(self.site_url, url)

    def report_url(self, claim: Claim, page: str) -> str:
        """A prefilled 'report a problem' issue form on GitHub for this claim; "" without a GitHub repository."""
        if not self.repo_url.startswith("https://github.com/") or not is_safe_url(self.repo_url):
            return ""
        query = urllib.parse.urlencode({
            "template": "report-a-problem.yml",
            "title": f"Problem with claim {claim.id}",
            "claim": claim.id,
            "page": self.absolute(page),
        })
        return f"{self.repo_url.rstrip('/')}/issues/new?{query}"


class Renderer:
    """Renders one build's pages. Fragments that many pages share are rendered once and kept."""

    def __init__(self, site: Site, settings: Settings) -> None:
        self.site = site
        self.settings = settings
        self.env = environment(site.cache.directory)
        self.vocab = site.vocab
        self._citation = self.env.get_template("citation.html").module.citation  # type: ignore[attr-defined]
        self._macros: Any = self.env.get_template("macros.html").module
        self._references: dict[str, Markup] = {}
        self._reference_texts: dict[str, Markup] = {}
        self._badges: dict[tuple[str, str], Markup] = {}
        self._previews: dict[str, Markup] = {}

    # -- helpers the templates call --------------------------------------------------------------

    def _render(self, template: str, page_url: str, **context: Any) -> str:
        def rel(url: str) -> str:
            return relative_url(url, page_url)

        def link(src_uri: str, text: str, fragment: str = "", css: str = "") -> Markup:
            """A link to a page of the site, or the bare text where the site has no such page."""
            url = self.url_of(src_uri)
            if not url and src_uri not in self.site.urls:
                return Markup.escape(text)
            attributes = Markup(' class="{}"').format(css) if css else Markup("")
            return Markup('<a href="{}"{}>{}</a>').format(rel(url) + fragment, attributes, text)

        return self.env.get_template(template).render(
            site=self.site, vocab=self.vocab, rel=rel, link=link, url_of=self.url_of, settings=self.settings,
            reference_html=self.reference_html, reference_text=self.reference_text, verdict_label=self.verdict_label,
            verdict_badge=self.verdict_badge, certainty_badge=self.certainty_badge, claim_preview=self.claim_preview,
            **context,
        )

    def url_of(self, src_uri: str) -> str:
        return self.site.urls.get(src_uri, "")

    def verdict_label(self, verdict_id: str) -> str:
        term = self.vocab.verdict.get(verdict_id)
        return term.label if term else verdict_id

    def claim_preview(self, claim: Claim) -> Markup:
        """Number, verdict, certainty and bottom line: the article shows it twice per claim."""
        if claim.src_uri not in self._previews:
            self._previews[claim.src_uri] = clean(self._macros.claim_preview(self.site, self.vocab, claim))
        return self._previews[claim.src_uri]

    def verdict_badge(self, verdict_id: str) -> Markup:
        return self._badge("verdict_badge", verdict_id)

    def certainty_badge(self, certainty_id: str) -> Markup:
        return self._badge("certainty_badge", certainty_id)

    def _badge(self, macro: str, term_id: str) -> Markup:
        if (macro, term_id) not in self._badges:
            self._badges[macro, term_id] = clean(getattr(self._macros, macro)(self.vocab, term_id))
        return self._badges[macro, term_id]

    def reference_html(self, key: str) -> Markup:
        """The reference's bibliography entry, its parts marked up (macros.reference)."""
        if key not in self._references:
            self._references[key] = clean(self._macros.reference(self.site.formatted(key), self.vocab, self.site.notices(key)))
        return self._references[key]

    def reference_text(self, key: str) -> Markup:
        """The reference as one plain sentence, for previews (macros.reference_text)."""
        if key not in self._reference_texts:
            ref = self.site.formatted(key)
            self._reference_texts[key] = clean(self._macros.reference_text(ref, self.vocab) if ref else "")
        return self._reference_texts[key]

    # -- pages ----------------------------------------------------------------------------------

    def _citations(self, claim: Claim, html_text: str) -> str:
        groups: list[CitationGroup] = list(claim.citation_groups)
        rendered = [str(clean(str(self._citation(self.site, self.reference_text, claim, group, index))))
                    for index, group in enumerate(groups, 1)]

        def resolve(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return rendered[index] if index < len(rendered) else ""

        return analysis.PLACEHOLDERS.sub(resolve, html_text)

    def claim_page(self, claim: Claim) -> Page:
        page_url = self.url_of(claim.src_uri)
        article = self.site.article_of(claim)
        verdict = self.vocab.verdict.get(claim.verdict)
        certainty = self.vocab.certainty.get(claim.certainty)
        cited = list(claim.cited_keys)
        body = Markup(self._citations(claim, self.site.analysis(claim).html))
        review = data.claim_review(self.site, claim, self.settings)
        html_text = self._render(
            "claim.html", page_url, claim=claim, article=article, verdict=verdict, certainty=certainty, analysis=body,
            cited=cited, review=review, report_url=self.settings.report_url(claim, page_url), today=self.site.today,
            total=len(self.site.claims_by_article.get(claim.article_slug, [])),
        )
        meta = {
            "fc_kind": "claim",
            "fc_verdict": verdict.label if verdict else claim.verdict,
            "fc_certainty": certainty.label if certainty else claim.certainty,
            "fc_article": article.title if article else "",
            "fc_image": self.settings.absolute(data.card_name(claim.verdict)),
        }
        return Page(claim.src_uri, "claim", self.claim_title(claim), claim.bottom_line, html_text, meta)

    def claim_title(self, claim: Claim) -> str:
        """A claim page's title: the verdict first, then the short claim ("Misleading: Only IV ketamine is safe")."""
        return f"{self.verdict_label(claim.verdict)}: {claim.claim_short or claim.claim}"

    def article_page(self, article: Article) -> Page:
        page_url = self.url_of(article.src_uri)
        claims = self.site.claims_by_article.get(article.slug, [])
        html_text = self._render(
            "article.html", page_url, article=article, paragraphs=self.site.segments(article), claims=claims,
            counts=self.site.verdict_counts(claims), bookmarklet=data.bookmarklet(self.settings),
        )
        meta = {"fc_kind": "article", "fc_article": article.title, "fc_image": self.settings.absolute(data.card_name(""))}
        return Page(article.src_uri, "article", article.title, article.summary, html_text, meta)

    def _sections(self, vocabulary: str, start: int, end: int, last: bool) -> list[tuple[Any, list[Claim], bool]]:
        """The terms of ``vocabulary`` whose claims, counted in the vocabulary's order, fall in ``start:end``:
        (term, those claims, whether the term began on an earlier page). A term with no claim is shown
        where it falls in that order."""
        groups = self.site.claims_by_term(vocabulary)
        sections = []
        position = 0
        for term in (self.vocab.verdict if vocabulary == "verdict" else self.vocab.certainty).terms:
            claims = groups.get(term.id, [])
            first, after = max(position, start), min(position + len(claims), end)
            if first < after or (not claims and (start <= position < end or (last and position == end))):
                sections.append((term, claims[first - position : after - position], first > position))
            position += len(claims)
        return sections

    def listing_page(self, kind: str, src_uri: str, title: str, description: str, part: Part | None = None) -> Page:
        """What follows the page's own Markdown on a page of kind ``kind`` (``factcheck: kind``); with ``part``,
        only that part's entries, and links to the other parts (parts.py)."""
        template, vocabulary = LISTINGS[kind]
        page_url = self.url_of(src_uri)
        claims = [claim for claims in self.site.claims_by_article.values() for claim in claims]
        keys = self.site.reference_keys if kind == "references" else []
        start, end = (part.start, part.end) if part is not None else (0, len(claims))
        groups = [(slug, list(shown)) for slug, shown in itertools.groupby(claims[start:end], key=lambda claim: claim.article_slug)]
        html_text = self._render(
            template, page_url, kind=vocabulary, corrections=self.site.corrections(), rules=list(RULES.values()), families=FAMILIES,
            masthead=self.site.project.masthead, organization=data.organization(self.site, self.settings),
            part=part, groups=groups, keys=keys[start:end] if kind == "references" else [],
            sections=self._sections(vocabulary, start, end, part is None or part.number == part.count) if vocabulary else [],
        )
        return Page(src_uri, kind, title, description, html_text, {"fc_kind": kind, "fc_image": self.settings.absolute(data.card_name(""))})
