"""The `sovlint` command line (typer). Every error is one line; no traceback reaches the user."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sovlint import __version__
from sovlint.cliparams import LeanCommand, LeanGroup
from sovlint.formats import BY_NAME, NAMES, spoken_list

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sovlint.cache import Cache
    from sovlint.catalog.model import Catalog
    from sovlint.config import Config
    from sovlint.profiles import Profile
    from sovlint.reporters import Report
    from sovlint.reporters.text_options import TextOptions

_APP_SETTINGS: dict[str, Any] = {
    "name": "sovlint",
    "cls": LeanGroup,
    "help": "Keep infrastructure-as-code under European jurisdiction: who operates each resource, under which law, in which country.",
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
}
app = typer.Typer(**_APP_SETTINGS)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A one-line error for the user (exit 2)."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sovlint {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """sovlint: a sovereignty linter for Terraform/OpenTofu and Kubernetes."""


def _one_configuration(targets: list[Path]) -> None:
    """Refuse paths under different nearest .sovlint.yaml files: one configuration applies to
    a whole run, so taking the first path's would make the verdict depend on argument order
    (`scan a/main.tf z/main.tf` silenced z/ with a/'s `disable:`). Until each file is judged
    under its own configuration, the run says so instead of guessing."""
    from sovlint.config import find_config

    found = {target: find_config(target) for target in targets}
    if len(set(found.values())) <= 1:
        return
    shown = "; ".join(
        f"{t}: {c if c is not None else 'no configuration'}" for t, c in list(found.items())[:4]
    )
    raise UsageError(
        f"paths under different configurations ({shown}): scan each group separately, "
        "or pin one configuration for all with --config"
    )


def _load(
    profile_name: str | None,
    config_path: Path | None,
    start: Path,
    catalog_files: list[Path],
    cache: Cache | None = None,
    keys: list[str] | None = None,
) -> tuple[Config, Catalog, Profile]:
    """Configuration, catalog and profile; `keys` receives the catalog's digest (with a cache)."""
    keys = [] if keys is None else keys
    from sovlint.catalog.compiled import load_keyed
    from sovlint.config import find_config
    from sovlint.settings import ProfileNotFound, resolve_settings

    if config_path is not None and not config_path.is_file():
        raise UsageError(f"{config_path}: configuration file not found")

    def load_catalog(extra: Iterable[Path]) -> Catalog:
        catalog, key = load_keyed(cache, list(extra))
        keys[:] = [key] if key is not None else []
        return catalog

    try:
        settings = resolve_settings(
            config_path or find_config(start),
            profile_name,
            catalog_files,
            load_catalog=load_catalog,
        )
    except ProfileNotFound as exc:
        raise UsageError(f"--profile: {exc.message}") from None
    return settings.config, settings.catalog, settings.profile


@app.command(cls=LeanCommand)
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
            "--config", "-c", help="Configuration file (default: .sovlint.yaml found upward)."
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
    from sovlint.engine import ScanOptions, env_variables, exit_code
    from sovlint.engine import scan as run_scan
    from sovlint.model import Severity
    from sovlint.parallel import available_cpus
    from sovlint.reporters import Report

    stdin_text = _read_stdin(max_file_size) if paths and Path("-") in paths else None
    targets = [p for p in paths or [] if p != Path("-")]
    if not targets and stdin_text is None:
        targets = [Path()]
    fmts, outs = _outputs(formats, outputs)
    for target in targets:
        if not target.exists() and not target.is_symlink():
            raise UsageError(f"{target}: no such file or directory")
    if source is not None and not source.is_dir():
        raise UsageError(f"{source}: --source must be a directory of Terraform files")
    for vf in var_files or []:
        if not vf.is_file():
            raise UsageError(f"{vf}: variable file not found")
    render_modes = _render_modes(render or [])
    from sovlint.yamlpos import use_cache

    cache = None if no_cache else Cache(default_dir())
    use_cache(cache)
    if config is None:
        _one_configuration(targets)
    catalog_keys: list[str] = []
    cfg, catalog, prof = _load(
        profile,
        config,
        targets[0] if targets else Path(),
        list(catalog_files or []),
        cache,
        catalog_keys,
    )
    threshold = Severity.LOW
    try:
        if fail_on is not None:
            threshold = Severity.parse(fail_on)
        elif cfg.fail_on is not None:
            threshold = cfg.fail_on
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    options = ScanOptions(
        paths=targets,
        profile=prof,
        catalog=catalog,
        exclude=tuple(exclude or ()) + cfg.exclude,
        var_files=tuple(var_files or ()) + tuple(Path(p) for p in cfg.var_files),
        variables=_parse_vars(variables or []),
        source=source,
        cache=cache,
        jobs=jobs or available_cpus(),
        shard=_shard(shard),
        env_variables=env_variables(dict(os.environ)) if env_vars else (),
        disabled=frozenset(cfg.disable),
        severity_overrides=dict(cfg.severity),
        max_file_size=max_file_size,
        follow_symlinks=follow_symlinks,
        inline_suppressions=not no_inline_suppressions,
        max_suppression_days=max_suppression_days,
        render=render_modes,
        stdin=stdin_text,
        results_key=catalog_keys[0] if catalog_keys else None,
    )
    if show_settings:
        from sovlint.settings_view import show_settings as settings_text

        _write_stdout(settings_text(targets, cfg, catalog, options))
        raise typer.Exit(0)
    from sovlint.reporters.text_options import TextOptions
    from sovlint.selection import SelectionError, expand, selected

    text_options = _text_options(
        TextOptions(output_format, group_by, statistics, quiet, show_suppressed, max_per_family)
    )
    try:
        chosen = expand(select, "--select") if select else None
        ignored = expand(ignore or [], "--ignore")
        selected([], chosen, ignored)
    except SelectionError as exc:
        raise UsageError(str(exc)) from None
    from sovlint.baseline import BaselineError, apply_baseline, load_baseline, write_baseline

    try:
        accepted = load_baseline(baseline_file) if baseline_file is not None else None
    except BaselineError as exc:
        raise UsageError(str(exc)) from None
    result = run_scan(options)
    result.findings[:] = selected(result.findings, chosen, ignored)
    if options.cache is not None:
        options.cache.prune()
    if not result.files and stdin_text is None:
        # Like ruff's "No Python files found": a gate pointed at the wrong directory should say so.
        where = ", ".join(str(t) for t in targets)
        sys.stderr.write(
            f"sovlint: warning: no Terraform, OpenTofu or Kubernetes files found in {where}\n"
        )
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
    report = Report(result, prof, __version__, list(catalog.overrides), text=text_options)
    report.config_path = cfg.path
    report.catalog = catalog
    report.disabled = tuple(sorted(options.disabled))
    report.severity_overrides = {k: v.label for k, v in sorted(options.severity_overrides.items())}
    report.exclude = options.exclude
    if accepted is not None:
        report.baseline_file = accepted.source
        report.stale_baseline = [(*key, n) for key, n in sorted(accepted.unmatched.items())]
    report.shard = options.shard
    report.inline_suppressions = options.inline_suppressions
    report.max_suppression_days = options.max_suppression_days
    report.previous = _previous_report(compare)
    _emit(report, fmts, outs, color)
    raise typer.Exit(0 if exit_zero else exit_code(result.findings, threshold))


def _text_options(options: TextOptions) -> TextOptions:
    from sovlint.reporters.text_options import GROUP_BY, TEXT_VIEWS

    if options.view not in TEXT_VIEWS:
        raise UsageError(
            f"unknown --output-format {options.view!r} (choose from: {', '.join(TEXT_VIEWS)})"
        )
    if options.group_by not in GROUP_BY:
        raise UsageError(f"unknown --group-by {options.group_by!r} (choose from: file, operator)")
    return options


def _previous_report(path: Path | None) -> dict[str, object] | None:
    """--compare OLD.json: an earlier JSON report (one-line error when it is not one)."""
    if path is None:
        return None
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{path}: --compare needs a sovlint JSON report ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise UsageError(f"{path}: --compare needs a sovlint JSON report (-f json)")
    return data


def _shard(text: str | None) -> tuple[int, int] | None:
    from sovlint.shard import parse_shard

    if text is None:
        return None
    try:
        return parse_shard(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


@app.command(cls=LeanCommand)
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

    fmts, outs = _outputs(formats, outputs)
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
    _emit(report, fmts, outs, color)
    raise typer.Exit(exit_code(result.findings, threshold))


def _outputs(formats: list[str] | None, outputs: list[Path] | None) -> tuple[list[str], list[Path]]:
    """Validated --format/--output pairs: outputs pair with the last formats."""
    fmts = formats or ["text"]
    for fmt in fmts:
        if fmt not in NAMES:
            raise UsageError(f"unknown format {fmt!r} (choose from: {', '.join(NAMES)})")
    outs = list(outputs or [])
    if len(outs) > len(fmts):
        raise UsageError("more --output than --format options")
    if len(fmts) - len(outs) > 1:
        raise UsageError(
            "only one --format can go to standard output; give each other one an --output"
        )
    return fmts, outs


def _emit(report: Report, fmts: list[str], outs: list[Path], color: bool | None) -> None:
    """Render every requested format: `-f text -f sarif -o x.sarif` prints text, writes SARIF."""
    from sovlint.atomic import write_atomic
    from sovlint.reporters import renderer

    use_color = sys.stdout.isatty() and "NO_COLOR" not in os.environ if color is None else color
    to_stdout = len(fmts) - len(outs)
    for index, fmt in enumerate(fmts):
        if index < to_stdout:
            _write_stdout(renderer(fmt)(report, use_color and BY_NAME[fmt].color))
            continue
        out = outs[index - to_stdout]
        try:
            write_atomic(out, renderer(fmt)(report, False))
        except OSError as exc:
            raise UsageError(f"{out}: cannot write report: {exc.strerror or exc}") from None


def _write_stdout(text: str) -> None:
    """A report on standard output as UTF-8 bytes whatever the locale (byte-identical under
    LC_ALL=C), lone surrogates (undecodable file names) written as backslash escapes."""
    data = text.encode("utf-8", "backslashreplace")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    try:
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()
    except BrokenPipeError:
        raise OutputClosed from None  # not an OSError: typer would exit 1 on EPIPE itself


class OutputClosed(Exception):
    """The reader of standard output went away (`sovlint scan | head`)."""


def _one_line(message: object) -> str:
    """An error message on one line: control characters (a newline in a file name) escaped."""
    return "".join(
        f"\\x{ord(c):02x}" if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in str(message)
    )


def _read_stdin(max_size: int) -> str:
    """`sovlint scan -`: one manifest stream from standard input (bounded, strictly decoded)."""
    from sovlint.readfile import ReadError, decode

    data = sys.stdin.buffer.read(max_size + 1)
    if len(data) > max_size:
        raise UsageError(f"standard input is larger than --max-file-size ({max_size} bytes)")
    try:
        return decode(data)
    except ReadError as exc:
        raise UsageError(f"standard input, line {exc.line}: {exc}") from None


def _render_modes(modes: list[str]) -> tuple[str, ...]:
    """--render values, each checked against PATH now: a missing tool is a usage error."""
    from sovlint.frontends.kubernetes.render import RenderToolMissing, tool_command

    out = tuple(dict.fromkeys(m.strip().lower() for m in modes))
    try:
        for mode in out:
            tool_command(mode)
    except RenderToolMissing as exc:
        raise UsageError(str(exc)) from None
    return out


def _parse_vars(items: list[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--var {item!r}: expected NAME=VALUE")
        pairs.append((name.strip(), value))
    return tuple(pairs)


@app.command("rules", cls=LeanCommand)
def rules_cmd(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text or markdown (the docs/rules.md reference).")
    ] = "text",
) -> None:
    """List every rule with its id, severity and title."""
    from sovlint.rules import REGISTRY

    if fmt == "markdown":
        from sovlint.docs import rules_markdown

        sys.stdout.write(rules_markdown())
        return
    if fmt != "text":
        raise UsageError(f"unknown format {fmt!r} (choose from: text, markdown)")
    for rule_id, rule in REGISTRY.items():
        typer.echo(
            f"{rule_id}  {rule.meta.severity.label:<6}  {rule.meta.name:<32} {rule.meta.title}"
        )


@app.command(cls=LeanCommand)
def explain(rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. SOV101.")]) -> None:
    """Explain one rule: why it matters and how to fix it."""
    from sovlint.rules import REGISTRY

    rule = REGISTRY.get(rule_id.upper())
    if rule is None:
        raise UsageError(f"unknown rule {rule_id!r} (see `sovlint rules`)")
    m = rule.meta
    typer.echo(
        f"{m.id} {m.name} [{m.severity.label}]\n{m.title}\n\nWhy: {m.rationale}\n\nFix: {m.fix}\n\nApplies to: {', '.join(m.frameworks)}; suppressible: {'yes' if m.suppressible else 'no'}"
    )


@app.command(cls=LeanCommand)
def profiles() -> None:
    """List the bundled sovereignty profiles."""
    from sovlint.catalog.load import load_catalog
    from sovlint.profiles import DEFAULT_PROFILE, available_profiles, load_profile

    catalog = load_catalog()
    for name in available_profiles():
        prof = load_profile(name, catalog)
        default = " (default)" if name == DEFAULT_PROFILE else ""
        typer.echo(f"{name}{default}: {prof.title}\n    {prof.description}\n")


@app.command("checkov-dir", cls=LeanCommand)
def checkov_dir() -> None:
    """Print the Checkov external-checks directory: checkov -d . --external-checks-dir "$(sovlint checkov-dir)"."""
    directory = Path(__file__).resolve().parent / "checkov_checks"
    if not (directory / "__init__.py").is_file():
        raise UsageError(f"{directory}: the Checkov checks are missing from this installation")
    typer.echo(str(directory))


catalog_app = typer.Typer(
    cls=LeanGroup,
    help="Inspect the sovereignty catalog: what sovlint knows, why, and from which source.",
    no_args_is_help=True,
)
app.add_typer(catalog_app, name="catalog")

_ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile", "-p", help="Profile for verdicts (default: from config or sovereign-eu)."
    ),
]
_CatalogOpt = Annotated[list[Path] | None, typer.Option("--catalog", help="Catalog override file.")]


def _catalog_context(
    profile: str | None, catalog_files: list[Path] | None
) -> tuple[Catalog, Profile]:
    _cfg, catalog, prof = _load(profile, None, Path("."), list(catalog_files or []))
    return catalog, prof


def _provider_key(catalog: Catalog, name: str) -> str:
    if name in catalog.providers:
        return name
    entry = catalog.provider_by_source(name)
    if entry is None:
        raise UsageError(f"unknown provider {name!r} (see `sovlint catalog providers`)")
    return entry.key


@catalog_app.command("providers", cls=LeanCommand)
def catalog_providers(
    profile: _ProfileOpt = None,
    catalog_files: _CatalogOpt = None,
    stale: Annotated[
        int | None,
        typer.Option("--stale", help="Only providers with facts older than this many days."),
    ] = None,
) -> None:
    """Every provider: operator, jurisdiction, exposure and verdict under the profile."""
    from sovlint.catalog.inspect import providers_table

    catalog, prof = _catalog_context(profile, catalog_files)
    sys.stdout.write(providers_table(catalog, prof, stale))


@catalog_app.command("regions", cls=LeanCommand)
def catalog_regions(
    provider: Annotated[
        str, typer.Argument(help="Provider key or source address (aws, hashicorp/aws).")
    ],
    catalog_files: _CatalogOpt = None,
) -> None:
    """The regions the catalog knows for a provider, with countries and sources."""
    from sovlint.catalog.inspect import regions_table

    catalog, _prof = _catalog_context(None, catalog_files)
    sys.stdout.write(regions_table(catalog, _provider_key(catalog, provider)))


@catalog_app.command("lookup", cls=LeanCommand)
def catalog_lookup(
    provider: Annotated[str, typer.Argument(help="Provider key or source address.")],
    region: Annotated[str, typer.Argument(help="Region or zone as written in Terraform.")],
    profile: _ProfileOpt = None,
    catalog_files: _CatalogOpt = None,
    variant: Annotated[
        str | None,
        typer.Option(
            "--variant",
            help="Sub-cloud selected by a provider setting (s3ns, bleu, delos, china ...), as a scan would.",
        ),
    ] = None,
) -> None:
    """What sovlint thinks of PROVIDER in REGION, and why (exit 1 when unknown)."""
    from sovlint.catalog.inspect import lookup

    catalog, prof = _catalog_context(profile, catalog_files)
    try:
        text, found = lookup(catalog, prof, _provider_key(catalog, provider), region, variant)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(text)
    raise typer.Exit(0 if found else 1)


@catalog_app.command("host", cls=LeanCommand)
def catalog_host(
    hostname: Annotated[
        str,
        typer.Argument(help="Hostname or URL (s3.fr-par.scw.cloud, https://api.openai.com/v1)."),
    ],
    profile: _ProfileOpt = None,
    catalog_files: _CatalogOpt = None,
) -> None:
    """Who operates HOSTNAME, where, and the verdict (exit 1 when unknown)."""
    from sovlint.catalog.inspect import host
    from sovlint.netloc import host_of

    catalog, prof = _catalog_context(profile, catalog_files)
    text, found = host(catalog, prof, host_of(hostname) or hostname)
    sys.stdout.write(text)
    raise typer.Exit(0 if found else 1)


@catalog_app.command("check", cls=LeanCommand)
def catalog_check(
    catalog_files: _CatalogOpt = None,
    stale: Annotated[
        bool,
        typer.Option(
            "--stale", help="Also list facts past their review_by / valid_until date (exit 1)."
        ),
    ] = False,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Judge --stale at this date (YYYY-MM-DD) instead of today."),
    ] = None,
) -> None:
    """Validate the built-in catalog plus overrides (errors name file and line; exit 2)."""
    import datetime as _dt

    from sovlint.catalog.inspect import stale_facts, summary

    catalog, _prof = _catalog_context(None, catalog_files)
    sys.stdout.write(summary(catalog))
    if stale:
        try:
            day = _dt.date.fromisoformat(today) if today else _dt.date.today()
        except ValueError:
            raise UsageError(f"--today must be a date (YYYY-MM-DD), got {today!r}") from None
        text, count = stale_facts(catalog, day.isoformat())
        sys.stdout.write(text)
        raise typer.Exit(1 if count else 0)


def _app_for(argv: list[str]) -> typer.Typer:
    """The app with only the invoked top-level command: typer builds (inspects the signature
    and evaluates the annotations of) every registered command before running one, a tenth
    of a warm pre-commit scan. Help and unknown commands get the whole app."""
    if not argv or argv[0].startswith("-"):
        return app
    wanted = [
        info
        for info in app.registered_commands
        if (info.name or getattr(info.callback, "__name__", "").replace("_", "-")) == argv[0]
    ]
    if len(wanted) != 1:
        return app
    lean = typer.Typer(**_APP_SETTINGS)
    lean.registered_callback = app.registered_callback
    lean.registered_commands = wanted
    return lean


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file descriptor (tests capture it): nothing buffered to flush


def _error_line(message: str) -> None:
    """One line on stderr, if stderr can still be written at all."""
    try:
        sys.stderr.write(message)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def run(argv: list[str]) -> int:
    """Run the CLI and turn every failure into a one-line message and an exit code."""
    from sovlint.catalog.load import CatalogError

    try:
        rc = _app_for(argv)(args=argv, prog_name="sovlint", standalone_mode=False)
        if rc == 130:  # typer turns Ctrl-C into a silent Exit(130)
            sys.stderr.write("sovlint: interrupted\n")
    except typer.Exit as exc:
        return int(exc.exit_code)
    except UsageError as exc:
        sys.stderr.write(f"sovlint: error: {_one_line(exc)}\n")
        return EXIT_USAGE
    except CatalogError as exc:
        sys.stderr.write(f"sovlint: error: {_one_line(exc)}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("sovlint: interrupted\n")
        return 130
    except (BrokenPipeError, OutputClosed):  # `sovlint scan | head`: say nothing more
        _silence_stdout()
        return EXIT_USAGE
    except OSError as exc:  # a full disk (ENOSPC) or a dead terminal under stdout/stderr
        _silence_stdout()
        _error_line(f"sovlint: error: cannot write output: {_one_line(exc.strerror or exc)}\n")
        return EXIT_USAGE
    except Exception as exc:  # click's usage errors (vendored by typer) and anything unexpected
        if type(exc).__name__ == "NoArgsIsHelpError":  # `sovlint`, `sovlint catalog`: the help
            ctx = getattr(exc, "ctx", None)
            sys.stdout.write(ctx.get_help() + "\n" if ctx is not None else str(exc))
            return EXIT_USAGE
        format_message = getattr(exc, "format_message", None)
        if callable(format_message):
            sys.stderr.write(f"sovlint: error: {_one_line(format_message())}\n")
            return EXIT_USAGE
        if type(exc).__name__ == "Abort":
            sys.stderr.write("sovlint: interrupted\n")
            return 130
        sys.stderr.write(
            f"sovlint: internal error: {type(exc).__name__}: {_one_line(exc)} (please report this bug)\n"
        )
        return EXIT_USAGE
    return rc if isinstance(rc, int) else EXIT_OK
