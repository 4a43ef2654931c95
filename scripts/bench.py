"""Benchmark: the checker and the site build on a synthetic site, against baselines measured in the same run.

    python scripts/bench.py [--n 1000] [--refs 2000] [--repeat 1] [--keep DIR]

It writes a synthetic site in the project's own format (N claims of about 300
words with 2-5 citations each, spread over ten articles, and R
references in several .bib files), then measures, each in a fresh process:

- pybtex alone parsing the same .bib files (the checker's cold baseline);
- the checker, cold (no cache) and warm (cache from the previous run);
- our `mkdocs build`, cold and warm, wall time and peak memory;
- the floor: the same pages built by plain mkdocs-material with no hooks and the
  claim pages out of the navigation;

and prints every figure with its baseline and the ratio. Timings are wall-clock
seconds on this machine, each the best of --repeat runs (peak memory: the
largest); compare ratios, not seconds, across machines. Builds write into memory
(/dev/shm) where the machine has it, so that disk writes do not blur the figures
(see output_folder); --keep keeps the synthetic sources, not the built sites.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import queue
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "scripts"
# The claims are spread over this many articles, whatever N. MkDocs renders the whole navigation
# on every page, and the articles are in it: with an article per hundred claims, the floor itself
# grew quadratically (N=3000 took 3.8 times as long as N=1000), which measured MkDocs, not us.
ARTICLES = 10
CACHE_DIR_NAME = "cache"  # inside the synthetic site's folder, passed as FACTCHECK_CACHE_DIR
CHROMIUM = "/usr/bin/chromium"  # Debian's, driven by Playwright, as in the browser tests
READER_SIZES = (30, 3000)  # a first visit at N=3000 may fetch at most 1.1 times what it does at N=30

WORDS = (
    "ketamine", "infusion", "trial", "patients", "depression", "response", "remission", "placebo", "dose", "effect",
    "evidence", "review", "randomised", "cohort", "symptoms", "week", "hours", "study", "analysis", "outcome", "safety",
    "dissociation", "therapy", "clinic",
)
VERDICTS = ["accurate", "mostly-accurate", "needs-context", "unsupported", "misleading", "inaccurate"]
DESIGNS = ["rct", "systematic-review/meta-analysis", "cohort/case-control", "open-label/case-series"]


def _sentence(rng: random.Random, index: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 18))]
    return f"Statement {index} says that " + " ".join(words) + "."


def generate(root: Path, n: int, refs: int, seed: int = 1) -> None:
    """Write a synthetic site with ``n`` claims and ``refs`` references into ``root``."""
    rng = random.Random(seed)
    keys = [f"author{i}{2000 + i % 25}study" for i in range(refs)]
    bib_files = max(1, refs // 500)
    for f in range(bib_files):
        entries = []
        for i in range(f, refs, bib_files):
            entries.append(textwrap.dedent(f"""\
                @article{{{keys[i]},
                  author = {{Author{i}, Alice and Second, Bob B. and Third, Carol and Fourth, D{{\\'a}}vid}},
                  title = {{A randomised study {i} of {{NMDA}} antagonists in treatment-resistant depression}},
                  journal = {{Journal of Synthetic Psychiatry}},
                  year = {{{2000 + i % 25}}},
                  volume = {{{i % 90 + 1}}},
                  number = {{{i % 12 + 1}}},
                  pages = {{{i}--{i + 9}}},
                  doi = {{10.5555/synthetic.{i}}},
                  pmid = {{{10000000 + i}}},
                  design = {{{DESIGNS[i % len(DESIGNS)]}}},
                }}
                """))
        (root / "references").mkdir(parents=True, exist_ok=True)
        (root / "references" / f"refs{f}.bib").write_text("\n".join(entries), encoding="utf-8")

    # The site is a clean one, as a real site is before it is merged: every reference is cited
    # (dealt out in shuffled rounds) and every claim lists what it cites among its sources.
    # A synthetic site with thousands of warnings would time the printing of warnings.
    deck: list[int] = []

    def deal(count: int) -> list[int]:
        chosen: list[int] = []
        while len(chosen) < count:
            if not deck:
                deck.extend(rng.sample(range(refs), refs))
            key = deck.pop()
            if key not in chosen:
                chosen.append(key)
        return chosen

    articles = min(ARTICLES, n)
    claim_index = 0
    for a in range(articles):
        count = n // articles + (1 if a < n % articles else 0)  # as even as N allows
        sentences = [_sentence(rng, claim_index + i) for i in range(count)]
        paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, count, 5)]
        folder = root / "docs" / "articles" / f"article-{a}"
        (folder / "claims").mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_text(
            f'---\ntitle: "Synthetic article {a}"\npublisher: Bench\nurl: https://example.org/{a}\nretrieved: 2026-01-01\n'
            f'summary: "Synthetic summary {a}."\n---\n\n'
            + "\n\n".join(paragraphs) + "\n",
            encoding="utf-8",
        )
        for i, sentence in enumerate(sentences):
            cited = deal(rng.randint(2, 5))
            sources = "".join(f"  - key: {keys[k]}\n    stance: supports\n    note: \"Synthetic.\"\n" for k in cited)
            body_words = []
            for w in range(300):
                body_words.append(rng.choice(WORDS))
                if w % 60 == 59 and cited:  # five places, for up to five citations
                    body_words.append(f"[@{keys[cited.pop()]}]")
            (folder / "claims" / f"claim-{claim_index + i}.md").write_text(
                f'---\nquote: "{sentence}"\nclaim: "Synthetic claim {claim_index + i}."\nclaim_short: "Synthetic claim {claim_index + i}"\n'
                f'verdict: {VERDICTS[i % len(VERDICTS)]}\n'
                f'certainty: very-low\ncertainty_rationale: "Synthetic."\nbottom_line: "It is very uncertain: a synthetic bottom line."\n'
                f"sources:\n{sources}reviewed: 2026-01-01\n---\n" + " ".join(body_words) + "\n",
                encoding="utf-8",
            )
        claim_index += count
    (root / "docs" / "index.md").write_text("# Bench\n", encoding="utf-8")
    (root / "docs" / "claims.md").write_text("---\nfactcheck: claims\n---\n\n# Claims\n\nEvery claim, with its verdict.\n", encoding="utf-8")
    (root / "docs" / "references.md").write_text("---\nfactcheck: references\n---\n\n# References\n\nEvery work cited.\n", encoding="utf-8")
    (root / "docs" / "search.md").write_text("---\nfactcheck: search\n---\n\n# Search\n", encoding="utf-8")
    common = f"""\
site_name: Bench
site_description: A synthetic fact-check site, for measuring.
theme:
  name: material
  font: false
  custom_dir: {SCRIPTS / "overrides"}
not_in_nav: |
  /articles/*/claims/*.md
"""
    # As in the real mkdocs.yml: the site's own script and styles, and its own search index in place of the theme's.
    for assets in ("javascripts", "stylesheets"):
        shutil.copytree(REPO / "docs" / assets, root / "docs" / assets, dirs_exist_ok=True)
    ours = (f"hooks:\n  - {SCRIPTS / 'hooks.py'}\nplugins: []\n"
            "extra_css:\n  - stylesheets/factcheck.css\n  - stylesheets/verdicts.css\nextra_javascript:\n  - javascripts/factcheck.js\n")
    (root / "mkdocs.yml").write_text(common + ours, encoding="utf-8")
    (root / "floor.yml").write_text(common.replace(f"  custom_dir: {SCRIPTS / 'overrides'}\n", "") + "plugins:\n  - search\n", encoding="utf-8")


# A child process measures itself, so that peak memory is the child's own (ru_maxrss), not the bench's.
_CHILD = """
import resource, subprocess, sys, time, json
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_kib": peak, "code": code}))
"""

_PYBTEX = """
import sys
from pathlib import Path
from pybtex.database import parse_file
for path in sorted(Path(sys.argv[1]).glob("*.bib")):
    parse_file(str(path), bib_format="bibtex")
"""


def measure(command: list[str], cwd: Path) -> dict[str, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FACTCHECK_CACHE_DIR": str(cwd / CACHE_DIR_NAME)}
    # Write out what earlier runs left in memory (a build writes 40-50 MB), so that no run pays
    # for writing another's files: without this, the floor's time varied by a third between runs.
    os.sync()
    out = subprocess.run([sys.executable, "-c", _CHILD, *command], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"bench: {' '.join(command)} exited {result['code']}")
    return result


def _empty(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def output_folder(root: Path) -> Path:
    """Where the builds write: memory (/dev/shm) if the machine has it, else beside the sources.

    On this kind of virtual machine the time the kernel took to write a build's 40-50 MB to
    disk varied from 0.1 s to 1.7 s between identical runs, more than the differences measured;
    in memory it does not. Every build, the floor's included, writes to the same place.
    """
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="factcheck-bench-site-", dir=shm))
    return root


def run(n: int, refs: int, keep: Path | None, repeat: int) -> tuple[Path, dict[str, dict[str, float]]]:
    """The synthetic site's folder, and each figure: the best of ``repeat`` runs, interleaved so that
    a busy moment of the machine slows every kind of run alike rather than one of them."""
    root = keep or Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    if keep and keep.exists():
        shutil.rmtree(keep)
    root.mkdir(parents=True, exist_ok=True)
    generate(root, n, refs)
    out = output_folder(root)
    python = sys.executable
    mkdocs = [python, "-m", "mkdocs", "build", "--quiet"]
    checker = [python, str(SCRIPTS / "check_claims.py"), "--root", str(root)]
    cache = root / CACHE_DIR_NAME
    runs: dict[str, list[dict[str, float]]] = {}
    for _ in range(repeat):
        runs.setdefault("pybtex parse", []).append(measure([python, "-c", _PYBTEX, str(root / "references")], root))
        shutil.rmtree(cache, ignore_errors=True)
        runs.setdefault("checker cold", []).append(measure(checker, root))
        runs.setdefault("checker warm", []).append(measure(checker, root))
        # Every build writes into an empty folder, so that no build pays for cleaning another's output.
        runs.setdefault("floor build", []).append(measure([*mkdocs, "-f", "floor.yml", "-d", str(_empty(out / "floor-site"))], root))
        shutil.rmtree(cache, ignore_errors=True)
        runs.setdefault("build cold", []).append(measure([*mkdocs, "-f", "mkdocs.yml", "-d", str(_empty(out / "site"))], root))
        runs.setdefault("build warm", []).append(measure([*mkdocs, "-f", "mkdocs.yml", "-d", str(_empty(out / "site"))], root))
    if out != root:
        shutil.rmtree(out, ignore_errors=True)
    return root, {
        name: {"seconds": min(r["seconds"] for r in rs), "peak_kib": max(r["peak_kib"] for r in rs)}
        for name, rs in runs.items()
    }


# --- editors: from a save to `mkdocs serve` having rebuilt -----------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Server:
    """`mkdocs serve` on the synthetic site, its log lines read as they come, each with its time."""

    def __init__(self, root: Path, dirty: bool) -> None:
        self.port = _free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FACTCHECK_CACHE_DIR": str(root / CACHE_DIR_NAME)}
        command = [sys.executable, "-m", "mkdocs", "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{self.port}", *(["--dirty"] if dirty else [])]
        self.process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put((time.perf_counter(), line))

    def wait_for(self, text: str, timeout: float = 600) -> float:
        """The time the next log line containing ``text`` arrived."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.1, deadline - time.perf_counter()))
            except queue.Empty:
                raise SystemExit(f"bench: mkdocs serve did not log {text!r} within {timeout:.0f} s") from None
            if line.startswith("Traceback"):
                raise SystemExit(f"bench: mkdocs serve failed: {line.strip()}")
            if text in line:
                return at

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def serve_figures(root: Path, repeat: int) -> dict[str, float]:
    """Seconds from saving one claim file to the server having rebuilt, with --dirty (as `make serve`
    runs it) and without: the whole save-to-rebuilt time (the watcher polls every 0.5 s and waits
    0.1 s for more changes), and the rebuild alone (from "Detected file changes" to "Reloading browsers")."""
    claim = next(iter(sorted((root / "docs" / "articles" / "article-0" / "claims").glob("*.md"))))
    original = claim.read_text(encoding="utf-8")
    figures: dict[str, float] = {}
    try:
        for dirty in (True, False):
            name = "serve --dirty" if dirty else "serve"
            server = _Server(root, dirty)
            try:
                server.wait_for("Serving on")
                totals, rebuilds = [], []
                for attempt in range(repeat):
                    time.sleep(1.5)  # past the watcher's next poll: the save is a change of its own
                    claim.write_text(original.rstrip("\n") + f" edited{attempt}{int(dirty)}\n", encoding="utf-8")
                    saved = time.perf_counter()
                    detected = server.wait_for("Detected file changes")
                    done = server.wait_for("Reloading browsers")
                    totals.append(done - saved)
                    rebuilds.append(done - detected)
                figures[f"{name} save-to-rebuilt"] = min(totals)
                figures[f"{name} rebuild"] = min(rebuilds)
            finally:
                server.stop()
    finally:
        claim.write_text(original, encoding="utf-8")
    return figures


# --- readers: what a first visit and a search fetch -----------------------------------------------


def _gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def reader_figures(sizes: tuple[int, ...], out: Path) -> dict[int, dict[str, float]] | str:
    """For a site of each size (built here): the gzipped bytes a first visit to a claim page fetches
    (HTML, CSS, JS, fonts, images and anything fetched on load), and on the search page the bytes a
    query fetches and the time to its first result, in headless Chromium. A string says why not."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "skipped: Playwright is not installed (requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"skipped: no Chromium at {CHROMIUM}"
    figures: dict[int, dict[str, float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            for n in sizes:
                root = Path(tempfile.mkdtemp(prefix=f"factcheck-bench-readers-{n}-"))
                try:
                    generate(root, n, 2 * n)
                    site = _empty(out / f"readers-{n}")
                    measure([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", "mkdocs.yml", "-d", str(site)], root)
                    figures[n] = _visit(browser, site)
                finally:
                    shutil.rmtree(root, ignore_errors=True)
        finally:
            browser.close()
    return figures


@contextlib.contextmanager
def served(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] | None = None) -> Iterator[str]:
    """``folder`` served over HTTP on 127.0.0.1 for the length of the block; yields its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler or _QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _visit(browser: Any, site: Path) -> dict[str, float]:
    with served(site) as base:
        context = browser.new_context(viewport={"width": 390, "height": 800})
        fetched: list[bytes] = []
        context.on("response", lambda response: fetched.append(response.body()) if response.ok else None)
        page = context.new_page()
        page.goto(base + "articles/article-0/claims/claim-0/", wait_until="networkidle")
        first_visit = sum(_gzipped(body) for body in fetched)
        page.goto(base + "search/", wait_until="networkidle")
        fetched.clear()
        started = time.perf_counter()
        page.fill("#fc-search-input", "dissociation")
        page.wait_for_selector("#fc-search-results li", timeout=30_000)
        first_result = time.perf_counter() - started
        page.wait_for_load_state("networkidle")
        query_bytes = sum(_gzipped(body) for body in fetched)
        context.close()
    return {"first visit bytes": first_visit, "query bytes": query_bytes, "first result seconds": first_result}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass



def report(n: int, refs: int, results: dict[str, dict[str, float]]) -> list[str]:
    r = results
    floor, parse = r["floor build"]["seconds"], r["pybtex parse"]["seconds"]
    lines = [
        f"N={n} claims, R={refs} references",
        f"  pybtex parse alone       {parse:7.2f} s",
        f"  checker cold             {r['checker cold']['seconds']:7.2f} s   {r['checker cold']['seconds'] / parse:5.2f}x pybtex parse (target <= 1.25x)",
        f"  checker warm             {r['checker warm']['seconds']:7.2f} s   (target < 1 s)",
        f"  floor build (material)   {floor:7.2f} s   peak {r['floor build']['peak_kib'] / 1024:6.0f} MiB",
        f"  our build cold           {r['build cold']['seconds']:7.2f} s   {r['build cold']['seconds'] / floor:5.2f}x floor (target <= 2x)",
        f"  our build warm           {r['build warm']['seconds']:7.2f} s   {r['build warm']['seconds'] / floor:5.2f}x floor (target <= 1.3x)",
        f"  our build peak memory    {r['build warm']['peak_kib'] / 1024:7.0f} MiB "
        f"{r['build warm']['peak_kib'] / r['floor build']['peak_kib']:5.2f}x floor (target <= 1.5x)",
    ]
    return lines


def report_serve(figures: dict[str, float], warm_build: float) -> list[str]:
    total, rebuild = figures["serve --dirty save-to-rebuilt"], figures["serve --dirty rebuild"]
    return [
        "  editors: one claim file saved under `mkdocs serve --dirty` (make serve)",
        f"  save to rebuilt          {total:7.2f} s   {total / warm_build:5.2f}x our warm build (target <= 0.5x; aim 1 s)",
        f"    of which the rebuild   {rebuild:7.2f} s   (the rest: the watcher's 0.5 s polling and 0.1 s wait)",
        f"  without --dirty          {figures['serve save-to-rebuilt']:7.2f} s   (the rebuild {figures['serve rebuild']:.2f} s)",
    ]


def report_readers(figures: dict[int, dict[str, float]] | str) -> list[str]:
    if isinstance(figures, str):
        return [f"  readers: {figures}"]
    small, large = (figures[n] for n in READER_SIZES)
    first, query = small["first visit bytes"], large["first visit bytes"]
    return [
        f"  readers: a claim page's first visit, gzipped, N={READER_SIZES[0]} vs N={READER_SIZES[1]} (headless Chromium, 390 px)",
        f"  first visit N={READER_SIZES[0]:<5}      {first / 1024:7.1f} KiB",
        f"  first visit N={READER_SIZES[1]:<5}      {query / 1024:7.1f} KiB {query / first:5.2f}x (target <= 1.1x)",
        f"  search 'dissociation'    {large['query bytes'] / 1024:7.1f} KiB fetched, first result in {large['first result seconds']:.2f} s "
        f"at N={READER_SIZES[1]} (N={READER_SIZES[0]}: {small['query bytes'] / 1024:.1f} KiB, {small['first result seconds']:.2f} s)",
    ]


def report_growth(small: dict[str, dict[str, float]], large: dict[str, dict[str, float]], n: int, m: int) -> list[str]:
    """Time and peak memory from N=n to N=m; the target allows 3.3x per 3x claims (1.1x per claim)."""
    allowed = 1.1 * m / n
    lines = [f"  growth N={n} -> N={m} ({m / n:.2f}x claims; target <= {allowed:.2f}x)"]
    for name in ("checker cold", "checker warm", "build cold", "build warm"):
        lines.append(f"    {name:13} time {large[name]['seconds'] / small[name]['seconds']:5.2f}x   "
                     f"peak memory {large[name]['peak_kib'] / small[name]['peak_kib']:5.2f}x")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.py", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of claims (default 1000)")
    parser.add_argument("--refs", type=int, default=None, help="number of references (default 2 x N)")
    parser.add_argument("--growth", action="store_true", help="also build and check at 3 x N and 10 x N, and print the growth")
    parser.add_argument("--keep", type=Path, default=None, help="write the synthetic site here and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is reported (default 3)")
    parser.add_argument("--only", choices=["core", "serve", "readers"], action="append",
                        help="measure only these (repeatable); default: all")
    args = parser.parse_args(argv)
    only = set(args.only or ["core", "serve", "readers"])
    refs = args.refs if args.refs is not None else 2 * args.n
    started = time.perf_counter()
    root, results = run(args.n, refs, args.keep, args.repeat if "core" in only else 1)
    try:
        if "core" in only:
            print("\n".join(report(args.n, refs, results)))
        if "serve" in only:
            print("\n".join(report_serve(serve_figures(root, args.repeat), results["build warm"]["seconds"])))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    if "readers" in only:
        out = output_folder(Path(tempfile.gettempdir()))
        try:
            print("\n".join(report_readers(reader_figures(READER_SIZES, out))))
        finally:
            if out != Path(tempfile.gettempdir()):
                shutil.rmtree(out, ignore_errors=True)
    if args.growth:
        previous, previous_n = results, args.n
        for factor in (3, 10):
            big_root, big = run(factor * args.n, factor * refs, None, args.repeat)
            shutil.rmtree(big_root, ignore_errors=True)
            print("\n".join(report(factor * args.n, factor * refs, big)))
            print("\n".join(report_growth(previous, big, previous_n, factor * args.n)))
            previous, previous_n = big, factor * args.n
    print(f"(bench took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
