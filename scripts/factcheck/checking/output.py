"""Printing a report: plain lines for people, GitHub annotations for pull requests, JSON for tools."""

from __future__ import annotations

import json

from ..model.problems import Problem
from .engine import Report

FORMATS = ("text", "github", "json")


def plural(count: int, word: str) -> str:
    """'1 error', '2 errors'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary(report: Report) -> str:
    """The last line of every report: what was read and refused, the problems, and the article text accounted for."""
    project = report.project
    unread = report.claim_files - len(project.claims)
    claims = plural(report.claim_files, "claim file") + (f" ({unread} could not be read)" if unread > 0 else "")
    refused = f", {plural(report.files_refused, 'file')} refused" if report.files_refused else ""
    return (
        f"{claims}, {plural(len(project.references), 'reference')}; {plural(report.files_read, 'file')} read{refused}: "
        f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}; "
        f"article text accounted for: {report.total_coverage:.1%}"
    )


def render(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps([_as_dict(p) for p in report.problems], indent=2, ensure_ascii=False)
    if fmt == "github":
        lines = [_github(p) for p in report.problems]  # escaped for workflow commands
        return "\n".join([*lines, summary(report)])
    return "\n".join([*(p.format() for p in report.problems), summary(report)])


def _as_dict(problem: Problem) -> dict[str, object]:
    return {
        "path": problem.path,
        "line": problem.line,
        "col": problem.col,
        "level": problem.level_name,
        "rule": problem.rule,
        "message": problem.message,
    }


def _escape_property(value: str) -> str:
    # GitHub workflow commands: https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github(problem: Problem) -> str:
    properties = ",".join(
        f"{name}={_escape_property(str(value))}"
        for name, value in (("file", problem.path), ("line", problem.line), ("col", problem.col), ("title", problem.rule))
    )
    return f"::{problem.level_name} {properties}::{_escape_data(problem.message)}"
