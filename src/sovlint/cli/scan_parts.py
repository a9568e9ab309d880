"""A scan over paths under several configurations (sovlint.hierarchy): one part per
configuration, each judged under its own settings, merged into one result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.cli.app import UsageError

if TYPE_CHECKING:
    from sovlint.catalog.model import Catalog
    from sovlint.config import Config
    from sovlint.engine import ScanOptions, ScanResult
    from sovlint.model import Finding, Severity
    from sovlint.profiles import Profile
    from sovlint.reporters.configurations import ConfigurationUse


@dataclass
class PartRun:
    """One configuration's part of a run: its settings, scan options and failure threshold."""

    config: Config
    catalog: Catalog
    profile: Profile
    options: ScanOptions
    threshold: Severity
    applies_to: list[Path]
    result: ScanResult | None = None  # once scanned


Loader = Callable[[Path | None], "tuple[Config, Catalog, Profile, str | None]"]
OptionsFor = Callable[["Config", "Catalog", "Profile", "str | None"], "ScanOptions"]
ThresholdOf = Callable[["Config"], "Severity"]


def plan_parts(
    targets: list[Path], load: Loader, options_for: OptionsFor, threshold_of: ThresholdOf
) -> list[PartRun]:
    """One part per configuration that applies under `targets` (a single part, judging the
    whole tree, when one configuration applies to everything)."""
    from sovlint.hierarchy import Part, config_of, configurations

    found = configurations(targets) or {config_of(Path()): [Path()]}
    runs: list[PartRun] = []
    for config_file, roots in found.items():
        cfg, catalog, profile, key = load(Path(config_file) if config_file else None)
        options = options_for(cfg, catalog, profile, key)
        if len(found) > 1:
            options.part = Part(config_file, frozenset(found), fallback=not runs)
        runs.append(PartRun(cfg, catalog, profile, options, threshold_of(cfg), roots))
    if len(runs) > 1 and runs[0].options.stdin is not None:
        # standard input is judged once, under the configuration of the current directory
        here = config_of(Path())
        keep = next((run for run in runs if run.config.path == here), runs[0])
        for run in runs:
            if run is not keep:
                run.options.stdin = None
    names = {run.profile.name for run in runs}
    if len(names) > 1:
        shown = "; ".join(f"{r.config.path or 'no configuration'}: {r.profile.name}" for r in runs)
        raise UsageError(
            f"paths under configurations with different profiles ({shown}): one report judges "
            "one profile; scan them separately, or choose one for all with --profile"
        )
    return runs


def run_parts(runs: list[PartRun]) -> tuple[ScanResult, dict[int, Severity]]:
    """Every part scanned, the results merged as one scan merges its roots' (a fact found by
    several parts is one finding); and the threshold each finding fails the run at (the
    lowest of the parts that found it)."""
    from sovlint.dedupe import distinct_findings, distinct_items, fact_of
    from sovlint.engine import ScanResult
    from sovlint.engine import scan as run_scan

    for run in runs:
        run.result = run_scan(run.options)
    results = [(run, run.result) for run in runs if run.result is not None]
    if len(results) == 1:
        run, result = results[0]
        return result, {id(f): run.threshold for f in result.findings}
    lowest: dict[tuple[object, ...], Severity] = {}
    for run, result in results:
        for f in result.findings:
            key = fact_of(f)
            lowest[key] = min(lowest.get(key, run.threshold), run.threshold)
    findings = distinct_findings([f for _, result in results for f in result.findings])
    items = distinct_items([i for _, result in results for i in result.inventory])
    files = sorted({name for _, result in results for name in result.files})
    thresholds = {id(f): lowest[fact_of(f)] for f in findings}
    return ScanResult(findings, items, files), thresholds


def failed(findings: list[Finding], thresholds: dict[int, Severity], default: Severity) -> bool:
    """Whether an active finding reaches the threshold of the part that judged it."""
    return any(
        not f.suppressed and (f.rule_id == "SOV001" or f.severity >= thresholds.get(id(f), default))
        for f in findings
    )


def judged_files(runs: list[PartRun], files: list[str], cwd: Path) -> list[list[str]]:
    """For each part, the report's files it judged: those whose nearest configuration it is,
    and those under no part's configuration that its roots read (the modules they call
    from outside the scanned paths). With one part: all of them."""
    from sovlint.hierarchy import config_of

    if len(runs) == 1:
        return [list(files)]
    parts = {run.config.path for run in runs}
    nearest = {name: config_of(cwd / name) for name in files}
    out = []
    for run in runs:
        read = set(run.result.files) if run.result is not None else set()
        out.append(
            [
                name
                for name in files
                if nearest[name] == run.config.path or (nearest[name] not in parts and name in read)
            ]
        )
    return out


def configuration_uses(runs: list[PartRun], files: list[str], cwd: Path) -> list[ConfigurationUse]:
    """What each configuration set, and the report's files it judged (judged_files)."""
    from sovlint.engine import display_path
    from sovlint.reporters.configurations import ConfigurationUse

    uses = []
    for run, judged in zip(runs, judged_files(runs, files, cwd), strict=True):
        opts = run.options
        uses.append(
            ConfigurationUse(
                config=run.config.path,
                applies_to=tuple(display_path(p, cwd) for p in run.applies_to),
                profile=run.profile.name,
                disabled=tuple(sorted(opts.disabled)),
                severity_overrides={k: v.label for k, v in sorted(opts.severity_overrides.items())},
                exclude=opts.exclude,
                catalog_overrides=tuple(run.catalog.overrides),
                fail_on=run.threshold.label,
                files=judged,
            )
        )
    return uses
