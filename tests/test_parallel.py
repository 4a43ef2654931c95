"""Parsing on several cores (factcheck.parallel): the same result as parsing in one process."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from conftest import SCRIPTS, TinySite, claim_path
from factcheck import parallel
from factcheck.cache import Cache
from factcheck.loading import Layout, load


@pytest.fixture
def chunks_made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every site is 'large' (MIN_ITEMS = 1); records the chunk sizes each time work is forked out."""
    made: list[int] = []
    split = parallel.split

    def spy(*args: object, **kwargs: object) -> list[list[object]]:
        chunks = split(*args, **kwargs)  # type: ignore[arg-type]
        made.extend(len(chunk) for chunk in chunks)
        return chunks

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "split", spy)
    yield made


# Run in a fresh interpreter: this test process has other threads by now (browsers, servers),
# and parallel loading rightly refuses to fork then.
_COMPARE = """
import sys
from pathlib import Path
from factcheck import parallel
from factcheck.cache import Cache
from factcheck.loading import Layout, load

chunks = []
split = parallel.split
parallel.split = lambda *args: chunks.append(split(*args)) or chunks[-1]
parallel.MIN_ITEMS = 1
layout = Layout.at(Path(sys.argv[1]))
alone = load(layout, Cache(None), workers=1)
assert chunks == [], chunks
assert parallel.can_fork()
shared = load(layout, Cache(None), workers=2)
assert len(chunks[0]) == 2, chunks  # one share for this process, one for a child
assert sum(len(chunk) for chunk in chunks[0]) == 6, chunks  # 4 claims and 2 .bib files
assert shared == alone
print(sorted({problem.rule for problem in shared.problems}))
"""


def test_parallel_loading_gives_what_loading_in_one_process_gives(tiny: TinySite) -> None:
    # Problems must come back from the workers too: a broken claim, a broken entry, a bad link.
    tiny.write(claim_path("broken"), "---\nquote: [unclosed\n---\nBody.\n")
    tiny.write("references/extra.bib", "@article{broken,\n  title = {No closing brace\n")
    tiny.replace(claim_path("works-fast"), "A small randomised trial", "[A link](javascript:alert(1)) A small randomised trial")
    result = subprocess.run(
        [sys.executable, "-c", _COMPARE, str(tiny.root)], capture_output=True, text=True, check=False, timeout=60,
        env={**os.environ, "PYTHONPATH": str(SCRIPTS)},
    )
    assert result.returncode == 0, result.stderr
    rules = ast.literal_eval(result.stdout.strip())
    assert {"front-matter", "bib-syntax", "unsafe-link"} <= set(rules)


def test_no_fork_while_another_thread_runs(tiny: TinySite, chunks_made: list[int]) -> None:
    # mkdocs serve has a server thread and a watcher: forking then could copy a lock one of them holds.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        load(Layout.at(tiny.root), Cache(None), workers=2)
    finally:
        stop.set()
        other.join()
    assert chunks_made == []


def test_chunks_keep_the_order_and_share_the_cost() -> None:
    items = list(range(1, 101))
    chunks = parallel.split(items, lambda item: item, 4)
    assert [item for chunk in chunks for item in chunk] == items
    assert len(chunks) == 4
    costs = [sum(chunk) for chunk in chunks]
    assert max(costs) - min(costs) <= 100  # within one item of an even share
    assert parallel.split([5], lambda item: item, 8) == [[5]]
    assert parallel.split([], lambda item: 1, 3) == [[]]
