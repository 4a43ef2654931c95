"""BibTeX values as readers see them: LaTeX markup turned into plain Unicode, names split into parts.

Parsing LaTeX and names is the costly part of reading a bibliography, so it
happens only here, when a cited entry is formatted, and not when files are read.
"""

from __future__ import annotations

from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text

_MARKUP = frozenset("{}\\~$")
_COMMANDS = frozenset("\\~$")  # what only LaTeX decoding can turn into text
_LIGATURES = ("--", "``", "''")  # dashes and quotes that LaTeX typesets as single characters
_PLAIN_TEXT = PlainTextBackend()


def plain(value: str) -> str:
    """A field's text with BibTeX markup ({braces}, \\"{o} accents, \\&) turned into plain Unicode."""
    if not any(char in value for char in _MARKUP):
        return value  # most fields hold no markup; parsing them as LaTeX would only cost time
    if not any(char in value for char in _COMMANDS) and not any(pair in value for pair in _LIGATURES):
        return value.replace("{", "").replace("}", "")  # only braces protecting capitals: {NMDA}
    try:
        # Text.render_as() looks the backend up through package entry points on every call,
        # which once dominated the checker's run time; one backend object does the same work.
        return Text.from_latex(value).render(_PLAIN_TEXT)
    except PybtexError:
        return value.replace("{", "").replace("}", "")


def people(value: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The (family name, initials) of each person in a BibTeX name list, and whether it ends in 'and others'.

    An organisation written in double braces is one family name with no initials. A list
    pybtex cannot split is shown as one name rather than failing the page.
    """
    names: list[tuple[str, str]] = []
    others = False
    try:
        for person in (Person(name) for name in split_name_list(value)):
            if str(person) == "others":
                others = True
                continue
            family = plain(" ".join(person.prelast_names + person.last_names))
            initials = "".join(_initial(plain(name)) for name in person.first_names + person.middle_names)
            names.append((family, initials))
    except PybtexError:
        return ((plain(value), ""),), False
    return tuple(names), others


def _initial(name: str) -> str:
    parts = [part for part in name.replace(".", " ").split("-") if part.strip()]
    return "".join(part.strip()[0].upper() for part in parts if part.strip())
