"""Reading Markdown files and their YAML front matter, with the line of every key.

Front matter is split exactly as MkDocs splits it, so the checker never reads
a page differently from the site build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import FactcheckError, error

# The expression MkDocs itself uses (mkdocs.utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)

KeyPath = tuple[str | int, ...]

# libyaml's loader when PyYAML was built with it (the wheels are): parsing a thousand claim
# files with the pure-Python loader took most of the checker's time.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Document:
    """A Markdown file split into its front matter and its body."""

    path: str
    meta: dict[str, Any]
    body: str
    body_line: int  # the line of the file on which the body starts
    lines: dict[KeyPath, int] = field(default_factory=dict)  # key path -> line

    def line(self, *key_path: str | int) -> int:
        """The line of the deepest part of ``key_path`` that has one."""
        while key_path:
            if key_path in self.lines:
                return self.lines[key_path]
            key_path = key_path[:-1]
        return 1


def read_text(path: Path, display: str) -> str:
    """The file's text with newlines normalised; a clear problem for bytes that are not UTF-8."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")  # MkDocs also accepts and drops a byte-order mark
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FactcheckError(
            error(display, line, "encoding", f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})", col)
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str, display: str) -> Document:
    """Split ``text`` into front matter and body; raise FactcheckError if the front matter is bad."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return Document(display, {}, text, 1)
    yaml_text = match.group(1)
    body = text[match.end():]
    body_line = text.count("\n", 0, match.end()) + 1
    meta, lines = _load_yaml(yaml_text, display, first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FactcheckError(
            error(display, 2, "front-matter", f"front matter must be a mapping of keys to values, not a {_kind(meta)}")
        )
    return Document(display, meta, body, body_line, lines)


def _load_yaml(text: str, display: str, first_line: int) -> tuple[Any, dict[KeyPath, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[KeyPath, int] = {}
        _collect_lines(node, (), lines, display, first_line)
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise FactcheckError(error(display, line, "front-matter", f"invalid YAML: {message}", col)) from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        # e.g. a date such as 2026-13-45 that matches YAML's timestamp form but is not a date
        raise FactcheckError(error(display, first_line, "front-matter", f"invalid YAML: {exc}")) from None
    finally:
        loader.dispose()


def _collect_lines(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], display: str, first: int) -> None:
    lines.setdefault(path, first + node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first + key_node.start_mark.line
            if key in seen:
                raise FactcheckError(
                    error(display, line, "front-matter", f"key '{key}' is given twice (first on line {seen[key]})")
                )
            seen[key] = line
            lines[(*path, key)] = line
            _collect_lines(value_node, (*path, key), lines, display, first)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = first + item.start_mark.line
            _collect_lines(item, (*path, index), lines, display, first)


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__
