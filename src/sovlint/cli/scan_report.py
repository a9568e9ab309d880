"""The report of a scan: its result, the baseline, and what each configuration set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sovlint import __version__
from sovlint.cli.app import UsageError
from sovlint.cli.scan_parts import PartRun, configuration_uses

if TYPE_CHECKING:
    from sovlint.baseline import Baseline
    from sovlint.engine import ScanResult
    from sovlint.profiles import Profile
    from sovlint.reporters import Report


def build_report(
    runs: list[PartRun],
    result: ScanResult,
    accepted: Baseline | None,
    write_baseline_file: Path | None,
) -> Report:
    """The report (the baseline written and applied first). With one configuration it states
    that configuration's settings; with several, each one's (`configurations`)."""
    from sovlint.baseline import apply_baseline, write_baseline
    from sovlint.reporters import Report

    first = runs[0]
    options = first.options
    if write_baseline_file is not None:
        try:
            written = write_baseline(write_baseline_file, result.findings, options.cwd, __version__)
        except OSError as exc:
            raise UsageError(
                f"{write_baseline_file}: cannot write baseline: {exc.strerror or exc}"
            ) from None
        accepted = accepted if accepted is not None else written
    if accepted is not None:
        apply_baseline(result.findings, accepted, options.cwd)
    overrides = list(dict.fromkeys(o for run in runs for o in run.catalog.overrides))
    report = Report(result, _shared_profile(runs), __version__, overrides)
    report.catalog = first.catalog
    if len(runs) == 1:
        report.config_path = first.config.path
        report.disabled = tuple(sorted(options.disabled))
        report.severity_overrides = {
            k: v.label for k, v in sorted(options.severity_overrides.items())
        }
        report.exclude = options.exclude
    if accepted is not None:
        report.baseline_file = accepted.source
        report.stale_baseline = [(*key, n) for key, n in sorted(accepted.unmatched.items())]
    report.shard = options.shard
    report.inline_suppressions = options.inline_suppressions
    report.max_suppression_days = options.max_suppression_days
    report.configurations = configuration_uses(runs, result.files, options.cwd)
    return report


def _shared_profile(runs: list[PartRun]) -> Profile:
    """The runs' profile (they share its name); as no configuration extends it when their
    configurations extend it differently (each configuration's settings are in the report)."""
    first = runs[0].profile
    if all(run.profile == first for run in runs):
        return first
    from sovlint.profiles import load_profile

    return load_profile(first.file or first.name, runs[0].catalog)
