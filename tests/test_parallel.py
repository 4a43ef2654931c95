"""Work on several cores (factcheck.parallel): parsing, data files and pages come out as from one process."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from conftest import SCRIPTS, TinySite, claim_path
from factcheck.reading.cache import Cache
from factcheck.reading.loading import Layout, load
from factcheck.site import parallel


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
from factcheck.site import parallel
from factcheck.reading.cache import Cache
from factcheck.reading.loading import Layout, load

chunks = []
split = parallel.split
parallel.split = lambda *args: chunks.append(split(*args)) or chunks[-1]
parallel.MIN_ITEMS = 1
layout = Layout.at(Path(sys.argv[1]))
alone = load(layout, Cache(None))
assert chunks == [], chunks
assert parallel.can_fork()
shared = load(layout, Cache(None), parallel.map_chunks)
assert len(chunks[0]) == 2, chunks  # one share for this process, one for a child
assert sum(len(chunk) for chunk in chunks[0]) == 7, chunks  # an article, 4 claims and 2 .bib files
assert shared == alone
print(sorted({problem.rule for problem in shared.problems}))
"""


def test_parallel_loading_gives_what_loading_in_one_process_gives(tiny: TinySite) -> None:
    # Problems must come back from the workers too: a broken claim, a broken entry, a number for text.
    tiny.write(claim_path("broken"), "---\nquote: [unclosed\n---\nBody.\n")
    tiny.write("references/extra.bib", "@article{broken,\n  title = {No closing brace\n")
    tiny.replace(claim_path("works-fast"), 'claim: "Ketamine relieves depression within hours."', "claim: 42")
    result = subprocess.run(
        [sys.executable, "-c", _COMPARE, str(tiny.root)], capture_output=True, text=True, check=False, timeout=60,
        env={**os.environ, "PYTHONPATH": str(SCRIPTS)},
    )
    assert result.returncode == 0, result.stderr
    rules = ast.literal_eval(result.stdout.strip())
    assert {"front-matter", "bib-syntax", "wrong-type"} <= set(rules)


def test_no_fork_while_another_thread_runs(tiny: TinySite, chunks_made: list[int]) -> None:
    # mkdocs serve has a server thread and a watcher: forking then could copy a lock one of them holds.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        load(Layout.at(tiny.root), Cache(None), parallel.map_chunks)
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


# Each in a fresh interpreter too: forking needs this process to have a single thread.
_AHEAD = """
from factcheck.site import parallel

parallel.MIN_ITEMS = 1
def text(i):
    if i == 30:
        raise ValueError("the child stops here; the parent computes the rest")
    return f"page {i} é " * 50

ahead = parallel.Ahead([(str(i), lambda i=i: text(i)) for i in range(40)])
ahead._child.join(60)  # wait until the child is done, rather than guess how long it takes
taken = [ahead.take(str(i)) for i in range(40)]
assert taken[:30] == [text(i) for i in range(30)], taken[:3]
assert taken[30:] == [None] * 10
assert ahead.take("0") is None  # taken once
assert ahead.take("unknown") is None
ahead.close()

pending = parallel.submit(text, 3)
assert pending.result() == text(3) and pending.result() == text(3)
failing = parallel.submit(text, 30)
try:
    failing.result()
except ValueError as exc:
    assert "child stops here" in str(exc)
else:
    raise AssertionError("the child's error was not raised")
print("ok")
"""


def _run(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False, timeout=120,
        env={**os.environ, "PYTHONPATH": str(SCRIPTS), "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_texts_computed_ahead_by_a_child_are_the_texts_and_errors_come_back() -> None:
    assert _run(_AHEAD) == "ok"


_BUILD = """
import os, sys
if os.environ.get("FACTCHECK_ENGINE") == "properdocs":
    import properdocs.replacement
from factcheck.site import parallel
from mkdocs.commands.build import build
from mkdocs.config import load_config

parallel.MIN_ITEMS = 1
if sys.argv[3] == "alone":
    parallel.can_fork = lambda: False
build(load_config(sys.argv[1] + "/mkdocs.yml", site_dir=sys.argv[2]))
"""


def test_a_build_with_forked_children_writes_the_same_site_as_one_without(tiny: TinySite) -> None:
    tiny.write_all({
        "docs/claims.md": "---\nfactcheck: claims\n---\n\n# All claims\n",
        "docs/references.md": "---\nfactcheck: references\n---\n\n# References\n",
    })
    sites = {}
    for mode in ("forked", "alone"):
        folder = tiny.root / f"site-{mode}"
        _run(_BUILD, str(tiny.root), str(folder), mode)
        sites[mode] = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert "claims.json" in sites["forked"] and "articles/test-article/claims/works-fast/index.html" in sites["forked"]
    # sitemap.xml carries the build date; everything else must match byte for byte
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        sites["forked"].pop(name), sites["alone"].pop(name)
    assert sites["forked"] == sites["alone"]
