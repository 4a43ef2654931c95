"""Reading Markdown files and their YAML front matter, with the line of every key.

Front matter is split exactly as MkDocs splits it, so the checker never reads
a page differently from the site build (except that a closing ``---`` may end
the file without a newline: see ``parse``). YAML from pull requests is read
defensively: no aliases of lists or mappings, keys that are plain text, limited nesting,
a limited number of keys and items, numbers of a sane length, and every failure is a
located problem in the editor's words, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..model.positions import Positions, line_col
from ..model.problems import FactcheckError
from ..model.registry import ENCODING, FRONT_MATTER

# The expression MkDocs itself uses (mkdocs.utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
_OPENING = re.compile(r"^-{3}[ \t]*\n")
_EMPTY = re.compile(r"^-{3}[ \t]*\n(?:\.{3}|-{3})[ \t]*(?:\n|$)")
# The characters YAML refuses (its "printable" set, negated), to point at the first one.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

KeyPath = tuple[str | int, ...]

# Front matter of this site is three levels deep at most. Deeper nesting is refused: both
# composers recurse once per level ("[[[[…" thousands deep), and so does _build.
MAX_DEPTH = 20
# A claim has about twenty keys and items; a hundred thousand short keys took seconds to read.
MAX_NODES = 5_000
# A number or date longer than this is refused before it is converted: Python will not turn an
# integer of more than 4,300 digits into text, and converting one costs time that grows with it.
MAX_NUMBER_LENGTH = 64
# libyaml's loader when PyYAML was built with it (the wheels are): parsing a thousand claim
# files with the pure-Python loader took most of the checker's time. But libyaml composes in C
# without a depth limit and kills the whole process (segfault) at about 100,000 levels of
# nesting, which a 200 kB file reaches. Each level costs at least one character, so front
# matter up to FAST_LIMIT characters (the real ones are under 4,000) is safe to give it; longer
# front matter goes to the pure-Python loader, whose composer checks MAX_DEPTH as it goes.
FAST_LIMIT = 10_000
_FastBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Document:
    """A Markdown file split into its front matter and its body."""

    path: str
    meta: dict[str, Any]
    body: str
    body_line: int  # the line of the file on which the body starts
    lines: dict[KeyPath, int] = field(default_factory=dict)  # key path -> line

    @property
    def end_line(self) -> int:
        """The line of the closing ``---``: where a missing key would go."""
        return max(1, self.body_line - 1)

    def line(self, *key_path: str | int) -> int:
        """The line of the deepest part of ``key_path`` that has one."""
        while key_path:
            if key_path in self.lines:
                return self.lines[key_path]
            key_path = key_path[:-1]
        return 1


def decode(data: bytes, display: str) -> str:
    """``data`` as text with newlines normalised; a clear problem for bytes that are not UTF-8."""
    try:
        text = data.decode("utf-8-sig")  # MkDocs also accepts and drops a byte-order mark
    except UnicodeDecodeError as exc:
        line, col = line_col(data.decode("latin-1"), exc.start)  # one character per byte: same offsets
        raise FactcheckError(
            ENCODING.at(display, line, f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8", col)
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str, display: str) -> Document:
    """Split ``text`` into front matter and body; raise FactcheckError if the front matter is bad."""
    # A file that ends right after its closing "---" (editors that drop the final newline) has
    # front matter all the same; without this every key of it would be reported missing. The
    # build reads claims and articles from this model, so MkDocs' own stricter split never shows.
    match = _FRONT_MATTER.match(text) or _FRONT_MATTER.match(text + "\n")
    if not match:
        if empty := _EMPTY.match(text):  # "---" then "---": no keys at all, and the regex needs one line
            return Document(display, {}, text[empty.end():], text.count("\n", 0, empty.end()) + 1)
        if _OPENING.match(text):
            # Otherwise the whole file would be read as body and every key reported missing.
            raise FactcheckError(
                FRONT_MATTER.at(display, 1, "the front matter is never closed: end it with a line holding only ---")
            )
        return Document(display, {}, text, 1)
    yaml_text = match.group(1)
    body = text[match.end():] if match.end() <= len(text) else ""
    body_line = text.count("\n", 0, match.end()) + 1
    meta, lines = _load_yaml(yaml_text, display, first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FactcheckError(
            FRONT_MATTER.at(display, 2, f"front matter must be a mapping of keys to values, not a {_kind(meta)}")
        )
    return Document(display, meta, body, body_line, lines)


class _Lines:
    """The file's line and column of a YAML mark, from its character index (see model.positions)."""

    def __init__(self, text: str, first_line: int) -> None:
        self.positions = Positions(text, first_line)

    def __call__(self, mark: yaml.Mark) -> tuple[int, int]:
        return self.positions(mark.index)


class _Constructing:
    """Turns the bare Python errors some of PyYAML's constructors raise into located problems."""

    display: str
    lines: _Lines

    def __init__(self, text: str, display: str, lines: _Lines) -> None:
        self.display = display
        self.lines = lines
        super().__init__(text)  # type: ignore[call-arg]

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (yaml.YAMLError, FactcheckError):
            raise
        except Exception as exc:
            # PyYAML lets bare errors escape for a value it cannot convert: "!!bool maybe" is a
            # KeyError, "!!timestamp soon" an AttributeError, an empty "!!int" an IndexError,
            # "2026-13-45" a ValueError. Any of them means the value is wrong, not the checker.
            if isinstance(exc, ValueError) and str(exc):
                message = str(exc)
            else:
                tag = str(node.tag).rsplit(":", 1)[-1]
                message = f"{str(node.value)[:80]!r} is not a valid !!{tag} value"
            line, col = self.lines(node.start_mark)
            raise FactcheckError(FRONT_MATTER.at(self.display, line, f"invalid YAML: {message}", col)) from None


class _FastLoader(_Constructing, _FastBase):  # type: ignore[valid-type, misc]
    pass


class _SlowLoader(_Constructing, yaml.SafeLoader):
    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)) and self.depth >= MAX_DEPTH:
            raise _too_deep(event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _too_deep(mark: Any) -> yaml.MarkedYAMLError:
    return yaml.composer.ComposerError(None, None, f"lists and mappings are nested more than {MAX_DEPTH} deep", mark)


def load_mapping(text: str, display: str) -> Document:
    """A whole YAML file (the masthead) read as front matter is: the same limits, the same located problems."""
    meta, lines = _load_yaml(text, display, first_line=1)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FactcheckError(FRONT_MATTER.at(display, 1, f"the file must be a mapping of keys to values, not a {_kind(meta)}"))
    return Document(display, meta, "", text.count("\n") + 2, lines)


def _load_yaml(text: str, display: str, first_line: int) -> tuple[Any, dict[KeyPath, int]]:
    if bad := _NOT_PRINTABLE.search(text):
        # PyYAML would refuse it too, but with a two-line message, and libyaml gives a byte offset.
        line, col = line_col(text, bad.start(), first_line)
        message = f"invalid YAML: the character U+{ord(bad.group()):04X} is not allowed in front matter; delete it (it is invisible in most editors)"
        raise FactcheckError(FRONT_MATTER.at(display, line, message, col))
    where = _Lines(text, first_line)
    loader = (_FastLoader if len(text) <= FAST_LIMIT else _SlowLoader)(text, display, where)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[KeyPath, int] = {}
        return _build(node, (), lines, display, where, _Budget(), loader), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = where(mark) if mark else (first_line, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        source_line = text.split("\n")[line - first_line] if 0 <= line - first_line < text.count("\n") + 1 else ""
        hint = _hint(message, source_line, col)
        raise FactcheckError(FRONT_MATTER.at(display, line, f"invalid YAML: {message}{hint}", col)) from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        # e.g. a constructor of a list or mapping that fails; a scalar's is caught in _Constructing
        raise FactcheckError(FRONT_MATTER.at(display, first_line, f"invalid YAML: {exc}")) from None
    finally:
        loader.dispose()


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Budget:
    """What one document may hold: each list, mapping, key and item is counted once."""

    def __init__(self) -> None:
        self.nodes = 0
        self.seen: set[int] = set()

    def spend(self, node: yaml.Node) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"the front matter holds more than {MAX_NODES:,} keys and items; a claim needs a few dozen", node.start_mark
            )


def _build(
    node: yaml.Node,
    path: KeyPath,
    lines: dict[KeyPath, int],
    display: str,
    where: _Lines,
    budget: _Budget,
    loader: _Constructing,
) -> Any:
    """The value of ``node``, noting the line of every key and item on the way.

    Strings, lists and mappings with string keys (nearly all of any front matter) are built
    here, in the same walk that notes the lines; anything else (numbers, dates, booleans, merge
    keys) is left to PyYAML's safe constructor, so the result is what ``yaml.safe_load`` gives.
    Building everything with PyYAML, after a walk for the lines, took twice as long.
    """
    # An alias (*name) is the anchored node itself, met again. Aliases of lists and mappings are
    # refused: a few lines of them ("billion laughs") make a structure of billions of items for
    # anything that walks it, this function first; and front matter never needs them.
    if id(node) in budget.seen:
        raise yaml.composer.ComposerError(
            None, None, "the list or mapping anchored here (&name) is used again through an alias (*name); "
            "front matter may not reuse them, write each one out", node.start_mark,
        )
    if len(path) > MAX_DEPTH:
        raise _too_deep(node.start_mark)
    budget.spend(node)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        budget.seen.add(id(node))  # scalars are never shared but by an alias, which is harmless for them
    lines.setdefault(path, where(node.start_mark)[0])
    if isinstance(node, yaml.MappingNode):
        plain = node.tag == _MAP and all(key_node.tag == _STR for key_node, _ in node.value)
        mapping: dict[Any, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line, col = where(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                # "? [a, b]" makes a list the key; turning it into text would walk every alias in it.
                raise FactcheckError(FRONT_MATTER.at(display, line, "invalid YAML: a key must be a plain word, not a list or a mapping (remove the '?')", col))
            budget.spend(key_node)
            _check_scalar(key_node, display, where)
            key = str(key_node.value)
            if key in seen:
                raise FactcheckError(
                    FRONT_MATTER.at(display, line, f"key '{key}' is given twice (first on line {seen[key]}); keep one", col)
                )
            seen[key] = line
            lines[(*path, key)] = line
            value = _build(value_node, (*path, key), lines, display, where, budget, loader)
            if plain:
                mapping[key] = value
        return mapping if plain else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*path, index)] = where(item.start_mark)[0]
            items.append(_build(item, (*path, index), lines, display, where, budget, loader))
        return items if node.tag == _SEQ else loader.construct_object(node, deep=True)
    if node.tag == _STR:
        return node.value
    _check_scalar(node, display, where)
    return loader.construct_object(node, deep=True)


def _check_scalar(node: yaml.Node, display: str, where: _Lines) -> None:
    """Refuse a number, date or other typed value too long to convert cheaply."""
    if node.tag != _STR and isinstance(node.value, str) and len(node.value) > MAX_NUMBER_LENGTH:
        line, col = where(node.start_mark)
        raise FactcheckError(FRONT_MATTER.at(
            display, line, f"invalid YAML: a value of {len(node.value):,} characters that YAML reads as a number or a date; "
            "put text in double quotes", col))


# What the parser's messages usually mean, for an editor who does not know YAML. Both parsers
# (libyaml and PyYAML's own) are covered: they word the same fault differently.
_HINTS = (
    (("violates indentation", "'\\t'"), "a tab: indent with spaces instead"),
    (("mapping values are not allowed",), "a colon followed by a space inside unquoted text, or a line indented too far: "
     "put the value in double quotes, or line the key up with the keys above it"),
    (("found unexpected end of stream",), "a quote is opened and never closed: end the value with the same quote"),
    (("found undefined alias",), "text cannot start with * unquoted: put the value in double quotes"),
    (("could not find expected ':'",), "a line that is not 'key: value': add the colon, or put the text on the line of its key"),
    (("expected ',' or ']'",), "a list in [brackets] is never closed: end it with ]"),
    (("expected ',' or '}'",), "a mapping in {braces} is never closed: end it with }"),
    (("expected '-' indicator", "but found '?'", "but found '-'", "but found '<block sequence start>'"),
     "a line indented differently from the ones before it: line up every '- ' of a list, and every key of a mapping"),
)


def _hint(message: str, line: str, col: int) -> str:
    """A sentence saying what the parser's ``message`` probably means, given the line it points at."""
    char = line[col - 1 : col]
    if "cannot start any token" in message:
        if char == "\t":
            return " (a tab: indent with spaces instead)"
        if char:
            return f" (text cannot start with {char} unquoted: put the value in double quotes)"
    if "did not find expected key" in message or "but found '<scalar>'" in message:
        before = line[: col - 1]
        for quote, name in (('"', "double"), ("'", "single")):
            if before.count(quote) >= 2:
                escape = 'write \\" for each quote inside it' if quote == '"' else "write '' for each quote inside it, or use double quotes"
                return f" (the value's {name} quote closes before the text ends: {escape})"
        if line[:1].isspace() or line.lstrip().startswith("-"):
            return " (a line indented differently from the ones before it: line up every '- ' of a list, and every key of a mapping)"
        return " (text after a value: put the whole value in double quotes)"
    for found, hint in _HINTS:
        if any(part in message for part in found):
            return f" ({hint})"
    return ""


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__
