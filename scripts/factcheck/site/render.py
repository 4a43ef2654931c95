"""HTML for the site's pages, rendered from the Jinja templates in ``scripts/overrides/factcheck``.

Autoescape is on: every value that came from a ``.bib`` file or front matter
is escaped wherever it lands, whatever a contributor wrote in it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..site import export
from ..checking.body import is_safe_url, neutralize
from ..model.content import Article, CitationGroup, Claim
from ..site.view import Site

TEMPLATES = Path(__file__).resolve().parents[2] / "overrides" / "factcheck"
# The page kinds an editor asks for with ``factcheck:`` in a page's front matter: the template
# that renders each, and for by_term.html the vocabulary whose terms group the claims.
LISTINGS: dict[str, tuple[str, str]] = {
    "home": ("home.html", ""),
    "claims": ("claims.html", ""),
    "references": ("references.html", ""),
    "methodology": ("methodology.html", ""),
    "verdict-tags": ("by_term.html", "verdict"),
    "certainty-tags": ("by_term.html", "certainty"),
}
PLACEHOLDER = "zzfccite{}zz"
_PLACEHOLDER = re.compile(r"zzfccite(\d+)zz")


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
    """The templates' environment; with ``cache_directory``, compiled templates are kept there.

    Compiling the templates took 45 ms of every build. Jinja keys each compiled template
    by a checksum of its source, so an edited template is compiled again.
    """
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
    if cache_directory is not None:
        options = (jinja2.__version__, env.autoescape, env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
                   env.newline_sequence, env.optimized, sorted(env.extensions), env.undefined.__name__)
        try:
            (cache_directory / "templates").mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = _BytecodeCache(str(cache_directory / "templates"), repr(options))
        except OSError:
            pass  # no compiled templates kept: each build compiles them
    return env


def json_script(value: Any) -> Markup:
    """JSON safe inside ``<script>``: no ``</script>``, ``<!--`` or ``&`` can break out of the block."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@dataclass(frozen=True)
class Settings:
    """What the pages need from mkdocs.yml."""

    site_name: str
    site_url: str = ""  # the published address; without it, data files use site-absolute paths
    repo_url: str = ""  # where readers report errors (its issue tracker); without it, the About page

    def absolute(self, url: str) -> str:
        if self.site_url:
            return urllib.parse.urljoin(self.site_url if self.site_url.endswith("/") else self.site_url + "/", url)
        return "/" + url

    def report_url(self, claim: Claim, about_url: str) -> str:
        """Where a reader reports an error: a new issue on GitHub, else the About page; "" if neither."""
        if self.repo_url.startswith("https://github.com/"):
            title = urllib.parse.quote(f"Error in claim {claim.id}")
            return f"{self.repo_url.rstrip('/')}/issues/new?title={title}"
        return about_url + "#corrections" if about_url else ""


class Renderer:
    """Renders one build's pages; ``rel`` turns a site URL into one relative to the current page."""

    def __init__(self, site: Site, settings: Settings) -> None:
        self.site = site
        self.settings = settings
        self.env = environment(site.cache.directory)
        self.vocab = site.vocab
        self._citation = self.env.get_template("citation.html").module.citation  # type: ignore[attr-defined]
        self._macros: Any = self.env.get_template("macros.html").module
        # A reference reads the same on every page that cites it: rendered once per build, then
        # reused, instead of once per citation (with 3,500 citations, a tenth of the build).
        self._references: dict[str, Markup] = {}
        self._reference_texts: dict[str, Markup] = {}
        self._badges: dict[tuple[str, str], Markup] = {}
        self._previews: dict[str, Markup] = {}

    def _render(self, template: str, rel: Callable[[str], str], **context: Any) -> str:
        return self.env.get_template(template).render(
            site=self.site, vocab=self.vocab, rel=rel, url_of=self.url_of, settings=self.settings,
            reference_html=self.reference_html, reference_text=self.reference_text,
            verdict_badge=self.verdict_badge, certainty_badge=self.certainty_badge, claim_preview=self.claim_preview,
            **context,
        )

    def claim_preview(self, claim: Claim) -> Markup:
        """Number, verdict, certainty and bottom line: the article shows it twice per claim."""
        if claim.src_uri not in self._previews:
            self._previews[claim.src_uri] = Markup(self._macros.claim_preview(self.site, self.vocab, claim))
        return self._previews[claim.src_uri]

    def verdict_badge(self, verdict_id: str) -> Markup:
        return self._badge("verdict_badge", verdict_id)

    def certainty_badge(self, certainty_id: str) -> Markup:
        return self._badge("certainty_badge", certainty_id)

    def _badge(self, macro: str, term_id: str) -> Markup:
        # Six verdicts and four certainties: a thousand claims need only ten badges.
        if (macro, term_id) not in self._badges:
            self._badges[macro, term_id] = Markup(getattr(self._macros, macro)(self.vocab, term_id))
        return self._badges[macro, term_id]

    def reference_html(self, key: str) -> Markup:
        """The reference's bibliography entry, its parts marked up (macros.reference)."""
        if key not in self._references:
            self._references[key] = Markup(self._macros.reference(self.site.formatted(key), self.vocab))
        return self._references[key]

    def reference_text(self, key: str) -> Markup:
        """The reference as one plain sentence, for previews (macros.reference_text)."""
        if key not in self._reference_texts:
            ref = self.site.formatted(key)
            self._reference_texts[key] = Markup(self._macros.reference_text(ref, self.vocab) if ref else "")
        return self._reference_texts[key]

    def url_of(self, src_uri: str) -> str:
        return self.site.urls.get(src_uri, "")

    # -- claim pages ----------------------------------------------------------------------------

    def citation_markdown(self, claim: Claim) -> tuple[str, list[CitationGroup]]:
        """The claim's body with every citation group swapped for a placeholder that Markdown leaves alone."""
        groups = list(claim.citation_groups)
        pieces, position = [], 0
        for index, group in enumerate(groups):  # one pass: slicing the body per group was quadratic
            pieces += [claim.body[position : group.start], PLACEHOLDER.format(index)]
            position = group.end
        pieces.append(claim.body[position:])
        return neutralize("".join(pieces)), groups

    def claim_page(self, claim: Claim, body_html: str, groups: list[CitationGroup], rel: Callable[[str], str]) -> str:
        cited = list(dict.fromkeys([*(s.key for s in claim.sources), *(c.key for g in groups for c in g.citations)]))
        rendered_groups = [
            str(self._citation(self.site, self.reference_text, claim, group, index)) for index, group in enumerate(groups, 1)
        ]

        def resolve(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return rendered_groups[index] if index < len(rendered_groups) else match.group(0)

        analysis = Markup(_PLACEHOLDER.sub(resolve, body_html))
        article = self.site.article_of(claim)
        review = export.claim_review(self.site, claim, self.settings.absolute, self.settings.site_name)
        about = self.url_of("about.md")
        report = self.settings.report_url(claim, rel(about) if about else "")
        return self._render("claim.html", rel, claim=claim, article=article, analysis=analysis, cited=cited,
                            review=review, report_url=report)

    def claim_search_text(self, claim: Claim, body_html: str, groups: list[CitationGroup]) -> str:
        """What search indexes for a claim page: the claim, its quote, its bottom line and the analysis."""
        labels = []
        for group in groups:
            names = [self._citation_label(citation.key) for citation in group.citations]
            labels.append("(" + "; ".join(names) + ")")

        def resolve(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return str(Markup.escape(labels[index])) if index < len(labels) else ""

        analysis = Markup(_PLACEHOLDER.sub(resolve, body_html))
        return self._render("claim_search.html", _unchanged, claim=claim, analysis=analysis)

    def _citation_label(self, key: str) -> str:
        ref = self.site.formatted(key)
        return ref.label if ref else key

    # -- other pages ----------------------------------------------------------------------------

    def article_page(self, article: Article, rel: Callable[[str], str]) -> str:
        return self._render("article.html", rel, article=article, paragraphs=self.site.segments(article))

    def article_search_text(self, article: Article) -> str:
        """What search indexes for an article: its title and text, without highlights and previews."""
        return self._render("article_search.html", _unchanged, article=article)

    def listing(self, name: str, intro_html: str, rel: Callable[[str], str]) -> str:
        template, kind = LISTINGS[name]
        return self._render(template, rel, intro=Markup(intro_html), kind=kind)

    def listing_search_text(self, name: str, intro_html: str) -> str | None:
        """What search indexes for a listing page, or None where it indexes the whole page.

        The claims index and the claims by verdict or certainty repeat what every claim page
        holds, so search gets their introduction; the references list gives each reference
        once, without the claims citing it.
        """
        if name in ("claims", "verdict-tags", "certainty-tags"):
            return intro_html
        if name == "references":
            return self._render("references_search.html", _unchanged, intro=Markup(intro_html))
        return None


def _unchanged(url: str) -> str:
    return url
