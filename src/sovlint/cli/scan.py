"""`sovlint scan`: the options, then discover, scan, judge and report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sovlint.cli.app import UsageError
from sovlint.cli.loading import resolve
from sovlint.cli.output import emit, format_outputs, write_stdout
from sovlint.cli.scan_inputs import (
    parse_vars,
    previous_report,
    read_stdin,
    render_modes,
    shard_option,
    text_options,
)
from sovlint.cli.scan_parts import PartRun, failed, plan_parts, run_parts
from sovlint.cli.scan_report import build_report
from sovlint.formats import spoken_list

if TYPE_CHECKING:
    from sovlint.catalog.model import Catalog
    from sovlint.config import Config
    from sovlint.engine import ScanOptions
    from sovlint.profiles import Profile


def scan(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or directories (default: current directory)."),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            "-p",
            help="Profile name (sovereign-eu, residency-eu, secnumcloud) or a profile file.",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Configuration file for all paths (default: each file's nearest .sovlint.yaml).",
        ),
    ] = None,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help=f"Output format: {spoken_list()}. Repeatable; --output files pair with the last formats.",
        ),
    ] = None,
    outputs: Annotated[
        list[Path] | None,
        typer.Option(
            "--output", "-o", help="Write the report to this file (atomically). Repeatable."
        ),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Lowest severity that fails the run: info, low, medium, high (default: low).",
        ),
    ] = None,
    var_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--var-file",
            help="Extra Terraform variable file (applied after terraform.tfvars and *.auto.tfvars).",
        ),
    ] = None,
    variables: Annotated[
        list[str] | None,
        typer.Option(
            "--var", help="Terraform variable NAME=VALUE (applied last, like terraform -var)."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Processes for parsing (default: available CPUs). Output is identical for any value.",
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            help="K/N: scan only this shard of the tree (stable by path); combine with `sovlint merge`.",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="Do not read or write the parse cache ($XDG_CACHE_HOME/sovlint)."
        ),
    ] = False,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            help="With a plan JSON: the configuration directory to map findings back to (and to read the backend from).",
        ),
    ] = None,
    env_vars: Annotated[
        bool,
        typer.Option(
            "--env-vars",
            help="Also read TF_VAR_name environment variables (off by default: CI and laptops differ).",
        ),
    ] = False,
    catalog_files: Annotated[
        list[Path] | None,
        typer.Option("--catalog", help="Catalog override file (see docs/catalog.md)."),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Glob of paths to skip. Repeatable.")
    ] = None,
    max_file_size: Annotated[
        int, typer.Option("--max-file-size", help="Files larger than this many bytes are SOV001.")
    ] = 10 * 1024 * 1024,
    follow_symlinks: Annotated[
        bool,
        typer.Option("--follow-symlinks", help="Follow symbolic links while walking directories."),
    ] = False,
    no_inline_suppressions: Annotated[
        bool,
        typer.Option(
            "--no-inline-suppressions",
            help="sovlint:ignore comments suppress nothing (each is reported as SOV003): for gates a pull request must not override.",
        ),
    ] = False,
    max_suppression_days: Annotated[
        int | None,
        typer.Option(
            "--max-suppression-days",
            help="A sovlint:ignore comment without until=, or accepting a finding for more than N days, suppresses nothing (SOV003).",
            min=0,
        ),
    ] = None,
    render: Annotated[
        list[str] | None,
        typer.Option(
            "--render",
            help="Render Helm charts (helm: runs `helm template`) or Kustomize overlays (kustomize: runs `kustomize build` or `kubectl kustomize`) and scan the output. Repeatable.",
        ),
    ] = None,
    color: Annotated[
        bool | None,
        typer.Option(
            "--color/--no-color", help="Colour text output (default: only on a terminal)."
        ),
    ] = None,
    baseline_file: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="Report only findings not recorded in this baseline; recorded ones are suppressed.",
        ),
    ] = None,
    write_baseline_file: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            help="Record the current findings in this baseline file (atomically); they are then suppressed.",
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--output-format",
            help="Text layout: full (who and fix, at most --max-per-family per rule and operator), concise (one line each) or grouped.",
        ),
    ] = "full",
    group_by: Annotated[
        str, typer.Option("--group-by", help="Grouped layout: by file or by operator.")
    ] = "file",
    max_per_family: Annotated[
        int,
        typer.Option(
            "--max-per-family",
            min=0,
            help="Full layout: findings shown per rule and operator before a count (0: all).",
        ),
    ] = 10,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Counts by rule and by operator.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Findings only, no summary line.")
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Report only these rules: ids, names or globs (SOV1*)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Do not report these rules: ids, names or globs."),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when findings are reported.")
    ] = False,
    show_settings: Annotated[
        bool,
        typer.Option(
            "--show-settings",
            help="Print the configuration, profile and overrides that apply to each path, then exit.",
        ),
    ] = False,
    show_suppressed: Annotated[
        bool,
        typer.Option(
            "--show-suppressed", help="Also list suppressed findings, with reason and expiry."
        ),
    ] = False,
    compare: Annotated[
        Path | None,
        typer.Option(
            "--compare", help="HTML/Markdown: show what changed since this earlier JSON report."
        ),
    ] = None,
) -> None:
    """Scan Terraform/OpenTofu and Kubernetes files (or `-` for a manifest stream on stdin) and report what the profile forbids."""
    from sovlint.cache import Cache, default_dir
    from sovlint.engine import ScanOptions, env_variables
    from sovlint.model import Severity
    from sovlint.parallel import available_cpus

    stdin_text = read_stdin(max_file_size) if paths and Path("-") in paths else None
    targets = [p for p in paths or [] if p != Path("-")]
    if not targets and stdin_text is None:
        targets = [Path()]
    fmts, outs = format_outputs(formats, outputs)
    for target in targets:
        if not target.exists() and not target.is_symlink():
            raise UsageError(f"{target}: no such file or directory")
    if source is not None and not source.is_dir():
        raise UsageError(f"{source}: --source must be a directory of Terraform files")
    for vf in var_files or []:
        if not vf.is_file():
            raise UsageError(f"{vf}: variable file not found")
    modes = render_modes(render or [])
    from sovlint.yamlpos import use_cache

    cache = None if no_cache else Cache(default_dir())
    use_cache(cache)

    def threshold_of(cfg: Config) -> Severity:
        try:
            if fail_on is not None:
                return Severity.parse(fail_on)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return cfg.fail_on if cfg.fail_on is not None else Severity.LOW

    def load(config_file: Path | None) -> tuple[Config, Catalog, Profile, str | None]:
        keys: list[str] = []
        found = resolve(profile, config_file, list(catalog_files or []), cache, keys)
        return (*found, keys[0] if keys else None)

    def options_for(cfg: Config, catalog: Catalog, prof: Profile, key: str | None) -> ScanOptions:
        return ScanOptions(
            paths=targets,
            profile=prof,
            catalog=catalog,
            exclude=tuple(exclude or ()) + cfg.exclude,
            var_files=tuple(var_files or ()) + tuple(Path(p) for p in cfg.var_files),
            variables=parse_vars(variables or []),
            source=source,
            cache=cache,
            jobs=jobs or available_cpus(),
            shard=shard_option(shard),
            env_variables=env_variables(dict(os.environ)) if env_vars else (),
            disabled=frozenset(cfg.disable),
            severity_overrides=dict(cfg.severity),
            max_file_size=max_file_size,
            follow_symlinks=follow_symlinks,
            inline_suppressions=not no_inline_suppressions,
            max_suppression_days=max_suppression_days,
            render=modes,
            stdin=stdin_text,
            results_key=key,
        )

    if config is not None:  # pinned: one configuration for every path
        if not config.is_file():
            raise UsageError(f"{config}: configuration file not found")
        cfg, catalog, prof, key = load(config)
        runs = [
            PartRun(
                cfg, catalog, prof, options_for(cfg, catalog, prof, key), threshold_of(cfg), targets
            )
        ]
    else:
        runs = plan_parts(targets, load, options_for, threshold_of)
    if show_settings:
        from sovlint.settings_view import show_settings as settings_text

        write_stdout(
            "".join(
                settings_text(run.applies_to, run.config, run.catalog, run.options) for run in runs
            )
        )
        raise typer.Exit(0)
    from sovlint.reporters.text_options import TextOptions
    from sovlint.selection import SelectionError, expand, selected

    chosen_text = text_options(
        TextOptions(output_format, group_by, statistics, quiet, show_suppressed, max_per_family)
    )
    try:
        chosen = expand(select, "--select") if select else None
        ignored = expand(ignore or [], "--ignore")
        selected([], chosen, ignored)
    except SelectionError as exc:
        raise UsageError(str(exc)) from None
    from sovlint.baseline import BaselineError, load_baseline

    try:
        accepted = load_baseline(baseline_file) if baseline_file is not None else None
    except BaselineError as exc:
        raise UsageError(str(exc)) from None
    result, thresholds = run_parts(runs)
    result.findings[:] = selected(result.findings, chosen, ignored)
    if cache is not None:
        cache.prune()
    if not result.files and stdin_text is None:
        # Like ruff's "No Python files found": a gate pointed at the wrong directory should say so.
        where = ", ".join(str(t) for t in targets)
        sys.stderr.write(
            f"sovlint: warning: no Terraform, OpenTofu or Kubernetes files found in {where}\n"
        )
    report = build_report(runs, result, accepted, write_baseline_file)
    report.text = chosen_text
    report.previous = previous_report(compare)
    emit(report, fmts, outs, color)
    failing = failed(result.findings, thresholds, runs[0].threshold)
    raise typer.Exit(0 if exit_zero or not failing else 1)
