"""The small commands: rules, explain, profiles, checkov-dir."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sovlint.cli.app import UsageError


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


def profiles() -> None:
    """List the bundled sovereignty profiles."""
    from sovlint.catalog.load import load_catalog
    from sovlint.profiles import DEFAULT_PROFILE, available_profiles, load_profile

    catalog = load_catalog()
    for name in available_profiles():
        prof = load_profile(name, catalog)
        default = " (default)" if name == DEFAULT_PROFILE else ""
        typer.echo(f"{name}{default}: {prof.title}\n    {prof.description}\n")


def checkov_dir() -> None:
    """Print the Checkov external-checks directory: checkov -d . --external-checks-dir "$(sovlint checkov-dir)"."""
    directory = Path(__file__).resolve().parent.parent / "checkov_checks"
    if not (directory / "__init__.py").is_file():
        raise UsageError(f"{directory}: the Checkov checks are missing from this installation")
    typer.echo(str(directory))
