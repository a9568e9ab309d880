"""Before and after: this checkout against another commit, alternately, on the same inputs.

    python bench/compare.py --base 77a6fea --sizes M,L --runs 5 --write BENCHMARKS.md

The other commit is checked out in a temporary git worktree (removed afterwards) and both
run as `python -m sovlint` of this interpreter, each on its own sources (PYTHONPATH) with
its own cache directory, one after the other in every round. Cases, per corpus size:
cold (`--no-cache --jobs 2`), one file edited since the last run, and unchanged (replayed),
each with a JSON report to /dev/null; then the pre-commit case (a staged .tf edited since
the last run, in a 20-file module); and, for this checkout only, an edited run without the
replay recorder (`sovlint.cli.run` called as the command calls it, collector thresholds
included), which is what recording costs. Only ratios mean anything: the seconds depend on
the machine and its load.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate, precommit  # noqa: E402
from measure import (  # noqa: E402
    ROOT,
    Tool,
    alternate,
    appender,
    base_env,
    header,
    median,
    write_section,
)

SIZES = {"S": (20, 20), "M": (200, 200), "L": (2000, 2000)}
REPORT = ["--format", "json", "--output", "/dev/null"]
# The command without its replay recorder: what sovlint.__main__.main runs after it.
UNRECORDED = (
    "import gc, sys; from sovlint.__main__ import GC_THRESHOLDS; gc.set_threshold(*GC_THRESHOLDS); "
    "from sovlint.cli import run; sys.exit(run(sys.argv[1:]))"
)


def _variants(base_src: Path, cache_root: Path) -> dict[str, dict[str, str]]:
    env = base_env()
    return {
        name: dict(env, PYTHONPATH=str(src), SOVLINT_CACHE_DIR=str(cache_root / name))
        for name, src in (("before", base_src), ("after", ROOT / "src"))
    }


def _cases(target: Path, staged: Path | None) -> dict[str, tuple[list[str], Path, bool]]:
    """name -> (scan arguments, working directory, whether a file is edited before each run)."""
    cases: dict[str, tuple[list[str], Path, bool]] = {
        "cold, `--no-cache --jobs 2`": ([".", *REPORT, "--no-cache", "--jobs", "2"], target, False),
        "one file edited since the last run": ([".", *REPORT], target, True),
        "unchanged (replayed)": ([".", *REPORT], target, False),
    }
    if staged is not None:
        cases = {"staged .tf edited": ([str(staged)], target, True)}
    return cases


def compare(base: str, sizes: list[str], runs: int, seed: int) -> list[str]:
    rows = [
        f"Before: {base} ({_describe(base)}); after: this checkout ({_describe('HEAD')}"
        f"{', with uncommitted changes' if _dirty() else ''}).",
        "",
        *header(runs),
        "| case | before s | after s | after / before |",
        "| --- | ---: | ---: | ---: |",
    ]
    with tempfile.TemporaryDirectory(prefix="sovlint-compare-") as tmp_text:
        tmp = Path(tmp_text)
        tree = tmp / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), base],
            check=True,
        )
        try:
            variants = _variants(tree / "src", tmp / "caches")
            trees: list[tuple[str, Path, Path | None]] = []
            for size in sizes:
                modules, manifests = SIZES[size]
                target = tmp / f"corpus-{size}"
                generate(target, modules, seed, manifests)
                trees.append((f"corpus {size}", target, None))
            pre = tmp / "precommit"
            staged_tf, _manifest = precommit(pre)
            trees.append(("pre-commit", pre, staged_tf.relative_to(pre)))
            for label, target, staged in trees:
                edited_file = (target / staged) if staged else next(target.rglob("*.tf"))
                for number, (case, (args, cwd, edits)) in enumerate(_cases(target, staged).items()):
                    own = f"{label.replace(' ', '-')}-{number}"  # each case its own caches
                    # one edit before each run, whichever variant runs next (one counter)
                    edit = appender(edited_file) if edits else None
                    cmd = [sys.executable, "-m", "sovlint", "scan", *args]
                    tools = {
                        name: Tool(
                            cmd,
                            dict(env, SOVLINT_CACHE_DIR=f"{env['SOVLINT_CACHE_DIR']}-{own}"),
                            cwd,
                            edit,
                        )
                        for name, env in variants.items()
                    }
                    if edits:  # what recording costs: the same run, without the recorder
                        after = variants["after"]
                        tools["after, unrecorded"] = Tool(
                            [sys.executable, "-c", UNRECORDED, "scan", *args],
                            dict(after, SOVLINT_CACHE_DIR=f"{after['SOVLINT_CACHE_DIR']}-{own}-u"),
                            cwd,
                            edit,
                        )
                    samples = alternate(tools, runs, warmup=1)
                    before, after_s = median(samples["before"]), median(samples["after"])
                    rows.append(
                        f"| {label}, {case} | {before:.3f} | {after_s:.3f} | {after_s / before:.2f} |"
                    )
                    if "after, unrecorded" in samples:
                        bare = median(samples["after, unrecorded"])
                        rows.append(
                            f"| {label}, {case}, after without the replay recorder | - "
                            f"| {bare:.3f} | (recording: {after_s - bare:+.3f} s) |"
                        )
                    print(rows[-1], flush=True)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
            )
            shutil.rmtree(tree, ignore_errors=True)
    return [*rows, ""]


def _describe(rev: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs", rev],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or rev


def _dirty() -> bool:
    out = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    )
    return bool(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", required=True, help="the commit to compare with")
    parser.add_argument("--sizes", default="M", help="corpus sizes among S,M,L")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", type=Path, help="update the `compare` section of this file")
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    rows = compare(args.base, sizes, args.runs, args.seed)
    print("\n".join(rows))
    if args.write:
        write_section(args.write, "compare", rows)


if __name__ == "__main__":
    main()
