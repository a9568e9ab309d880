"""The typer application, built with only the command that runs.

typer builds (inspects the signature and evaluates the annotations of) every registered
command before running one, a tenth of a warm pre-commit scan; and importing every command's
module would import their code too. So each command lives in its own module, imported and
registered only when it is invoked; help and unknown commands get the whole application.
"""

from __future__ import annotations

import importlib
from typing import Annotated, Any

import typer

from sovlint import __version__
from sovlint.cliparams import LeanCommand, LeanGroup

_APP_SETTINGS: dict[str, Any] = {
    "name": "sovlint",
    "cls": LeanGroup,
    "help": "Keep infrastructure-as-code under European jurisdiction: who operates each resource, under which law, in which country.",
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
}

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# name -> (module, attribute): a command function, or (for a group) a typer.Typer. In the
# order `sovlint --help` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "scan": ("sovlint.cli.scan", "scan"),
    "merge": ("sovlint.cli.merge", "merge"),
    "rules": ("sovlint.cli.info", "rules_cmd"),
    "explain": ("sovlint.cli.info", "explain"),
    "profiles": ("sovlint.cli.info", "profiles"),
    "checkov-dir": ("sovlint.cli.info", "checkov_dir"),
    "catalog": ("sovlint.cli.catalog", "catalog_app"),
}


class UsageError(Exception):
    """A one-line error for the user (exit 2)."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sovlint {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """sovlint: a sovereignty linter for Terraform/OpenTofu and Kubernetes."""


def _register(app: typer.Typer, name: str) -> None:
    module, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    if isinstance(target, typer.Typer):
        app.add_typer(target, name=name)
    else:
        app.command(name, cls=LeanCommand)(target)


def app_for(argv: list[str]) -> typer.Typer:
    """The application with only the invoked top-level command (all of them for help, an
    option first or an unknown command)."""
    app = typer.Typer(**_APP_SETTINGS)
    app.callback()(_root)
    for name in [argv[0]] if argv and argv[0] in COMMANDS else list(COMMANDS):
        _register(app, name)
    return app
