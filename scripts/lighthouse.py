"""Lighthouse's scores for the main page types, on the real site and on a synthetic site of N claims.

    python scripts/lighthouse.py [--n 3000] [--runs 1] [--json FILE]

Runs Lighthouse (npm, pinned in scripts/lighthouse/package.json, installed there on first use)
in its default mobile preset, with Debian's Chromium, on the home page, the article, a claim,
the claims index, the references and the search page, served from this machine with gzip as
GitHub Pages serves them. Prints each page's performance, accessibility, best-practices and
SEO scores (0-100) and the largest contentful paint; the aim is at least 98 everywhere. With
--runs above one, each figure is the median. Needs node, npm and /usr/bin/chromium; nothing
else is fetched but the npm packages, once.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import bench  # noqa: E402 - the synthetic site, and a local server

TOOL = REPO / "scripts" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REAL_PAGES = {
    "home": "", "article": "articles/kap-a-word-of-caution/", "claim": "articles/kap-a-word-of-caution/claims/gold-standard/",
    "claims index": "claims/", "references": "references/", "search": "search/",
}
SYNTHETIC_PAGES = {
    "home": "", "article": "articles/article-0/", "claim": "articles/article-0/claims/claim-0/",
    "claims index": "claims/", "references": "references/", "search": "search/",
}
COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".jsonld", ".csv", ".txt")


class _Gzipped(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped as GitHub Pages sends it: Lighthouse's mobile preset weighs transfer sizes."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()  # anything else, and the redirect of a folder's address to its slash
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def _install() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if shutil.which("npm") is None:
            raise SystemExit("lighthouse.py: needs npm (apt-get install npm)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=TOOL, check=True)
    return binary


def _build(root: Path, site: Path, config: str = "mkdocs.yml") -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FACTCHECK_SITE_URL": "http://127.0.0.1:8000/"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", config, "-d", str(site)], cwd=root, env=env, check=True)


def audit(binary: Path, url: str, report: Path) -> dict[str, float] | str:
    """One Lighthouse run on ``url`` (mobile preset): each category's score out of 100, and LCP in seconds,
    or why Lighthouse gave none (a page too big for it to audit is a finding, not a crash)."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    flags = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
    try:
        done = subprocess.run([str(binary), url, "--quiet", f"--chrome-flags={flags}", "--output=json", f"--output-path={report}",
                               f"--only-categories={','.join(CATEGORIES)}"], env=env, timeout=300, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return "no report within 300 s"
    if done.returncode != 0:
        said = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        return said[-1][:160] if said else f"Lighthouse exited with status {done.returncode}"
    result = json.loads(report.read_text(encoding="utf-8"))
    figures: dict[str, float] = {name: round(100 * (result["categories"][name]["score"] or 0)) for name in CATEGORIES}
    figures["lcp"] = result["audits"]["largest-contentful-paint"]["numericValue"] / 1000
    return figures


def run(site: Path, pages: dict[str, str], binary: Path, runs: int) -> dict[str, dict[str, float] | str]:
    """Each page's median figures over ``runs`` audits, or, when no run gave figures, why the last one failed."""
    results: dict[str, dict[str, float] | str] = {}
    with bench.served(site, _Gzipped) as base, tempfile.TemporaryDirectory() as scratch:
        for name, path in pages.items():
            tried = [audit(binary, base + path, Path(scratch) / "report.json") for _ in range(runs)]
            found = [t for t in tried if isinstance(t, dict)]
            results[name] = {key: statistics.median(f[key] for f in found) for key in found[0]} if found else str(tried[-1])
    return results


def table(title: str, results: dict[str, dict[str, float] | str]) -> list[str]:
    lines = [title, f"  {'page':14} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'LCP':>7}"]
    for name, r in results.items():
        if isinstance(r, str):
            lines.append(f"  {name:14} no scores: {r}")
        else:
            lines.append(f"  {name:14} {r['performance']:5.0f} {r['accessibility']:5.0f} {r['best-practices']:5.0f} {r['seo']:5.0f} {r['lcp']:6.2f}s")
    scored = [r for r in results.values() if isinstance(r, dict)]
    if scored:
        lowest = min(r[c] for r in scored for c in CATEGORIES)
        lines.append(f"  lowest score {lowest:.0f} (aim: at least 98 everywhere)")
    failed = len(results) - len(scored)
    if failed:
        lines.append(f"  {failed} page(s) Lighthouse could not audit")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lighthouse.py", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="claims in the synthetic site (default 3000; 0: the real site only)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median is reported (default 1)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"lighthouse.py: needs Debian's chromium at {CHROMIUM}")
    binary = _install()
    everything: dict[str, dict[str, dict[str, float] | str]] = {}
    with tempfile.TemporaryDirectory(prefix="factcheck-lighthouse-") as scratch:
        real = Path(scratch) / "real"
        _build(REPO, real)
        everything["real site"] = run(real, REAL_PAGES, binary, args.runs)
        print("\n".join(table("The real site (mobile preset)", everything["real site"])))
        if args.n:
            root = Path(scratch) / "synthetic"
            bench.generate(root, args.n, 2 * args.n)
            _build(root, root / "site")
            name = f"synthetic site, N={args.n}"
            everything[name] = run(root / "site", SYNTHETIC_PAGES, binary, args.runs)
            print("\n".join(table(f"The synthetic site at N={args.n} (mobile preset)", everything[name])))
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2) + "\n", encoding="utf-8")
    return 1 if any(isinstance(r, str) for pages in everything.values() for r in pages.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
