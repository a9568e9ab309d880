"""`sovlint catalog ...`: what sovlint knows, why, and from which source."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sovlint.cli.app import UsageError
from sovlint.cli.loading import load_settings
from sovlint.cliparams import LeanCommand, LeanGroup

if TYPE_CHECKING:
    from sovlint.catalog.model import Catalog
    from sovlint.profiles import Profile

catalog_app = typer.Typer(
    cls=LeanGroup,
    help="Inspect the sovereignty catalog: what sovlint knows, why, and from which source.",
    no_args_is_help=True,
)

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
    _cfg, catalog, prof = load_settings(profile, None, Path("."), list(catalog_files or []))
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
