"""Publishing with an engine that runs no hooks (Zensical): the build is written out as plain files first.

The staging folder holds a ``docs/`` of finished pages (Markdown whose sections are blocks of
HTML, see pages.py), the site's own pages and assets, the data files, and an ``mkdocs.yml``
without hooks; the engine then builds it like any site. Afterwards every page gets its
Content-Security-Policy, as with MkDocs.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from ..reading.layout import ARTICLES_DIR, MASTHEAD
from . import csp
from .build import Build

TIMEOUT = 1800


class StagingError(Exception):
    """The engine could not build the staged site."""


def _loader() -> type[yaml.SafeLoader]:
    """A YAML loader that reads MkDocs' ``!ENV`` tags as MkDocs does."""
    from yaml_env_tag import construct_env_tag  # installed with MkDocs

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", construct_env_tag)
    return Loader


def read_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml, with ``!ENV`` values resolved."""
    with path.open(encoding="utf-8") as handle:
        config = yaml.load(handle, Loader=_loader())
    return config if isinstance(config, dict) else {}


def stage(build: Build, config: dict[str, Any], staging: Path) -> Path:
    """Write the staged site into ``staging``; return its configuration file. The engine builds into ``staging/site``."""
    shutil.rmtree(staging, ignore_errors=True)
    docs = staging / "docs"
    layout = build.layout
    # The site's own pages and assets, as they are (articles and the masthead are made from the model).
    for path in sorted(layout.docs_dir.rglob("*")):
        relative = path.relative_to(layout.docs_dir)
        if relative.parts[0] == ARTICLES_DIR or relative.as_posix() == MASTHEAD or path.is_dir() or path.is_symlink():
            continue
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative.as_posix() in build.docs_pages and build.docs_pages[relative.as_posix()].kind:
            continue  # written below, with what follows the page's own Markdown
        shutil.copyfile(path, target)
    for src_uri in [*build.content_pages(), *(src for src, page in build.docs_pages.items() if page.kind)]:
        page = build.page(src_uri)
        if page is None:
            continue
        own = build.docs_pages[src_uri].markdown if src_uri in build.docs_pages else ""
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown(own), encoding="utf-8")
    build.write_data(docs)
    staged = {key: value for key, value in config.items() if key not in ("hooks", "exclude_docs", "validation")}
    # Zensical turns its own search on unless told not to: it would load the whole site's index
    # on every page; the site's own search (site/search.py) is in the staged files.
    staged["plugins"] = [{"search": {"enabled": False}}]
    staged["docs_dir"] = "docs"
    staged["site_dir"] = "site"  # Zensical builds only inside the folder of its configuration
    staged["site_url"] = build.settings.site_url
    theme = dict(staged.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((layout.root / theme["custom_dir"]).resolve())
    staged["theme"] = theme
    path = staging / "mkdocs.yml"
    path.write_text(yaml.safe_dump(staged, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run(command: Sequence[str], cwd: Path) -> None:
    try:
        result = subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StagingError(f"{command[0]} could not run: {exc}") from None
    if result.returncode != 0:
        raise StagingError(f"{' '.join(command)} failed:\n{(result.stderr or result.stdout).strip()[-2000:]}")


def finish(staging: Path, site_dir: Path) -> None:
    """Give every built page its Content-Security-Policy, and move the site where it was asked for."""
    built = staging / "site"
    for path in sorted(built.rglob("*.html")):
        path.write_text(csp.secure(path.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.rmtree(site_dir, ignore_errors=True)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built), str(site_dir))
