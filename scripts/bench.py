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
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "scripts"
# The claims are spread over this many articles, whatever N. MkDocs renders the whole navigation
# on every page, and the articles are in it: with an article per hundred claims, the floor itself
# grew quadratically (N=3000 took 3.8 times as long as N=1000), which measured MkDocs, not us.
ARTICLES = 10
CACHE_DIR_NAME = "cache"  # inside the synthetic site's folder, passed as FACTCHECK_CACHE_DIR

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
    (root / "docs" / "claims.md").write_text("---\nfactcheck: claims\n---\n\n# Claims\n", encoding="utf-8")
    (root / "docs" / "references.md").write_text("---\nfactcheck: references\n---\n\n# References\n", encoding="utf-8")
    common = f"""\
site_name: Bench
theme:
  name: material
  font: false
  custom_dir: {SCRIPTS / "overrides"}
not_in_nav: |
  /articles/*/claims/*.md
"""
    # As in the real mkdocs.yml: the build writes its own search index in place of the theme's.
    (root / "mkdocs.yml").write_text(common + f"hooks:\n  - {SCRIPTS / 'hooks.py'}\nplugins: []\n", encoding="utf-8")
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


def run(n: int, refs: int, keep: Path | None, repeat: int) -> dict[str, dict[str, float]]:
    """Each figure is the best of ``repeat`` runs, interleaved so that a busy moment of the machine
    slows every kind of run alike rather than one of them."""
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
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    if out != root:
        shutil.rmtree(out, ignore_errors=True)
    return {
        name: {"seconds": min(r["seconds"] for r in rs), "peak_kib": max(r["peak_kib"] for r in rs)}
        for name, rs in runs.items()
    }


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.py", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of claims (default 1000)")
    parser.add_argument("--refs", type=int, default=None, help="number of references (default 2 x N)")
    parser.add_argument("--growth", action="store_true", help="also run at 3 x N and print the growth ratios")
    parser.add_argument("--keep", type=Path, default=None, help="write the synthetic site here and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is reported (default 3)")
    args = parser.parse_args(argv)
    refs = args.refs if args.refs is not None else 2 * args.n
    started = time.perf_counter()
    results = run(args.n, refs, args.keep, args.repeat)
    print("\n".join(report(args.n, refs, results)))
    if args.growth:
        big = run(3 * args.n, 3 * refs, None, args.repeat)
        print("\n".join(report(3 * args.n, 3 * refs, big)))
        for name in ("checker warm", "checker cold", "build warm", "build cold"):
            print(f"  growth {name:13} N x3: {big[name]['seconds'] / results[name]['seconds']:5.2f}x (target <= 3.3x)")
    print(f"(bench took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
