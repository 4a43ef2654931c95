"""An on-disk cache of parsed and formatted content, keyed by content, so unchanged work is not redone.

The checker's next run and every `mkdocs serve` rebuild hash each claim, article
and .bib file (and each cited entry's fields) and reuse what was computed last
time for the same bytes. Each kind of value lives in one file, read once and
written once per run with only the entries that run used, so the cache neither
costs a file per claim nor grows without bound.

It lives outside the repository (``$FACTCHECK_CACHE_DIR``, else the user's cache
folder) on purpose: entries are pickles, and a pull request must never be able
to plant one where the tools would load it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# Bump when the shape of a cached value changes; old buckets are then ignored and replaced.
VERSION = "10"
ENV = "FACTCHECK_CACHE_DIR"


def default_directory() -> Path | None:
    """``$FACTCHECK_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/kap-factcheck`` or ``~/.cache/kap-factcheck``."""
    if ENV in os.environ:
        value = os.environ[ENV]
        return Path(value) if value else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kap-factcheck"


class Cache:
    """Values computed from content, by kind; ``save`` writes what this run used. Never fails a run."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._stamp = f"{VERSION}:{sys.version_info.major}.{sys.version_info.minor}"
        self._loaded: dict[str, dict[str, Any]] = {}  # kind -> digest -> value, as read from disk
        self._used: dict[str, dict[str, Any]] = {}  # kind -> digest -> value, touched by this run
        self._dirty: set[str] = set()

    def get(self, kind: str, content: bytes, context: str, compute: Callable[[], T]) -> T:
        digest = self.digest(content, context)
        found, value = self.lookup(kind, digest)
        if not found:
            value = compute()
            self.put(kind, digest, value)
        return value  # what compute() gave, or what the cache kept for it

    @staticmethod
    def digest(content: bytes, context: str) -> str:
        """The key of a value computed from ``content`` at ``context`` (say, a file's path)."""
        return hashlib.sha256(context.encode("utf-8") + b"\0" + content).hexdigest()

    def lookup(self, kind: str, digest: str) -> tuple[bool, Any]:
        """(True, value) if a value of this kind was stored under ``digest``, else (False, None)."""
        if self.directory is None:
            return False, None
        used = self._used.setdefault(kind, {})
        if digest in used:
            return True, used[digest]
        stored = self._bucket(kind)
        if digest in stored:
            used[digest] = stored[digest]
            return True, stored[digest]
        return False, None

    def put(self, kind: str, digest: str, value: Any) -> None:
        if self.directory is None:
            return
        self._used.setdefault(kind, {})[digest] = value
        self._dirty.add(kind)

    def save(self) -> None:
        """Write each kind whose entries changed, keeping only the entries this run used."""
        if self.directory is None:
            return
        directory = self.directory
        writes: list[tuple[Path, dict[str, Any]]] = [
            (directory / f"{kind}.pickle", {"stamp": self._stamp, "entries": dict(used)})
            for kind, used in self._used.items()
            if kind in self._dirty or len(used) != len(self._loaded.get(kind, {}))
        ]
        for path, value in writes:  # what the files hold now: a later save writes only what changes
            self._loaded[path.stem] = value["entries"]
        self._dirty.clear()
        for path, value in writes:
            self._write(path, value)

    def _bucket(self, kind: str) -> dict[str, Any]:
        if kind not in self._loaded:
            self._loaded[kind] = {}
            assert self.directory is not None
            try:
                with (self.directory / f"{kind}.pickle").open("rb") as handle:
                    data = pickle.load(handle)
                if isinstance(data, dict) and data.get("stamp") == self._stamp:
                    self._loaded[kind] = data["entries"]
            except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError, KeyError):
                pass  # missing or unreadable: everything is computed again
        return self._loaded[kind]

    @staticmethod
    def _write(path: Path, value: object) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, path)
        except OSError:
            pass  # a read-only or full disk costs speed, not correctness
