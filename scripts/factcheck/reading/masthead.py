"""Reading ``docs/masthead.yml``: who is behind the site, as the IFCN and EFCSN codes ask fact-checkers to say.

The file ships with the roles and policies that exist; real editors add their own names. The
checker validates its keys and types, and that every person named is a plain name.
"""

from __future__ import annotations

from ..model.content import Masthead, Role
from ..model.problems import Problem
from ..model.registry import WRONG_TYPE
from .frontmatter import Document
from .schema import Reader

REQUIRED = ("organization", "roles", "funding", "conflicts", "corrections", "contact")
OPTIONAL = ("description",)
ROLE_REQUIRED = ("role", "duties")
ROLE_OPTIONAL = ("people", "interests")
MAX_NAME = 120


def read(doc: Document, problems: list[Problem]) -> Masthead:
    read = Reader(doc, problems)
    meta = doc.meta
    read.check_keys(meta, REQUIRED, OPTIONAL)
    roles = []
    for index, item in read.mappings(meta, "roles"):
        where = ("roles", index)
        read.check_keys(item, ROLE_REQUIRED, ROLE_OPTIONAL, where)
        people = item.get("people") or []
        if not isinstance(people, list) or not all(isinstance(name, str) and 0 < len(name) <= MAX_NAME and "<" not in name for name in people):
            read.problem((*where, "people"), WRONG_TYPE, f"'people' in item {index + 1} of 'roles' must be a list of names in double quotes")
            people = []
        roles.append(Role(read.text(item, "role", where), read.text(item, "duties", where), tuple(people), read.text(item, "interests", where)))
    return Masthead(
        path=doc.path,
        organization=read.text(meta, "organization"),
        description=read.text(meta, "description"),
        roles=tuple(roles),
        funding=read.text(meta, "funding"),
        conflicts=read.text(meta, "conflicts"),
        corrections=read.text(meta, "corrections"),
        contact=read.text(meta, "contact"),
    )
