"""Entry point. `sovlint --version` answers without importing typer or any parser."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from sovlint import __version__

        sys.stdout.write(f"sovlint {__version__}\n")
        return 0
    from sovlint.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
