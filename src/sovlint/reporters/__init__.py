"""Reporters render a finished scan; they never judge anything themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sovlint.catalog.model import Catalog
from sovlint.engine import ScanResult
from sovlint.profiles import Profile
from sovlint.reporters.configurations import ConfigurationUse
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
    # Which configuration judged which files (one entry per configuration the run used)
    configurations: list[ConfigurationUse] = field(default_factory=list)


Renderer = Callable[[Report, bool], str]


def renderer(fmt: str) -> Renderer:
    """The `render` function of a format of `sovlint.formats.FORMATS`."""
    import importlib

    from sovlint.formats import BY_NAME

    if fmt not in BY_NAME:
        raise ValueError(f"unknown format {fmt!r}")
    render: Renderer = importlib.import_module(f"sovlint.reporters.{BY_NAME[fmt].module}").render
    return render
