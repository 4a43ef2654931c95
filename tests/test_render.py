"""The templates' environment (factcheck.render): compiled templates kept in the cache, safely."""

from __future__ import annotations

from pathlib import Path

import jinja2

from factcheck.model import vocabularies
from factcheck.site.render import _BytecodeCache, environment


def _compiled(folder: Path) -> list[Path]:
    return sorted((folder / "templates").glob("*.cache"))


def test_compiled_templates_are_kept_and_used_again(tmp_path: Path) -> None:
    first = environment(tmp_path).get_template("macros.html")
    assert _compiled(tmp_path)
    again = environment(tmp_path)
    compiled: list[str] = []
    load = again.bytecode_cache.load_bytecode  # type: ignore[union-attr]
    again.bytecode_cache.load_bytecode = lambda bucket: (load(bucket), compiled.append(bucket.key))[0]  # type: ignore[union-attr, method-assign]
    second = again.get_template("macros.html")
    assert compiled, "the second environment compiled the template again"
    assert str(first.module.verdict_badge(vocabularies.load(), "accurate")) == str(second.module.verdict_badge(vocabularies.load(), "accurate"))


def test_other_environment_options_never_share_compiled_code(tmp_path: Path) -> None:
    # Code compiled with autoescape on must not be reused by an environment with it off.
    escaping, plain = _BytecodeCache(str(tmp_path), "autoescape=True"), _BytecodeCache(str(tmp_path), "autoescape=False")
    assert escaping.get_cache_key("claim.html") != plain.get_cache_key("claim.html")
    assert escaping.get_cache_key("claim.html") == _BytecodeCache(str(tmp_path), "autoescape=True").get_cache_key("claim.html")


def test_a_cache_folder_that_cannot_be_made_or_written_costs_only_time(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert environment(blocked).bytecode_cache is None  # its templates/ folder cannot be made
    vanishing = tmp_path / "cache"
    env = environment(vanishing)
    (vanishing / "templates").rmdir()  # gone before the compiled template is written
    assert "&lt;b&gt;" in str(env.get_template("macros.html").module.verdict_badge(vocabularies.load(), "<b>"))


def test_no_cache_folder_compiles_every_time() -> None:
    assert environment(None).bytecode_cache is None
    assert isinstance(environment(None), jinja2.Environment)
