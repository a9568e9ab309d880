"""The `sovlint` command line (typer). Every error is one line; no traceback reaches the user.

One module per command (group), imported only when that command runs (pre-commit runs
`sovlint scan` on every commit): `app` builds the typer application, `entry` turns every
failure into a one-line message and an exit code.
"""

from __future__ import annotations

from sovlint.cli.entry import run

__all__ = ["run"]
