"""The editors' reference tool: a BibTeX entry from a DOI or a PMID, or every entry checked against its registry.

    python scripts/add_reference.py IDENTIFIER [...] [--bib references/NAME.bib]
    python scripts/add_reference.py --verify [--bib references/NAME.bib]

IDENTIFIER is a DOI (10.1126/science.1190287, doi:…, https://doi.org/…) or a
PubMed id (pmid:20724638). The metadata comes from Crossref (DOIs) and
PubMed's E-utilities (PMIDs, and the PMID of a DOI); nothing is written from
memory. The new entry is appended to the --bib file (default
references/new.bib) with ``design = {other}`` and a TODO comment above it.

Exit status: 0 when done (or nothing wrong was found), 1 when an identifier
was refused, not found or answered with something unreadable, or --verify
found errors, 2 when the command line is wrong or a service cannot be reached.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from factcheck.cli import Parser, UsageError
from factcheck.editors import fetching, metadata, options
from factcheck.editors.bibwriter import FileChanged, append_entry, citation_key, format_entry
from factcheck.editors.fetching import Fetcher, FetchError
from factcheck.editors.identifiers import Identifier, IdentifierError, parse, same_doi
from factcheck.editors.verification import verify
from factcheck.model import vocabularies
from factcheck.model.content import Reference
from factcheck.model.problems import FactcheckError, Problem
from factcheck.model.registry import BIB_FIELD, DUPLICATE_REFERENCE
from factcheck.reading.bibliography import parse_file, parse_text
from factcheck.reading.layout import Layout

PROG = "add_reference.py"
DEFAULT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BIB = "references/new.bib"
def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, description="Add a BibTeX entry for a DOI or PMID from Crossref and PubMed, or --verify the existing ones.")
    parser.add_argument("identifiers", nargs="*", metavar="IDENTIFIER", help="a DOI (10.…, doi:10.…, https://doi.org/10.…) or a PubMed id (pmid:NNNN)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="project folder holding references/ (default: this repository)")
    parser.add_argument("--bib", help=f"the .bib file in references/ to add to (default: {DEFAULT_BIB}); with --verify, the only file to verify")
    parser.add_argument("--verify", action="store_true", help="check every entry with a doi or pmid against Crossref and PubMed instead of adding")
    options.add(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        options.check(parser, args)
        if args.verify and args.identifiers:
            parser.error("--verify checks the existing entries; give no IDENTIFIER with it")
        if not args.verify and not args.identifiers:
            parser.error("give at least one IDENTIFIER (a DOI or pmid:NNNN), or --verify")
        identifiers = [parse(text) for text in args.identifiers]
    except IdentifierError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except UsageError:
        return 2
    layout = Layout.at(args.root)
    if not layout.references_dir.is_dir():
        print(f"{PROG}: error: {layout.root} has no references/ folder; pass --root with the project folder", file=sys.stderr)
        return 2
    services = metadata.Services(Fetcher(timeout=args.timeout), args.crossref_url, args.eutils_url)
    target = _bib_path(layout, args.bib) if args.bib or not args.verify else None
    if isinstance(target, str):
        print(f"{PROG}: error: {target}", file=sys.stderr)
        return 2
    if args.verify or target is None:
        return _verify(layout, target, services)
    return _add_all(layout, target, identifiers, services)


def _bib_path(layout: Layout, name: str | None) -> Path | str:
    """The --bib file (default references/new.bib), or a message saying why it cannot be one."""
    name = name or DEFAULT_BIB
    # The checker reads references/*.bib and nothing else; an entry anywhere else would be cited in vain.
    path = Path(name) if Path(name).is_absolute() else layout.root / name
    path = path.parent.resolve() / path.name
    if path.suffix != ".bib" or path.parent != layout.references_dir.resolve():
        return f"--bib {name}: the file must be a .bib file directly in {layout.display(layout.references_dir)}/, where the checker reads the bibliography"
    # Never read or write through a link: it could lead anywhere, a system file included.
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return f"--bib {name}: the file is a symbolic link or not an ordinary file; the tool reads and writes only ordinary files in references/"
    return path


# --- adding ------------------------------------------------------------------------------------


def _add_all(layout: Layout, target: Path, identifiers: list[Identifier], services: metadata.Services) -> int:
    status = 0
    for identifier in identifiers:
        try:
            _add(layout, target, identifier, services)
        except FactcheckError as exc:
            print(exc.problem.format(), file=sys.stderr)
            status = 1
        except (FetchError, FileChanged) as exc:
            print(f"{PROG}: error: {exc}", file=sys.stderr)
            if isinstance(exc, FetchError) and exc.exit_code == 2:
                return 2  # the next identifiers would only time out too
            status = 1
        except OSError as exc:  # a .bib file that cannot be read, or a folder that cannot be written
            print(f"{PROG}: error: {_os_message(exc, layout)}", file=sys.stderr)
            return 1
    return status


def _os_message(exc: OSError, layout: Layout) -> str:
    where = layout.display(Path(exc.filename)) if exc.filename else "a file"
    return f"cannot use {where}: {exc.strerror or exc}"


def _add(layout: Layout, target: Path, identifier: Identifier, services: metadata.Services) -> None:
    expected = target.read_bytes() if target.exists() else None
    existing = _existing(layout)
    _refuse_duplicate(existing, identifier)
    work = metadata.lookup(services, identifier)
    for kind, value in (("doi", work.doi), ("pmid", work.pmid)):
        if value and (kind, value) != (identifier.kind, identifier.value):
            _refuse_duplicate(existing, Identifier(kind, value))
    if not work.authors:
        raise fetching.BadResponse(f"the record of {identifier} lists no authors; add this reference by hand, with an 'organization'")
    key = citation_key(work, [reference.key for reference in existing])
    entry = format_entry(work, key, vocabularies.load().design.ids)
    display = layout.display(target)
    _parses_cleanly(entry, identifier, key)
    line = append_entry(target, entry, expected)
    print(f"added '{key}' at {display}:{line}; set its design (the comment above it lists the choices)")
    for reason in work.retractions:  # citing a retracted paper can be right (to discuss it), but never unnoticed
        print(f"warning: {reason}")
    if not work.pmid:
        print(f"note: PubMed has no single record with doi {work.doi}; the entry has no pmid")
    if not work.doi:
        print(f"note: PubMed gives no doi for pmid {work.pmid}; the entry has no doi")


def _existing(layout: Layout) -> list[Reference]:
    """Every entry in references/*.bib; a file that does not parse would hide keys and identifiers, so it stops the tool."""
    references: list[Reference] = []
    for file in layout.inventory().of("bib"):
        bib = parse_file(file.path, layout.display(file.path))
        broken = [problem for problem in bib.problems if problem.rule != BIB_FIELD.id]  # a repeated field hides nothing
        if broken:
            first = broken[0]
            raise FactcheckError(dataclasses.replace(first, message=f"{first.message}; fix it first, so that duplicates can be found"))
        references += bib.references
    return references


def _refuse_duplicate(existing: list[Reference], identifier: Identifier) -> None:
    for reference in existing:
        value = reference.doi if identifier.kind == "doi" else reference.pmid
        if value and (same_doi(value, identifier.value) if identifier.kind == "doi" else value == identifier.value):
            raise FactcheckError(DUPLICATE_REFERENCE.at(reference.path, reference.line,
                                                        f"{identifier} is already in the bibliography as '{reference.key}'; cite that key"))


def _parses_cleanly(entry: str, identifier: Identifier, key: str) -> None:
    """Never append what the checker could not read: the new entry alone must parse to one entry with this key."""
    bib = parse_text(entry, "the new entry")
    if bib.problems or [reference.key for reference in bib.references] != [key]:
        details = "; ".join(problem.message for problem in bib.problems) or "it does not parse to one entry"
        raise fetching.BadResponse(f"the entry made from the record of {identifier} would not parse ({details}); nothing was written")


# --- verifying ---------------------------------------------------------------------------------


def _verify(layout: Layout, target: Path | None, services: metadata.Services) -> int:
    if target is not None and not target.is_file():
        print(f"{PROG}: error: {layout.display(target)} does not exist", file=sys.stderr)
        return 2
    problems: list[Problem] = []
    references: list[Reference] = []
    try:
        for path in [target] if target is not None else [file.path for file in layout.inventory().of("bib")]:
            bib = parse_file(path, layout.display(path))
            problems += bib.problems
            references += bib.references
        result = verify(references, services)
    except FetchError as exc:  # Unreachable: the rest would fail the same way
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"{PROG}: error: {_os_message(exc, layout)}", file=sys.stderr)
        return 1
    problems = sorted([*problems, *result.problems])
    for problem in problems:
        print(problem.format())
    errors = sum(problem.is_error for problem in problems)
    print(result.summary(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
