"""Entry point. `sovlint --version` answers without importing typer or any parser, and a
`sovlint scan` run again on unchanged inputs replays its previous output (sovlint.replay)."""

from __future__ import annotations

import sys

# The garbage collector's thresholds for the command (not for callers in their own process):
# a scan allocates millions of objects that live until it ends (documents, facts, findings,
# cache entries) and makes almost no reference cycles (tests/test_memory_cycles.py), so
# collecting the youngest generation every 700 allocations, Python's default, traversed them
# again and again: 15-20 % of a large scan, cold or from the cache (BENCHMARKS.md).
GC_THRESHOLDS = (100_000, 20, 10)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from sovlint import __version__

        sys.stdout.write(f"sovlint {__version__}\n")
        return 0
    recorder = None
    if argv is None:  # the command itself, not a caller in this process (tests, embedders)
        import gc

        from sovlint import replay

        gc.set_threshold(*GC_THRESHOLDS)
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
