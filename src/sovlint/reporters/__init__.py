"""Reporters render a finished scan; they never judge anything themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sovlint.catalog.model import Catalog
from sovlint.engine import ScanResult
from sovlint.profiles import Profile
from sovlint.reporters.text_options import TextOptions


@dataclass
class Report:
    result: ScanResult
    profile: Profile
    tool_version: str
    catalog_overrides: list[str]
    cwd: Path = field(default_factory=Path.cwd)  # what finding paths are relative to
    text: TextOptions = field(default_factory=TextOptions)
    config_path: str | None = None  # the .sovlint.yaml that applied (HTML: effective configuration)
    previous: dict[str, object] | None = None  # --compare: an earlier JSON report
    catalog: Catalog | None = None  # HTML/Markdown: catalog date and sovereign alternatives
    disabled: tuple[str, ...] = ()  # effective configuration, for the HTML report
    severity_overrides: dict[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    # --baseline: (file, address, rule id, count) entries no finding matched, and the file
    stale_baseline: list[tuple[str, str, str, int]] = field(default_factory=list)
    baseline_file: str = ""
    shard: tuple[int, int] | None = None  # (index, count) of a `--shard K/N` scan
    inline_suppressions: bool = True  # False: --no-inline-suppressions
    max_suppression_days: int | None = None


Renderer = Callable[[Report, bool], str]


def renderer(fmt: str) -> Renderer:
    if fmt == "text":
        from sovlint.reporters.text import render as text_render

        return text_render
    if fmt == "json":
        from sovlint.reporters.json_report import render as json_render

        return json_render
    if fmt == "sarif":
        from sovlint.reporters.sarif import render as sarif_render

        return sarif_render
    if fmt == "junit":
        from sovlint.reporters.junit import render as junit_render

        return junit_render
    if fmt == "github":
        from sovlint.reporters.github import render as github_render

        return github_render
    if fmt == "html":
        from sovlint.reporters.html import render as html_render

        return html_render
    if fmt == "markdown":
        from sovlint.reporters.markdown import render as markdown_render

        return markdown_render
    if fmt == "gitlab":
        from sovlint.reporters.gitlab import render as gitlab_render

        return gitlab_render
    raise ValueError(f"unknown format {fmt!r}")


FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "html", "markdown")
