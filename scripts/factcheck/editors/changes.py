"""What a change means to a reader: the site at a base commit beside the working tree, claim by claim.

``scripts/pr_summary.py`` shows it on every pull request. The base's content files
(``docs/articles/**`` and ``references/*.bib``) are written out of git into a temporary
folder and loaded exactly as the working tree is, so both sides are read by the same code;
the differences are then told in readers' terms: verdicts and certainties, bottom lines,
sources, references, corrections, articles, and the checker's verdict on the new tree.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..checking.engine import Report, check
from ..checking.history import HistoryError, changed_paths, uncorrected_verdict_changes
from ..model.content import Article, Claim, Correction, Project, Reference
from ..model.problems import Problem, printable
from ..model.vocabularies import Vocabularies, Vocabulary
from ..model.vocabularies import load as vocabularies
from ..reading.cache import Cache
from ..reading.latex import plain
from ..reading.layout import ARTICLES_DIR, BIB_SUFFIX, Layout
from ..reading.loading import MapFiles, in_this_process, load

FORMATS = ("markdown", "json")
MAX_PROBLEMS = 50  # listed in the Markdown; the JSON has them all
_BLOB_MODES = ("100644", "100755")  # ordinary files; links and submodules are not content


class ChangeError(Exception):
    """git could not give the base (not a repository, an unknown ref, git missing)."""


# --- what changed, as plain values -----------------------------------------------------------


@dataclass(frozen=True)
class ClaimEntry:
    """A claim added or removed: what a reader saw, or will see, at a glance."""

    id: str
    article: str
    verdict: str
    certainty: str
    claim_short: str


@dataclass(frozen=True)
class RatingChange:
    """A verdict or certainty that changed; ``correction_logged`` if a new corrections entry names the old value."""

    id: str
    before: str
    after: str
    correction_logged: bool


@dataclass(frozen=True)
class TextChange:
    """A claim's text that changed (its bottom line)."""

    id: str
    before: str
    after: str


@dataclass(frozen=True)
class SourceChange:
    """A source of a claim added, removed, or given another stance."""

    claim: str
    key: str
    change: str  # "added", "removed" or "stance changed"
    stance: str  # the stance now (the stance it had, for a removed source)
    previous_stance: str = ""


@dataclass(frozen=True)
class ReferenceChange:
    """A bibliography entry added, removed or edited (``fields``: the fields that differ)."""

    key: str
    change: str  # "added", "removed" or "changed"
    title: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class CorrectionEntry:
    """A corrections entry the change adds to a claim."""

    claim: str
    date: str
    note: str
    previous_verdict: str
    previous_certainty: str


@dataclass(frozen=True)
class ArticleChange:
    """An article added or removed."""

    slug: str
    change: str  # "added" or "removed"
    title: str


@dataclass(frozen=True)
class OtherEdit:
    """A page whose other reader-visible parts changed: the analysis, the quote, the article's text."""

    kind: str  # "claim" or "article"
    id: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class CheckerResult:
    """The checker on the new tree: its counts and problems; ``--strict`` fails on any of them."""

    errors: int
    warnings: int
    problems: tuple[Problem, ...]

    @property
    def passes_strict(self) -> bool:
        return not self.errors and not self.warnings


@dataclass(frozen=True)
class Changes:
    """Every reader-visible difference between two loaded sites, each list in a fixed order."""

    claims_added: tuple[ClaimEntry, ...] = ()
    claims_removed: tuple[ClaimEntry, ...] = ()
    verdict_changes: tuple[RatingChange, ...] = ()
    certainty_changes: tuple[RatingChange, ...] = ()
    bottom_lines: tuple[TextChange, ...] = ()
    sources: tuple[SourceChange, ...] = ()
    references: tuple[ReferenceChange, ...] = ()
    corrections: tuple[CorrectionEntry, ...] = ()
    articles: tuple[ArticleChange, ...] = ()
    other_edits: tuple[OtherEdit, ...] = ()

    @property
    def changed(self) -> bool:
        return any(getattr(self, field.name) for field in dataclasses.fields(self))


@dataclass(frozen=True)
class Summary:
    """A change summarized for readers: against which base, what changed, and the checker's result."""

    base: str  # the ref as given
    commit: str  # the commit it names
    changes: Changes
    checker: CheckerResult


# --- comparing two sites ---------------------------------------------------------------------

# A claim's parts a reader sees besides those with their own section, in reading order.
_CLAIM_PARTS: tuple[tuple[str, str], ...] = (
    ("article_slug", "the article it belongs to"),
    ("quote", "the quote"),
    ("claim", "the claim as restated"),
    ("claim_short", "the short claim"),
    ("certainty_rationale", "the certainty rationale"),
    ("certainty_upgrade", "the reason for rating up"),
    ("body", "the analysis"),
    ("reviewed", "the review date"),
    ("reviewers", "the reviewers"),
    ("recheck_by", "the recheck date"),
    ("watch", "what to watch"),
)
_ARTICLE_PARTS: tuple[tuple[str, str], ...] = (
    ("title", "the title"),
    ("publisher", "the publisher"),
    ("url", "the address"),
    ("published", "the publication date"),
    ("retrieved", "the retrieval date"),
    ("summary", "the editors' summary"),
    ("key_claims", "the key claims"),
    ("text", "the article's text"),
    ("non_claims", "the non-claims"),
)


def compare(before: Project, after: Project) -> Changes:
    """Every reader-visible difference from ``before`` to ``after``."""
    old, new = _claims_by_id(before.claims), _claims_by_id(after.claims)
    kept = [claim_id for claim_id in new if claim_id in old]
    verdicts, certainties, bottom_lines, sources, corrections, edits = [], [], [], [], [], []
    for claim_id in kept:
        was, now = old[claim_id], new[claim_id]
        added_corrections = _new_corrections(was.corrections, now.corrections)
        if was.verdict != now.verdict:
            logged = any(c.previous_verdict == was.verdict for c in added_corrections)
            verdicts.append(RatingChange(claim_id, was.verdict, now.verdict, logged))
        if was.certainty != now.certainty:
            logged = any(c.previous_certainty == was.certainty for c in added_corrections)
            certainties.append(RatingChange(claim_id, was.certainty, now.certainty, logged))
        if was.bottom_line != now.bottom_line:
            bottom_lines.append(TextChange(claim_id, was.bottom_line, now.bottom_line))
        sources += _source_changes(claim_id, was, now)
        parts = [label for name, label in _CLAIM_PARTS if getattr(was, name) != getattr(now, name)]
        if _notes_changed(was, now):
            parts.append("the notes on its sources")
        if parts:
            edits.append(OtherEdit("claim", claim_id, tuple(parts)))
    for claim_id, claim in new.items():
        previous = old[claim_id].corrections if claim_id in old else ()
        corrections += [_correction_entry(claim_id, c) for c in _new_corrections(previous, claim.corrections)]
    for slug in sorted(set(before.articles) & set(after.articles)):
        parts = [label for name, label in _ARTICLE_PARTS if getattr(before.articles[slug], name) != getattr(after.articles[slug], name)]
        if parts:
            edits.append(OtherEdit("article", slug, tuple(parts)))
    return Changes(
        claims_added=tuple(_claim_entry(new[i]) for i in new if i not in old),
        claims_removed=tuple(_claim_entry(old[i]) for i in old if i not in new),
        verdict_changes=tuple(verdicts),
        certainty_changes=tuple(certainties),
        bottom_lines=tuple(bottom_lines),
        sources=tuple(sources),
        references=tuple(_reference_changes(before.references, after.references)),
        corrections=tuple(corrections),
        articles=tuple(_article_changes(before.articles, after.articles)),
        other_edits=tuple(sorted(edits, key=lambda edit: (edit.kind == "claim", edit.id))),
    )


def _claims_by_id(claims: Iterable[Claim]) -> dict[str, Claim]:
    """Claims by id, ordered by article and id; of two files with one id (an error the checker reports), the first."""
    by_id: dict[str, Claim] = {}
    for claim in sorted(claims, key=lambda c: (c.article_slug, c.id, c.path)):
        by_id.setdefault(claim.id, claim)
    return by_id


def _claim_entry(claim: Claim) -> ClaimEntry:
    return ClaimEntry(claim.id, claim.article_slug, claim.verdict, claim.certainty, claim.claim_short or claim.claim)


def _new_corrections(before: Iterable[Correction], after: Iterable[Correction]) -> list[Correction]:
    """The entries of ``after`` that ``before`` does not have (as a multiset: line numbers do not count)."""
    def content(c: Correction) -> tuple[object, ...]:
        return (c.date, c.note, c.previous_verdict, c.previous_certainty)

    remaining = Counter(content(c) for c in before)
    added = []
    for correction in after:
        if remaining[content(correction)]:
            remaining[content(correction)] -= 1
        else:
            added.append(correction)
    return added


def _correction_entry(claim_id: str, correction: Correction) -> CorrectionEntry:
    return CorrectionEntry(claim_id, correction.date.isoformat(), correction.note, correction.previous_verdict, correction.previous_certainty)


def _source_changes(claim_id: str, was: Claim, now: Claim) -> list[SourceChange]:
    old = {source.key: source.stance for source in reversed(was.sources)}  # reversed: the first of a duplicate wins
    new = {source.key: source.stance for source in reversed(now.sources)}
    changes = []
    for key in dict.fromkeys(source.key for source in now.sources):
        if key not in old:
            changes.append(SourceChange(claim_id, key, "added", new[key]))
        elif old[key] != new[key]:
            changes.append(SourceChange(claim_id, key, "stance changed", new[key], old[key]))
    for key in dict.fromkeys(source.key for source in was.sources):
        if key not in new:
            changes.append(SourceChange(claim_id, key, "removed", old[key]))
    return changes


def _notes_changed(was: Claim, now: Claim) -> bool:
    """True if a source the claim kept has another note (sources added or removed have their own rows)."""
    old = {source.key: source.note for source in reversed(was.sources)}
    new = {source.key: source.note for source in reversed(now.sources)}
    return any(old[key] != new[key] for key in old.keys() & new.keys())


def _title(reference: Reference) -> str:
    return plain(reference.get("title")).strip()


def _reference_changes(before: Mapping[str, Reference], after: Mapping[str, Reference]) -> list[ReferenceChange]:
    changes = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        if was is None and now is not None:
            changes.append(ReferenceChange(key, "added", _title(now)))
        elif now is None and was is not None:
            changes.append(ReferenceChange(key, "removed", _title(was)))
        elif was is not None and now is not None:
            names = sorted(name for name in set(was.fields) | set(now.fields) if was.get(name) != now.get(name))
            if was.entry_type != now.entry_type:
                names.insert(0, "entry type")
            if names:
                changes.append(ReferenceChange(key, "changed", _title(now), tuple(names)))
    return changes


def _article_changes(before: Mapping[str, Article], after: Mapping[str, Article]) -> list[ArticleChange]:
    changes = [ArticleChange(slug, "added", after[slug].title) for slug in sorted(set(after) - set(before))]
    changes += [ArticleChange(slug, "removed", before[slug].title) for slug in sorted(set(before) - set(after))]
    return changes


# --- the base, out of git --------------------------------------------------------------------


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChangeError(f"could not run git: {exc}") from None
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangeError(lines[-1] if lines else f"git {args[0]} failed")
    return result.stdout


def resolve(root: Path, ref: str) -> str:
    """The full commit id ``ref`` names in the repository holding ``root``."""
    if ref.startswith("-"):  # never an option to git
        raise ChangeError(f"'{ref}' is not a commit of the git repository at {root}")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").decode().strip()
    except ChangeError:
        try:
            _git(root, "rev-parse", "--show-toplevel")
        except ChangeError:
            raise ChangeError(f"{root} is not inside a git repository") from None
        raise ChangeError(f"'{ref}' is not a commit of the git repository at {root} "
                          "(in a shallow clone, fetch it first: git fetch --depth=1 origin <sha>)") from None


def export_content(root: Path, commit: str, destination: Path) -> int:
    """Write the content files of ``commit`` (articles, claims, .bib files) under ``destination``; returns how many."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()  # where root lies in the repository: "" or "sub/"
    layout = Layout.at(destination)
    for folder in (layout.articles_dir, layout.references_dir):
        folder.mkdir(parents=True, exist_ok=True)
    listing = _git(top, "ls-tree", "-r", "-z", commit, "--", f"{prefix}docs/{ARTICLES_DIR}", f"{prefix}references")
    wanted: list[tuple[str, PurePosixPath]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, obj = meta.decode().split(" ")
        path = PurePosixPath(name.decode("utf-8", "surrogateescape")[len(prefix):])
        if kind != "blob" or mode not in _BLOB_MODES or not _safe(path):
            continue
        if path.parts[0] == "references" and (len(path.parts) != 2 or path.suffix != BIB_SUFFIX):
            continue  # only what the layout would read; the rest cannot change what a reader sees
        wanted.append((obj, path))
    if not wanted:
        return 0
    batch = _git(top, "cat-file", "--batch", stdin="".join(f"{obj}\n" for obj, _ in wanted).encode())
    offset = 0
    for _, path in wanted:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split(b" ")[2])
        content = batch[header_end + 1:header_end + 1 + size]
        offset = header_end + 1 + size + 1  # the content, then a newline
        target = destination.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return len(wanted)


def _safe(path: PurePosixPath) -> bool:
    """A relative path that stays inside the folder it is written to."""
    return bool(path.parts) and not path.is_absolute() and all(part not in ("", ".", "..") for part in path.parts)


# --- the whole summary -----------------------------------------------------------------------


def summarize(root: Path, ref: str, today: datetime.date | None = None, cache: Cache | None = None,
              map_files: MapFiles = in_this_process) -> Summary:
    """Compare the site at ``root`` (the working tree) with its content at ``ref``, and check the working tree."""
    commit = resolve(root, ref)
    with tempfile.TemporaryDirectory(prefix="pr-summary-") as folder:
        base_root = Path(folder)
        export_content(root, commit, base_root)
        before = load(Layout.at(base_root), cache, map_files).project
    report = check(Layout.at(root), today=today, cache=cache, map_files=map_files)
    try:
        # What --changed-only adds: a verdict or certainty changed since the base with no corrections entry.
        history = uncorrected_verdict_changes(root, commit, list(report.project.claims), changed_paths(root, commit))
    except HistoryError as exc:
        raise ChangeError(str(exc)) from None
    return Summary(ref, commit, compare(before, report.project), checker_result(report, history))


def checker_result(report: Report, extra: Iterable[Problem] = ()) -> CheckerResult:
    """The report's problems and ``extra`` ones, sorted as the checker sorts them."""
    problems = tuple(sorted(set(report.problems) | set(extra)))
    errors = sum(1 for problem in problems if problem.is_error)
    return CheckerResult(errors, len(problems) - errors, problems)


# --- Markdown --------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ENTITY_START = re.compile(r"&(?=#?\w+;)")  # "&amp;", "&#60;": would be read as a character reference


def cell(text: str) -> str:
    """``text`` as one table cell: on one line, with Markdown and HTML characters made literal."""
    text = " ".join(printable(text).split())
    text = _ENTITY_START.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def code(text: str) -> str:
    """``text`` as inline code; backticks, line breaks and table bars cannot end it early."""
    text = " ".join(printable(text).replace("`", "'").replace("|", "\\|").split())
    return f"`{text}`" if text else "(none)"


def _label(vocabulary: Vocabulary, term_id: str) -> str:
    term = vocabulary.get(term_id)
    return cell(term.label) if term else code(term_id)


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def markdown(summary: Summary, vocab: Vocabularies | None = None) -> str:
    """The summary as GitHub-flavoured Markdown: a heading, a table for each kind of change, the checker's result."""
    vocab = vocab or vocabularies()
    changes = summary.changes
    short = summary.commit[:12]
    against = f"`{short}`" if summary.commit.startswith(summary.base) else f"`{short}` ({code(summary.base)})"
    lines = ["## What this change means for readers", "", f"Compared with {against}.", ""]

    def section(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        if rows:
            lines.extend([f"### {title}", "", *_table(header, rows), ""])

    def yes(value: bool) -> str:
        return "yes" if value else "**no**"

    for title, entries in (("Claims added", changes.claims_added), ("Claims removed", changes.claims_removed)):
        section(title, ("Claim", "Verdict", "Certainty", "In short"), [
            (code(e.id), _label(vocab.verdict, e.verdict), _label(vocab.certainty, e.certainty), cell(e.claim_short)) for e in entries
        ])
    for title, ratings, vocabulary in (("Verdicts changed", changes.verdict_changes, vocab.verdict),
                                       ("Certainty changed", changes.certainty_changes, vocab.certainty)):
        section(title, ("Claim", "Before", "After", "Correction logged"), [
            (code(r.id), _label(vocabulary, r.before), _label(vocabulary, r.after), yes(r.correction_logged)) for r in ratings
        ])
    section("Bottom lines changed", ("Claim", "Before", "After"), [
        (code(t.id), cell(t.before), cell(t.after)) for t in changes.bottom_lines
    ])
    section("Sources changed", ("Claim", "Source", "Change", "Stance"), [
        (code(s.claim), code(s.key), s.change,
         f"{_label(vocab.stance, s.previous_stance)} → {_label(vocab.stance, s.stance)}" if s.previous_stance else _label(vocab.stance, s.stance))
        for s in changes.sources
    ])
    section("References", ("Reference", "Change", "Title"), [
        (code(r.key), f"changed ({', '.join(r.fields)})" if r.fields else r.change, cell(r.title)) for r in changes.references
    ])
    section("Corrections logged", ("Claim", "Date", "Note", "Previous verdict", "Previous certainty"), [
        (code(c.claim), c.date, cell(c.note),
         _label(vocab.verdict, c.previous_verdict) if c.previous_verdict else "",
         _label(vocab.certainty, c.previous_certainty) if c.previous_certainty else "")
        for c in changes.corrections
    ])
    section("Articles", ("Article", "Change", "Title"), [(code(a.slug), a.change, cell(a.title)) for a in changes.articles])
    section("Other edits", ("Page", "What changed"), [
        (f"{edit.kind} {code(edit.id)}", ", ".join(edit.parts)) for edit in changes.other_edits
    ])
    if not changes.changed:
        lines.extend(["No reader-visible change to claims, references or articles.", ""])
    lines.extend(_checker_lines(summary.checker))
    return "\n".join(lines).rstrip("\n") + "\n"


def _checker_lines(result: CheckerResult) -> list[str]:
    outcome = "passes" if result.passes_strict else "fails"
    lines = ["### Checker", "",
             f"On the new tree the checker finds {_plural(result.errors, 'error')} and {_plural(result.warnings, 'warning')}: "
             f"it {outcome} with `--strict`."]
    if result.problems:
        lines += ["", "<details><summary>Problems</summary>", ""]
        lines += [f"- {code(f'{p.path}:{p.line}')} {p.level_name}: {cell(p.message)} [{cell(p.rule)}]" for p in result.problems[:MAX_PROBLEMS]]
        if len(result.problems) > MAX_PROBLEMS:
            lines.append(f"- and {len(result.problems) - MAX_PROBLEMS} more (`make check` lists them all)")
        lines += ["", "</details>"]
    return lines


# --- JSON ------------------------------------------------------------------------------------


def as_data(summary: Summary) -> dict[str, Any]:
    """The summary as plain data: ids as the files write them, every problem of the checker."""
    changes = {field.name: [dataclasses.asdict(item) for item in getattr(summary.changes, field.name)]
               for field in dataclasses.fields(summary.changes)}
    checker = summary.checker
    return {
        "base": summary.base,
        "base_commit": summary.commit,
        "changed": summary.changes.changed,
        **changes,
        "checker": {
            "errors": checker.errors,
            "warnings": checker.warnings,
            "passes_strict": checker.passes_strict,
            "problems": [{"path": p.path, "line": p.line, "col": p.col, "level": p.level_name, "rule": p.rule, "message": p.message}
                         for p in checker.problems],
        },
    }


def as_json(summary: Summary) -> str:
    return json.dumps(as_data(summary), indent=2, ensure_ascii=False) + "\n"


def render(summary: Summary, fmt: str) -> str:
    return as_json(summary) if fmt == "json" else markdown(summary)
