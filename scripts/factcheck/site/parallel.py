"""Work on the second core of a large site: parsing the files, writing the data files, rendering pages.

Each use is kept because scripts/bench.py shows it saves at least a tenth of the time it runs
in (parsing: the cold checker; data files and pages: the build); the commands and the build
decide to use it, no other module does.

Used only where it is safe and pays (``can_fork``): the ``fork`` start method (a child
inherits the loaded modules and the data and starts in milliseconds, where ``spawn`` would
import everything again), more than one core, and a process with a single thread (forking one
with other threads, as ``mkdocs serve`` has, can copy a lock another thread holds); and, where
the callers say so, at least MIN_ITEMS items. Anywhere else the work is done in this process,
with the same result.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

# Below this, starting a process costs more than it saves.
MIN_ITEMS = 200


def map_chunks(
    function: Callable[[C, list[T]], list[R]],
    context: C,
    items: Sequence[T],
    cost: Callable[[T], int],
    workers: int = 2,
) -> list[R]:
    """``function(context, items)``, computed in up to ``workers`` processes when that is safe and pays.

    ``function`` maps a list of items to a list of results, one per item, in order. The items
    are cut into one share of about equal ``cost`` per process; this process computes the
    first share while forked children compute the others and send back their results. A child
    inherits the items from this process's memory: only the results travel, pickled.
    """
    workers = min(workers, os.cpu_count() or 1)
    if workers < 2 or len(items) < MIN_ITEMS or not can_fork():
        return function(context, list(items))
    shares = split(items, cost, workers)
    others = [submit(function, context, share) for share in shares[1:]]
    results = function(context, shares[0])
    for other in others:
        results += other.result()
    return results


class Pending(Generic[R]):
    """A result that a forked child is computing (see ``submit``), or one computed already."""

    def __init__(self, function: Callable[..., R], args: tuple[Any, ...], child: Any = None, reader: Connection | None = None):
        self._function, self._args = function, args
        self._child, self._reader = child, reader
        self._value: R | None = None
        if child is None:
            self._value = function(*args)

    def result(self) -> R:
        """The result, once the child has sent it; what the function raised is raised here."""
        if self._child is None or self._reader is None:
            return self._value  # type: ignore[return-value]
        try:
            failed, value = self._reader.recv()
        except (EOFError, OSError):  # the child died (out of memory, say): compute it here instead
            failed, value = False, self._function(*self._args)
        finally:
            self._reader.close()
            self._child.join()
            self._child = self._reader = None
        if failed:
            raise value
        self._value = value
        return value


def submit(function: Callable[..., R], *args: Any, fork: bool = True) -> Pending[R]:
    """``function(*args)`` in a forked child while this process goes on, where that is safe; else now.

    The child inherits ``args`` from this process's memory; only the result travels, pickled.
    ``fork=False`` (little work, say) computes it now in any case.
    """
    if not fork or not can_fork():
        return Pending(function, args)
    forking = _forking()
    reader, writer = forking.Pipe(duplex=False)
    child = forking.Process(target=_send_result, args=(writer, function, args), daemon=True)
    child.start()
    writer.close()
    return Pending(function, args, child, reader)


def _send_result(writer: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        writer.send((False, function(*args)))
    except BaseException as exc:  # the parent raises it, as if it had called the function itself
        writer.send((True, exc))
    finally:
        writer.close()


def _forking() -> multiprocessing.context.ForkContext:
    # A child flushes its copy of sys.stdout and sys.stderr when it ends (multiprocessing does),
    # so text still buffered here at the fork would be printed twice.
    sys.stdout.flush()
    sys.stderr.flush()
    return multiprocessing.get_context("fork")


def can_fork() -> bool:
    """True where a forked child can work beside this process: see the module's docstring."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
    )


def split(items: Sequence[T], cost: Callable[[T], int], count: int) -> list[list[T]]:
    """``items`` in at most ``count`` consecutive chunks of about equal cost, none empty."""
    total = sum(cost(item) for item in items) or 1
    chunks: list[list[T]] = [[]]
    spent = 0
    for item in items:
        weight = cost(item)
        # An item goes to the next chunk if most of it lies beyond this chunk's share.
        if chunks[-1] and spent + weight / 2 > total * len(chunks) / count and len(chunks) < count:
            chunks.append([])
        chunks[-1].append(item)
        spent += weight
    return chunks


class Ahead:
    """Texts that a forked child computes in order, ahead of the moment this process needs them.

    The child writes each text into a scratch file shared with this process and sends where it
    is; ``take`` gives a text the child has finished (``wait``: once it has), or None, and then the
    caller computes it itself. Nothing is held in memory but the index: a text stays in the file
    until it is taken. Where forking is not safe, or for fewer than MIN_ITEMS jobs, no child
    starts and ``take`` always says None.
    """

    def __init__(self, jobs: Sequence[tuple[str, Callable[[], str]]]) -> None:
        self._index: dict[str, tuple[int, int]] = {}
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - open until close(), for the child and for take()
        self._child: Any = None
        self._reader: Connection | None = None
        self._pending = {key for key, _ in jobs}  # what the child has yet to send
        if len(jobs) < MIN_ITEMS or not can_fork():
            self._pending.clear()
            return
        forking = _forking()
        self._reader, writer = forking.Pipe(duplex=False)
        self._child = forking.Process(target=_compute_ahead, args=(jobs, self._file.fileno(), writer), daemon=True)
        self._child.start()
        writer.close()

    def take(self, key: str, wait: bool = False) -> str | None:
        """The text of ``key`` if the child has computed it; with ``wait``, once it has (unless it failed)."""
        while self._reader is not None:
            try:
                if not self._reader.poll(None if wait and key in self._pending and key not in self._index else 0):
                    break
                batch = self._reader.recv()
            except (EOFError, OSError):  # the child has finished (or died): what it sent stays usable
                self._reader.close()
                self._reader = None
                break
            self._index.update(batch)
            self._pending.difference_update(batch)
        where = self._index.pop(key, None)
        if where is None:
            return None
        offset, length = where
        return os.pread(self._file.fileno(), length, offset).decode("utf-8")

    def close(self) -> None:
        if self._child is not None:
            self._child.terminate()  # done already, unless this process needed nothing more from it
            self._child.join()
            self._child = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self._file.close()


def _compute_ahead(jobs: Sequence[tuple[str, Callable[[], str]]], fd: int, writer: Connection) -> None:
    offset = 0
    batch: dict[str, tuple[int, int]] = {}
    sent = time.monotonic()
    try:
        for key, compute in jobs:
            data = compute().encode("utf-8")
            written = 0
            while written < len(data):
                written += os.pwrite(fd, data[written:], offset + written)
            batch[key] = (offset, len(data))
            offset += len(data)
            # A message per page would cost more than it saves; a long page (the parent may be
            # waiting for it) is sent at once.
            if len(batch) >= 32 or time.monotonic() - sent > 0.02:
                writer.send(batch)
                batch = {}
                sent = time.monotonic()
    except BaseException:
        pass  # whatever failed here, the parent computes, and raises, itself
    finally:
        if batch:
            writer.send(batch)
        writer.close()
