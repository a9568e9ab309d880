"""`sovlint ARGS`: run the application and turn every failure into one line and an exit code."""

from __future__ import annotations

import os
import sys

import typer

from sovlint.cli.app import EXIT_OK, EXIT_USAGE, UsageError, app_for
from sovlint.cli.output import OutputClosed, one_line


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
        rc = app_for(argv)(args=argv, prog_name="sovlint", standalone_mode=False)
        if rc == 130:  # typer turns Ctrl-C into a silent Exit(130)
            sys.stderr.write("sovlint: interrupted\n")
    except typer.Exit as exc:
        return int(exc.exit_code)
    except UsageError as exc:
        sys.stderr.write(f"sovlint: error: {one_line(exc)}\n")
        return EXIT_USAGE
    except CatalogError as exc:
        sys.stderr.write(f"sovlint: error: {one_line(exc)}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("sovlint: interrupted\n")
        return 130
    except (BrokenPipeError, OutputClosed):  # `sovlint scan | head`: say nothing more
        _silence_stdout()
        return EXIT_USAGE
    except OSError as exc:  # a full disk (ENOSPC) or a dead terminal under stdout/stderr
        _silence_stdout()
        _error_line(f"sovlint: error: cannot write output: {one_line(exc.strerror or exc)}\n")
        return EXIT_USAGE
    except Exception as exc:  # click's usage errors (vendored by typer) and anything unexpected
        if type(exc).__name__ == "NoArgsIsHelpError":  # `sovlint`, `sovlint catalog`: the help
            ctx = getattr(exc, "ctx", None)
            sys.stdout.write(ctx.get_help() + "\n" if ctx is not None else str(exc))
            return EXIT_USAGE
        format_message = getattr(exc, "format_message", None)
        if callable(format_message):
            sys.stderr.write(f"sovlint: error: {one_line(format_message())}\n")
            return EXIT_USAGE
        if type(exc).__name__ == "Abort":
            sys.stderr.write("sovlint: interrupted\n")
            return 130
        sys.stderr.write(
            f"sovlint: internal error: {type(exc).__name__}: {one_line(exc)} (please report this bug)\n"
        )
        return EXIT_USAGE
    return rc if isinstance(rc, int) else EXIT_OK
