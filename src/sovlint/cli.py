"""The `sovlint` command line (typer). Every error is one line; no traceback reaches the user."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sovlint import __version__

if TYPE_CHECKING:
    from sovlint.catalog.model import Catalog
    from sovlint.config import Config
    from sovlint.profiles import Profile

app = typer.Typer(
    name="sovlint",
    help="Keep infrastructure-as-code under European jurisdiction: who operates each resource, under which law, in which country.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

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


def _load(
    profile_name: str | None, config_path: Path | None, start: Path, catalog_files: list[Path]
) -> tuple[Config, Catalog, Profile]:
    from sovlint.catalog.load import load_catalog
    from sovlint.config import Config, find_config, load_config
    from sovlint.profiles import DEFAULT_PROFILE, load_profile
    from sovlint.rules import REGISTRY

    if config_path is not None and not config_path.is_file():
        raise UsageError(f"{config_path}: configuration file not found")
    found = config_path or find_config(start)
    config = load_config(found, set(REGISTRY)) if found else Config()
    catalog = load_catalog(extra_files=[*(Path(p) for p in config.catalog), *catalog_files])
    profile = load_profile(profile_name or config.profile or DEFAULT_PROFILE, catalog)
    profile = profile.extend(
        catalog,
        config.allow_countries,
        config.allow_providers,
        config.deny_providers,
        config.allow_registries,
    )
    for key in (*config.allow_providers, *config.deny_providers):
        if key not in catalog.providers and key not in catalog.operators:
            raise UsageError(
                f"{config.path}: {key!r} in allow_providers/deny_providers is neither a provider nor an operator key (see `sovlint catalog providers`)"
            )
    return config, catalog, profile


@app.command()
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
            help="Output format: text or json. Repeatable; --output files pair with the last formats.",
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
    color: Annotated[
        bool | None,
        typer.Option(
            "--color/--no-color", help="Colour text output (default: only on a terminal)."
        ),
    ] = None,
) -> None:
    """Scan Terraform/OpenTofu files and report what the profile forbids."""
    from sovlint.engine import ScanOptions, exit_code
    from sovlint.engine import scan as run_scan
    from sovlint.model import Severity
    from sovlint.reporters import FORMATS, Report, renderer

    targets = paths or [Path()]
    fmts = formats or ["text"]
    for fmt in fmts:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r} (choose from: {', '.join(FORMATS)})")
    outs = list(outputs or [])
    if len(outs) > len(fmts):
        raise UsageError("more --output than --format options")
    if len(fmts) - len(outs) > 1:
        raise UsageError(
            "only one --format can go to standard output; give each other one an --output"
        )
    for target in targets:
        if not target.exists() and not target.is_symlink():
            raise UsageError(f"{target}: no such file or directory")
    for vf in var_files or []:
        if not vf.is_file():
            raise UsageError(f"{vf}: variable file not found")
    cfg, catalog, prof = _load(profile, config, targets[0], list(catalog_files or []))
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
        disabled=frozenset(cfg.disable),
        severity_overrides=dict(cfg.severity),
        max_file_size=max_file_size,
        follow_symlinks=follow_symlinks,
    )
    result = run_scan(options)
    report = Report(result, prof, __version__, list(catalog.overrides))
    use_color = sys.stdout.isatty() and "NO_COLOR" not in os.environ if color is None else color
    from sovlint.atomic import write_atomic

    # --output files pair with the last formats: `-f text -f sarif -o x.sarif` prints text, writes SARIF.
    to_stdout = len(fmts) - len(outs)
    for index, fmt in enumerate(fmts):
        if index < to_stdout:
            sys.stdout.write(renderer(fmt)(report, use_color and fmt == "text"))
            continue
        out = outs[index - to_stdout]
        try:
            write_atomic(out, renderer(fmt)(report, False))
        except OSError as exc:
            raise UsageError(f"{out}: cannot write report: {exc.strerror or exc}") from None
    raise typer.Exit(exit_code(result.findings, threshold))


@app.command("rules")
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


@app.command()
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


@app.command()
def profiles() -> None:
    """List the bundled sovereignty profiles."""
    from sovlint.catalog.load import load_catalog
    from sovlint.profiles import DEFAULT_PROFILE, available_profiles, load_profile

    catalog = load_catalog()
    for name in available_profiles():
        prof = load_profile(name, catalog)
        default = " (default)" if name == DEFAULT_PROFILE else ""
        typer.echo(f"{name}{default}: {prof.title}\n    {prof.description}\n")


def run(argv: list[str]) -> int:
    """Run the CLI and turn every failure into a one-line message and an exit code."""
    from sovlint.catalog.load import CatalogError

    try:
        rc = app(args=argv, prog_name="sovlint", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except UsageError as exc:
        sys.stderr.write(f"sovlint: error: {exc}\n")
        return EXIT_USAGE
    except CatalogError as exc:
        sys.stderr.write(f"sovlint: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("sovlint: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_FINDINGS
    except Exception as exc:  # click's usage errors (vendored by typer) and anything unexpected
        format_message = getattr(exc, "format_message", None)
        if callable(format_message):
            sys.stderr.write(f"sovlint: error: {format_message()}\n")
            return EXIT_USAGE
        if type(exc).__name__ == "Abort":
            sys.stderr.write("sovlint: interrupted\n")
            return 130
        sys.stderr.write(
            f"sovlint: internal error: {type(exc).__name__}: {exc} (please report this bug)\n"
        )
        return EXIT_USAGE
    return rc if isinstance(rc, int) else EXIT_OK
