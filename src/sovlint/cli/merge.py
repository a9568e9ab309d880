"""`sovlint merge`: the JSON reports of sharded scans combined into one report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sovlint.cli.app import UsageError
from sovlint.cli.output import emit, format_outputs


def merge(
    reports: Annotated[
        list[Path], typer.Argument(help="JSON reports of `sovlint scan --shard K/N -f json`.")
    ],
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="Output format (repeatable, as for scan)."),
    ] = None,
    outputs: Annotated[
        list[Path] | None,
        typer.Option("--output", "-o", help="Output file (repeatable, as for scan)."),
    ] = None,
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="Lowest severity that fails: info, low, medium, high.")
    ] = "low",
    color: Annotated[bool | None, typer.Option("--color/--no-color")] = None,
) -> None:
    """Combine the JSON reports of sharded scans into one report (any format)."""
    from sovlint.engine import exit_code
    from sovlint.merge import MergeError, merge_reports
    from sovlint.model import Severity
    from sovlint.reporters import Report

    fmts, outs = format_outputs(formats, outputs)
    try:
        threshold = Severity.parse(fail_on)
        merged = merge_reports(reports)
    except (MergeError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    result = merged.result
    report = Report(result, merged.profile, merged.version, merged.overrides)
    report.config_path = merged.settings.get("config")
    report.disabled = tuple(merged.settings.get("disabled") or ())
    report.severity_overrides = dict(merged.settings.get("severity_overrides") or {})
    report.exclude = tuple(merged.settings.get("exclude") or ())
    report.configurations = merged.configurations
    emit(report, fmts, outs, color)
    raise typer.Exit(exit_code(result.findings, threshold))
