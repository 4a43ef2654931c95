"""Tiny fact-check sites in temporary folders: write files, run the checker, build with MkDocs."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# The engine the tests build with: MkDocs (the default), ProperDocs (`make test-properdocs`), or
# Zensical for the real site only (the browser tests of the Zensical CI job).
ENGINE = os.environ.get("FACTCHECK_ENGINE", "mkdocs")
if ENGINE == "properdocs":
    import properdocs.replacement  # noqa: F401 - from here on every mkdocs.* import is ProperDocs'
ENGINE_MODULE = "properdocs" if ENGINE == "properdocs" else "mkdocs"

import check_claims  # noqa: E402 - after the engine is chosen

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "scripts"

from factcheck.model.vocabularies import load as _vocabularies  # noqa: E402

# The verdict scale, read from vocabularies.yml: adding a verdict there needs no test edited.
VERDICT_IDS = [term.id for term in _vocabularies().verdict.terms]
VERDICTS = ", ".join(VERDICT_IDS)

ARTICLE_TEXT = (
    "Ketamine works within hours. It is safe for everyone, say our doctors.\n\n"
    "Book your infusion today. Ketamine works within hours for most patients."
)

SITE_URL = "https://factcheck.example.org/"
LOCAL_SITE_URL = "http://127.0.0.1:8000/"  # the real site's address in tests, as `make build` gives it
MKDOCS_YML = f"""\
site_name: Test site
site_url: {SITE_URL}
theme:
  name: material
  font: false
  custom_dir: {SCRIPTS / "overrides"}
hooks:
  - {SCRIPTS / "hooks.py"}
plugins: []
extra_css:
  - stylesheets/verdicts.css
not_in_nav: |
  /articles/*/claims/*.md
"""

ARTICLE = f"""\
---
title: "A test article"
publisher: Test Clinic
url: https://example.org/article
retrieved: 2026-01-01
summary: "Partly true: ketamine works fast, but it is not safe for everyone."
non_claims:
  - quote: "Book your infusion today."
    reason: advertising
  - quote: "say our doctors"
    reason: framing
---

{ARTICLE_TEXT}
"""

FAST = """\
---
quote: "Ketamine works within hours."
claim: "Ketamine relieves depression within hours."
claim_short: "Ketamine relieves depression within hours"
verdict: accurate
certainty: moderate
certainty_rationale: "Small trials."
bottom_line: "Ketamine probably relieves depression within hours."
sources:
  - key: berman2000
    stance: supports
    note: "Improvement within 72 hours."
reviewed: 2026-01-01
---
A small randomised trial found improvement within hours [@berman2000, p. 352].
"""

SAFE = """\
---
quote: "It is safe for everyone"
claim: "Ketamine is safe for everyone."
claim_short: "Ketamine is safe for everyone"
verdict: inaccurate
certainty: low
certainty_rationale: "Observational data."
bottom_line: "Ketamine may cause side effects."
sources:
  - key: short2018
    stance: contradicts
    note: "Side effects were common."
  - key: berman2000
    stance: context
    note: "Early trial."
reviewed: 2026-01-01
---
Side effects are common [@short2018; @berman2000].
"""

MOST = """\
---
quote: "Ketamine works within hours for most patients."
claim: "Most patients respond to ketamine."
claim_short: "Most patients respond to ketamine"
verdict: needs-context
certainty: very-low
certainty_rationale: "Indirect."
bottom_line: "It is very uncertain whether most patients respond; many do."
sources:
  - key: berman2000
    stance: qualifies
    note: "Small sample."
reviewed: 2026-01-01
---
Response rates vary [@berman2000].
"""

BIB = """\
@article{berman2000,
  author = {Berman, Robert M. and Cappiello, Angela and Anand, Amit},
  title = {Antidepressant effects of ketamine in depressed patients},
  journal = {Biological Psychiatry},
  year = {2000},
  volume = {47},
  number = {4},
  pages = {351--354},
  doi = {10.1016/S0006-3223(99)00230-9},
  pmid = {10686270},
  design = {rct},
}

@article{short2018,
  author = {Short, Brooke and Fong, Joanna},
  title = {Side-effects associated with ketamine use in depression: a systematic review},
  journal = {The Lancet Psychiatry},
  year = {2018},
  doi = {10.1016/S2215-0366(17)30272-9},
  pmid = {28757132},
  design = {cohort/case-control},
}
"""

SLUG = "test-article"
ARTICLE_PATH = f"docs/articles/{SLUG}/index.md"
CLAIMS = f"docs/articles/{SLUG}/claims"


def claim_path(claim_id: str) -> str:
    return f"{CLAIMS}/{claim_id}.md"


def default_files() -> dict[str, str]:
    return {
        "mkdocs.yml": MKDOCS_YML,
        "docs/index.md": "# Home\n",
        ARTICLE_PATH: ARTICLE,
        claim_path("works-fast"): FAST,
        claim_path("safe-for-everyone"): SAFE,
        claim_path("most-patients"): MOST,
        "references/main.bib": BIB,
    }


@dataclass
class CheckResult:
    code: int
    lines: list[str]
    stderr: str

    @property
    def problems(self) -> list[str]:
        return self.lines[:-1]

    @property
    def summary(self) -> str:
        return self.lines[-1]


class TinySite:
    """A fact-check site in a temporary folder, valid until a test changes it."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        self.write_all(default_files())

    def write(self, path: str, text: str | bytes) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return target

    def write_all(self, files: dict[str, str]) -> None:
        for path, text in files.items():
            self.write(path, text)

    def remove(self, path: str) -> None:
        (self.root / path).unlink()

    def replace(self, path: str, old: str, new: str) -> None:
        target = self.root / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    def check(self, *args: str) -> CheckResult:
        self.capsys.readouterr()
        code = check_claims.main(["--root", str(self.root), "--today", "2026-06-01", *args])
        captured = self.capsys.readouterr()
        return CheckResult(code, captured.out.splitlines(), captured.err)

    def build(self, strict: bool = True) -> dict[str, str]:
        """Build with MkDocs in-process; return every HTML page by its path in site/."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        config = load_config(str(self.root / "mkdocs.yml"), strict=strict, site_dir=str(self.root / "site"))
        build(config)
        site = self.root / "site"
        return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


@pytest.fixture
def tiny(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> TinySite:
    return TinySite(tmp_path, capsys)


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` as a test author (no signing, whatever the user's configuration); its output."""
    identity = ("-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false")
    return subprocess.run(["git", "-C", str(root), *identity, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tiny: TinySite) -> TinySite:
    """The tiny site as a git repository: one commit, on the branch main."""
    git(tiny.root, "init", "-q", "-b", "main")
    git(tiny.root, "add", "-A")
    git(tiny.root, "commit", "-q", "-m", "base")
    return tiny


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests share one cache of their own, never the developer's ~/.cache."""
    previous = os.environ.get("FACTCHECK_CACHE_DIR")
    os.environ["FACTCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        del os.environ["FACTCHECK_CACHE_DIR"]
    else:
        os.environ["FACTCHECK_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test run with --strict into a temporary folder, by the engine under test."""
    site_dir = tmp_path_factory.mktemp("real-site")
    if ENGINE == "zensical":
        env = {**os.environ, "FACTCHECK_SITE_URL": LOCAL_SITE_URL}
        subprocess.run([sys.executable, str(SCRIPTS / "build.py"), "--engine", "zensical", "--site-dir", str(site_dir)],
                       check=True, env=env, timeout=600)
        return site_dir
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(REPO / "mkdocs.yml"), strict=True, site_dir=str(site_dir), site_url=LOCAL_SITE_URL))
    return site_dir


# Debian's Chromium, driven by Playwright: no browser is downloaded.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    """Skip the calling test module without Chromium; in CI, where .ci/run installs it, fail instead."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)", pytrace=False)
    pytest.skip(f"browser tests need Debian's chromium: apt-get install chromium (looked for {CHROMIUM})", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for a test module (modules that drive Playwright themselves must not overlap it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 for the length of the block; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
