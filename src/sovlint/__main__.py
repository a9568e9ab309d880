"""Entry point. `sovlint --version` answers without importing typer or any parser, and a
`sovlint scan` run again on unchanged inputs replays its previous output (sovlint.replay)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from sovlint import __version__

        sys.stdout.write(f"sovlint {__version__}\n")
        return 0
    recorder = None
    if argv is None:  # the command itself, not a caller in this process (tests, embedders)
        from sovlint import replay

        if replay.eligible(args):
            rc = replay.replay(args)
            if rc is not None:
                return rc
            recorder = replay.Recorder(args)
            recorder.start()
    from sovlint.cli import run

    rc = run(args)
    if recorder is not None:
        recorder.finish(rc)
    return rc


if __name__ == "__main__":
    sys.exit(main())
