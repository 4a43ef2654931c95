"""Every rule the tools report, declared once: its id, level, what it means, an example and its fix.

Code refers to the constants below, never to an id as a string, so a rule cannot be emitted
without being declared here. The rules page of the site (``factcheck: rules``) and
``check_claims.py --explain RULE`` are generated from this list, in this order.
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import Level, Problem

FAMILIES = {
    "files": "Files",
    "front-matter": "Front matter",
    "claims": "Claims",
    "analysis": "The analysis (a claim's body)",
    "quotes": "Quotes and coverage",
    "articles": "Articles, the masthead",
    "references": "References",
    "site": "The site build",
    "history": "Changes (--changed-only)",
    "verification": "Verifying references (add_reference.py --verify)",
}


@dataclass(frozen=True)
class Rule:
    """One check, with what an editor needs to act on it."""

    id: str
    level: Level
    family: str
    summary: str  # what it means, one sentence
    fix: str  # how to fix it
    example: str = ""  # what triggers it
    fixed: str = ""  # the same, fixed

    def at(self, path: str, line: int, message: str, col: int = 1) -> Problem:
        """A problem of this rule at ``path:line:col``."""
        return Problem(path, max(line, 1), max(col, 1), self.level.value, self.id, message)

    def explain(self) -> str:
        """The rule as ``--explain`` prints it."""
        parts = [f"{self.id} ({self.level.value}; {FAMILIES[self.family].lower()})", "", self.summary, "", f"Fix: {self.fix}"]
        if self.example:
            parts += ["", "Example:", *("    " + line for line in self.example.splitlines())]
        if self.fixed:
            parts += ["Fixed:", *("    " + line for line in self.fixed.splitlines())]
        return "\n".join(parts)


RULES: dict[str, Rule] = {}


def _rule(rule_id: str, level: Level, family: str, summary: str, fix: str, example: str = "", fixed: str = "") -> Rule:
    assert rule_id not in RULES, rule_id
    assert family in FAMILIES, family
    RULES[rule_id] = made = Rule(rule_id, level, family, summary, fix, example, fixed)
    return made


E, W = Level.ERROR, Level.WARNING

# --- files ------------------------------------------------------------------------------------
UNKNOWN_FILE = _rule(
    "unknown-file", E, "files",
    "A file under docs/articles/ or references/ that the checker does not read; it would reach the site unchecked, so it is refused.",
    "Articles are docs/articles/<article>/index.md, claims docs/articles/<article>/claims/<id>.md, references references/<name>.bib "
    "(lower-case extensions, no sub-folders). Move or rename the file, or delete it.",
    "docs/articles/kap/claims/sub/new-claim.md\ndocs/articles/kap/claims/new-claim.markdown",
    "docs/articles/kap/claims/new-claim.md",
)
UNREADABLE = _rule(
    "unreadable", E, "files",
    "A file cannot be read: a link to nothing, a link loop, a folder named like a file, or not an ordinary file.",
    "Commit the file itself, under the right name. The build leaves such files out of the site.",
)
OUTSIDE_ROOT = _rule(
    "outside-root", E, "files",
    "A file is a symbolic link to a place outside the project.",
    "Commit the file itself instead of a link.",
)
FILE_TOO_LARGE = _rule(
    "file-too-large", E, "files",
    "A file is larger than the tools read; the limit keeps a hostile file from exhausting time or memory.",
    "Split the content (one claim per file), or shorten it. The message gives the file's size and the limit.",
)
SITE_TOO_LARGE = _rule(
    "site-too-large", E, "files",
    "The content as a whole is larger than the tools read; files past the limit are not read.",
    "Remove what does not belong in the site's content. The message gives the size and the limit.",
)
ENCODING = _rule(
    "encoding", E, "files",
    "The file is not UTF-8 text.",
    "Save it as UTF-8 (most editors: File, Save with encoding, UTF-8).",
)

# --- front matter -----------------------------------------------------------------------------
FRONT_MATTER = _rule(
    "front-matter", E, "front-matter",
    "The YAML between the --- lines cannot be read, or is not a set of key: value lines, or goes past the limits on nesting, "
    "aliases and keys.",
    "Look at the line and column given; the message names the likely cause. Put text holding a colon, a # or a quote in "
    "double quotes, escape a double quote inside as \\\", and indent with spaces, not tabs.",
    'claim: "The "gold standard" claim"',
    "claim: \"The \\\"gold standard\\\" claim\"",
)
UNKNOWN_KEY = _rule(
    "unknown-key", E, "front-matter",
    "A key that this kind of file does not have (often a misspelling).",
    "Use one of the keys the message lists; docs/contributing.md describes each.",
    "verdcit: accurate", "verdict: accurate",
)
MISSING_KEY = _rule(
    "missing-key", E, "front-matter",
    "A required key is missing or empty.",
    "Add the key; for a vocabulary key the message lists the allowed values.",
    'certainty: ""', "certainty: low",
)
WRONG_TYPE = _rule(
    "wrong-type", E, "front-matter",
    "A key holds the wrong kind of value: a list where text belongs, a number or a date that is not YYYY-MM-DD.",
    "Write the value as the message says; put text in double quotes.",
    "reviewed: 1/12/2026", "reviewed: 2026-12-01",
)
BAD_ID = _rule(
    "bad-id", E, "front-matter",
    "A claim file's or article folder's name is not lower-case words joined by hyphens (at most 80 characters).",
    "Rename the file or folder; the name is the id in the page's address.",
    "Gold_Standard.md", "gold-standard.md",
)
TOO_LONG = _rule(
    "too-long", E, "front-matter",
    "A field is longer than its limit (claim_short: 75 characters, Google's limit for ClaimReview; an article's summary: "
    "700 characters).",
    "Shorten it; the message gives the length and the limit.",
)

# --- claims -----------------------------------------------------------------------------------
UNKNOWN_TERM = _rule(
    "unknown-term", E, "claims",
    "A verdict, certainty, stance, design, non-claim reason or notice type outside the vocabulary.",
    "Use one of the terms the message lists (they are defined in scripts/factcheck/model/vocabularies.yml).",
    "verdict: acurate", "verdict: accurate",
)
UNKNOWN_REFERENCE = _rule(
    "unknown-reference", E, "claims",
    "A cited or listed key is in no .bib file.",
    "Fix the key (the message suggests the closest) or add the entry to references/.",
    "[@li2010mtr]", "[@li2010mtor]",
)
NO_SOURCE = _rule(
    "no-source", E, "claims",
    "The claim lists no sources.",
    "Add at least one source with its key, stance and note.",
)
DUPLICATE_SOURCE = _rule(
    "duplicate-source", E, "claims",
    "A key is listed twice in sources.",
    "Keep one entry, with one stance and note.",
)
DUPLICATE_CLAIM = _rule(
    "duplicate-claim", E, "claims",
    "Two claim files share an id.",
    "Rename one of them.",
)
NO_ARTICLE = _rule(
    "no-article", E, "claims",
    "A claims folder whose article folder has no index.md.",
    "Move the claim into the right article's claims/ folder, or add the article's index.md.",
)
CERTAINTY_CEILING = _rule(
    "certainty-ceiling", E, "claims",
    "The certainty is higher than the designs of the supporting or contradicting sources allow (GRADE).",
    "Lower the certainty, add a stronger source, or give a certainty_upgrade where GRADE allows one.",
    "certainty: high   # the best source is a cohort study", "certainty: low",
)
BOTTOM_LINE_WORDING = _rule(
    "bottom-line-wording", E, "claims",
    "The bottom line is not worded as its certainty asks (GRADE's guidance on communicating findings).",
    "Use the certainty's wording: moderate, \"probably\" or \"likely\"; low, \"may\"; very low, \"very uncertain\"; high, "
    "a plain statement.",
    "certainty: low\nbottom_line: \"Ketamine works for anxiety.\"",
    "certainty: low\nbottom_line: \"Ketamine may ease anxiety for a few days.\"",
)
STALE_REVIEW = _rule(
    "stale-review", W, "claims",
    "The claim was last reviewed more than 12 months ago.",
    "Review the claim against the literature and update reviewed.",
)
FUTURE_REVIEW = _rule(
    "future-review", E, "claims",
    "The review date (or a correction's date) is later than today.",
    "Use the date the review was done, YYYY-MM-DD.",
    "reviewed: 2062-12-01", "reviewed: 2026-12-01",
)
RECHECK_DUE = _rule(
    "recheck-due", W, "claims",
    "The claim's recheck_by date has passed: its truth depends on events that may have changed it.",
    "Check the claim against what has happened since, update it and reviewed, and set a new recheck_by (or remove it).",
)
NOTICE_UNADDRESSED = _rule(
    "notice-unaddressed", E, "claims",
    "A source that supports the claim has a retraction or an expression of concern that the claim has not dealt with.",
    "Re-review the claim after the notice's date, cite the notice in the analysis (add it as a reference), and change "
    "the stance, verdict or certainty if the notice undermines the source.",
)
SOURCE_NOT_CITED = _rule(
    "source-not-cited", W, "claims",
    "A source is listed but never cited in the analysis, so readers cannot see what it is used for.",
    "Cite it where the analysis relies on it, as [@key], or remove it from sources.",
)
CITATION_NOT_IN_SOURCES = _rule(
    "citation-not-in-sources", W, "claims",
    "The analysis cites a key that the sources list lacks.",
    "Add it to sources with its stance and note.",
)
BARE_CITATION = _rule(
    "bare-citation", W, "claims",
    "@key written without brackets is not a citation on this site.",
    "Write [@key].",
    "as @li2010mtor showed", "as shown [@li2010mtor]",
)

# --- the analysis -----------------------------------------------------------------------------
RAW_HTML = _rule(
    "raw-html", E, "analysis",
    "HTML in a claim's analysis: analyses are Markdown only, and a tag would be shown as text.",
    "Write Markdown instead: *emphasis*, **strong**, `code`, [text](https://…).",
    "<span onclick=...>text</span> and CO<sub>2</sub>", "text and CO2",
)
UNSAFE_LINK = _rule(
    "unsafe-link", E, "analysis",
    "A link that is not http: or https:, or an image that is not a file of this site (a reader's browser must call no other host).",
    "Link to the http(s) address; put images in docs/ and link them relatively.",
    "[trial](javascript:alert(1))", "[trial](https://doi.org/10.1000/x)",
)
ATTRIBUTE_LIST = _rule(
    "attribute-list", W, "analysis",
    "An attribute list ({: ...} or { #id .class }) in a claim's analysis; claims do not support them, so it would show as text.",
    "Remove it.",
    "A paragraph.\n{: .note }", "A paragraph.",
)
CONTROL_CHARACTER = _rule(
    "control-character", E, "analysis",
    "A control character or private-use character in an analysis or a front-matter value; the tools use some internally, and a feed "
    "cannot hold them, so they are removed.",
    "Delete the character (the column is given); it is invisible in most editors.",
)
SANITIZED = _rule(
    "sanitized", E, "analysis",
    "The analysis renders to HTML that the site's sanitizer changes: something in it is not allowed on a page.",
    "Use plain Markdown: paragraphs, emphasis, lists, tables, footnotes and http(s) links.",
)

# --- quotes and coverage ----------------------------------------------------------------------
QUOTE_NOT_FOUND = _rule(
    "quote-not-found", E, "quotes",
    "The quote is not in the article, character for character.",
    "Copy the words from the article; the message shows the closest passage, or the article's own spelling when only "
    "curly quotes, apostrophes or dashes differ.",
)
QUOTE_AMBIGUOUS = _rule(
    "quote-ambiguous", E, "quotes",
    "The quote occurs more than once in the article.",
    "Add a prefix or suffix with the words just before or after the occurrence you mean.",
)
QUOTE_CONTEXT = _rule(
    "quote-context", E, "quotes",
    "No occurrence of the quote has the given prefix or suffix directly around it.",
    "Copy the prefix or suffix from the article, spaces included.",
)
DUPLICATE_QUOTE = _rule(
    "duplicate-quote", E, "quotes",
    "Two claims quote exactly the same words of the article.",
    "Merge them into one claim, or quote the words each one checks.",
)
CLAIMED_NON_CLAIM = _rule(
    "claimed-non-claim", E, "quotes",
    "A passage listed as a non-claim overlaps a claim's quote, so the article page would show it both ways.",
    "Remove the non-claim, or shorten it (or the claim's quote) so the two do not overlap.",
)
UNCOVERED_TEXT = _rule(
    "uncovered-text", W, "quotes",
    "Article text that no claim quotes and no non-claim lists.",
    "Add a claim or a non-claim with a reason.",
)

# --- articles, the masthead ---------------------------------------------------------------------
NO_CLAIMS = _rule(
    "no-claims", E, "articles",
    "An article has no claims folder or no claim files in it (claims moved or renamed lose their pages).",
    "Put the claims in docs/articles/<article>/claims/<id>.md.",
)
UNKNOWN_CLAIM = _rule(
    "unknown-claim", E, "articles",
    "An article's key_claims names a claim that the article does not have.",
    "Use the id of one of its claims (the file name without .md).",
)
BAD_URL = _rule(
    "bad-url", E, "articles",
    "A URL (of an article, a reference or the masthead) that is not an absolute http: or https: address.",
    "Write the full address, starting https://.",
)

# --- references -------------------------------------------------------------------------------
BIB_SYNTAX = _rule(
    "bib-syntax", E, "references",
    "The .bib file does not parse at this place.",
    "Look at the line given; check braces, commas and quotes.",
)
BIB_FIELD = _rule(
    "bib-field", E, "references",
    "An entry gives the same field twice.",
    "Keep one.",
)
DUPLICATE_KEY = _rule(
    "duplicate-key", E, "references",
    "A BibTeX key is defined twice; both places are given.",
    "Keep one entry, or give the other its own key.",
)
MISSING_FIELD = _rule(
    "missing-field", E, "references",
    "An entry lacks its title, year, author (or organization), an identifier (doi, pmid or url) or its design.",
    "Add the field from the work's PubMed, DOI or publisher page.",
)
BAD_DOI = _rule(
    "bad-doi", E, "references",
    "The doi field is not a DOI.",
    "Write the bare DOI, 10.NNNN/suffix, without https://doi.org/.",
    "doi = {https://doi.org/10.1126/science.1190287}", "doi = {10.1126/science.1190287}",
)
BAD_PMID = _rule(
    "bad-pmid", E, "references",
    "The pmid field is not a PubMed id.",
    "Write the digits only.",
    "pmid = {PMID: 20724638}", "pmid = {20724638}",
)
BAD_KEY = _rule(
    "bad-key", E, "references",
    "A BibTeX key holds characters other than letters, digits and _ : . + -, or ends in punctuation.",
    "Rename the key (first author's family name, year, first word of the title).",
)
BAD_NOTICE = _rule(
    "bad-notice", E, "references",
    "The notices field is not a list of notices written 'type DOI YYYY-MM-DD', separated by ';'.",
    "Write each notice as its type, its DOI and its date.",
    "notices = {retracted 2024}", "notices = {retraction 10.1007/s00213-024-06660-y 2024-08-01}",
)
UNCITED_REFERENCE = _rule(
    "uncited-reference", W, "references",
    "A reference that no claim cites.",
    "Cite it, or remove the entry.",
)

# --- the site build ---------------------------------------------------------------------------
UNKNOWN_PAGE_KIND = _rule(
    "unknown-page-kind", E, "site",
    "A page's factcheck: front matter names a page kind that does not exist.",
    "Use one of the kinds the message lists.",
)
PAGE_ADDRESS_TAKEN = _rule(
    "page-address-taken", E, "site",
    "A page of the site's own sits where a long listing continues (past a few hundred entries a listing goes on "
    "at page-2/, page-3/, ... beside it), so the listing cannot be cut into pages.",
    "Rename or move the page: the page-N addresses beside a listing are the listing's.",
)
NO_SITE_URL = _rule(
    "no-site-url", E, "site",
    "A strict build has no site address, so the data files, ClaimReview, canonical links and sitemap would carry relative ids.",
    "Set FACTCHECK_SITE_URL (the deploy workflow sets it from GitHub Pages), or site_url in mkdocs.yml; for a local "
    "build, `make build` sets http://127.0.0.1:8000/.",
)

# --- changes ----------------------------------------------------------------------------------
UNCORRECTED_VERDICT_CHANGE = _rule(
    "uncorrected-verdict-change", W, "history",
    "The verdict or certainty differs from the base commit, and no corrections entry was added that says so.",
    "Add a dated entry to corrections with previous_verdict (or previous_certainty) and a note saying why.",
)

# --- verification -----------------------------------------------------------------------------
TITLE_MISMATCH = _rule(
    "title-mismatch", E, "verification",
    "The entry's title is not the registry's (ignoring case, accents and punctuation).",
    "Copy the title from the work's record.",
)
YEAR_MISMATCH = _rule(
    "year-mismatch", E, "verification",
    "The entry's year is none of the registry's publication years (print or online).",
    "Use the year of the record.",
)
DOI_NOT_FOUND = _rule(
    "doi-not-found", E, "verification",
    "Crossref does not know the entry's DOI.",
    "Check the DOI on the publisher's page.",
)
PMID_NOT_FOUND = _rule(
    "pmid-not-found", E, "verification",
    "PubMed does not know the entry's PMID.",
    "Check the PMID on PubMed.",
)
IDENTIFIER_MISMATCH = _rule(
    "identifier-mismatch", E, "verification",
    "PubMed gives another DOI for the entry's PMID.",
    "One of the two identifiers belongs to another work: check both.",
)
DUPLICATE_REFERENCE = _rule(
    "duplicate-reference", E, "verification",
    "The DOI or PMID to add is already in the bibliography.",
    "Cite the existing entry's key.",
)
BAD_RESPONSE = _rule(
    "bad-response", E, "verification",
    "Crossref or PubMed answered with something the tool cannot read.",
    "Try again later; if it persists, check the identifier on the registry's own page.",
)
RETRACTED = _rule(
    "retracted", E, "verification",
    "The work has been retracted.",
    "Record the retraction in the entry's notices and re-review every claim that cites it.",
)
