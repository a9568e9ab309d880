"""Benchmark harness: sovlint against Checkov, alternately, on generated corpora and real trees.

One command per case; `--write BENCHMARKS.md` replaces that case's section only:

    python bench/run.py --case precommit --runs 15 --write BENCHMARKS.md
    python bench/run.py --case corpus --sizes S,M --runs 5 --write BENCHMARKS.md
    python bench/run.py --case corpus --sizes L --runs 3 --no-checkov --write BENCHMARKS.md
    python bench/run.py --case dirs --dir /work/corpora/terraform-aws-vpc --write BENCHMARKS.md
    python bench/run.py --case pool --runs 5 --write BENCHMARKS.md

Run it with the interpreter of the environment sovlint is installed in (`.venv/bin/python`):
`python -c pass` of that interpreter is the pre-commit floor. Checkov is looked up as
--checkov, $SOVLINT_CHECKOV, then `checkov` on PATH; it runs in its own environment with
sovlint's external checks only (`--external-checks-dir ... --check CKV_SOV_*`) and, on the
corpora, also with its defaults. Nothing here is a test: numbers depend on the machine, so
they are written with its description.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402
from measure import (  # noqa: E402
    Tool,
    alternate,
    appender,
    base_env,
    header,
    median,
    sovlint_cmd,
    table,
    write_section,
)

SIZES = {"S": (20, 20), "M": (200, 200), "L": (2000, 2000)}  # (terraform modules, manifest files)
COLD = "sovlint cold (--no-cache, --jobs 2)"
WARM = "sovlint warm cache, unchanged tree (replayed)"
EDITED = "sovlint warm cache, one file edited since the last run"


def count(directory: Path) -> tuple[int, int]:
    files = lines = 0
    for path in directory.rglob("*"):
        if (
            path.is_file()
            and path.suffix in (".tf", ".tfvars", ".yaml", ".yml", ".json")
            and ".terraform" not in path.parts
        ):
            files += 1
            with path.open("rb") as fh:
                lines += sum(1 for _ in fh)
    return files, lines


def edit_one_file(tree: Path) -> Callable[[], None]:
    """Before each run: one Terraform file of the tree gets a new last comment line (a CI run
    on a commit that changed one file: its module is judged again, the rest comes from the
    result cache)."""
    return appender(min(p for p in tree.rglob("*.tf") if ".terraform" not in p.parts))


def checks_dir() -> str:
    return str(HERE.parent / "src" / "sovlint" / "checkov_checks")


def checkov_tools(checkov: str, target: Path, defaults: bool) -> dict[str, Tool]:
    base = [checkov, "-d", str(target), "--quiet", "--compact", "-o", "json"]
    base += ["--framework", "terraform", "kubernetes"]
    only = [*base, "--external-checks-dir", checks_dir(), "--check", "CKV_SOV_*"]
    tools = {"checkov (CKV_SOV_* only)": Tool(only, base_env())}
    if defaults:
        tools["checkov (defaults)"] = Tool(base, base_env())
    return tools


def find_checkov(explicit: str | None) -> str | None:
    import os

    for candidate in (explicit, os.environ.get("SOVLINT_CHECKOV"), shutil.which("checkov")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def bench_tree(
    target: Path, runs: int, checkov: str | None, label: str, defaults: bool
) -> list[str]:
    files, lines = count(target)
    env = base_env()
    with tempfile.TemporaryDirectory(prefix="sovlint-bench-cache-") as cache_dir:
        report = ["scan", str(target), "--format", "json", "--output", "/dev/null"]
        # The edited case runs on its own copy and cache: the unchanged case stays unchanged.
        copy = Path(cache_dir) / "edited-tree"
        shutil.copytree(target, copy, symlinks=True)
        edited = ["scan", str(copy), "--format", "json", "--output", "/dev/null"]
        tools = {
            COLD: Tool(sovlint_cmd(*report, "--no-cache", "--jobs", "2"), env),
            "sovlint cold (--no-cache, --jobs 1)": Tool(
                sovlint_cmd(*report, "--no-cache", "--jobs", "1"), env
            ),
            WARM: Tool(
                sovlint_cmd(*report), dict(env, SOVLINT_CACHE_DIR=str(Path(cache_dir) / "w"))
            ),
            EDITED: Tool(
                sovlint_cmd(*edited),
                dict(env, SOVLINT_CACHE_DIR=str(Path(cache_dir) / "e")),
                None,
                edit_one_file(copy),
            ),
        }
        if checkov:
            tools.update(checkov_tools(checkov, target, defaults))
        samples = alternate(tools, runs, warmup=2)  # the warm cases in their steady state
    rows = [f"### {label}: {files:,} files, {lines:,} lines", "", *header(runs)]
    rows += table(samples, files, lines)
    for ck in [n for n in samples if n.startswith("checkov")]:
        for sv in (COLD, WARM, EDITED):
            rows.append(f"\n{ck} / {sv}: **{median(samples[ck]) / median(samples[sv]):.1f}x**")
    return [*rows, ""]


def checkov_line(checkov: str | None) -> list[str]:
    if not checkov:
        return ["Checkov: not found (set SOVLINT_CHECKOV); sovlint only.", ""]
    version = subprocess.run(
        [checkov, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return [f"Checkov {version} ({checkov}).", ""]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--case", choices=["corpus", "precommit", "dirs", "pool"], default="corpus")
    parser.add_argument("--sizes", default="S,M", help="corpus sizes among S,M,L")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--checkov", help="checkov executable (default: $SOVLINT_CHECKOV or PATH)")
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument("--dir", action="append", type=Path, default=[], help="a real tree")
    parser.add_argument("--write", type=Path, help="update this case's section of this file")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    checkov = None if args.no_checkov else find_checkov(args.checkov)
    sections: list[tuple[str, list[str]]] = []
    if args.case == "precommit":
        from precommit import bench_precommit

        sections.append(("precommit", checkov_line(checkov) + bench_precommit(args.runs, checkov)))
    elif args.case == "pool":
        from pool import bench_pool

        sections.append(("pool", bench_pool(args.runs)))
    elif args.case == "dirs":
        for directory in args.dir:
            rows = bench_tree(
                directory, args.runs, checkov, f"{directory.name} (public repository)", False
            )
            sections.append((f"dir-{directory.name}", checkov_line(checkov) + rows))
    else:
        with tempfile.TemporaryDirectory(prefix="sovlint-bench-") as tmp:
            for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
                modules, manifests = SIZES[size]
                target = Path(tmp) / size
                generate(target, modules, args.seed, manifests)
                label = f"corpus {size} (seed {args.seed})"
                rows = bench_tree(target, args.runs, checkov, label, size != "L")
                sections.append((f"corpus-{size}", checkov_line(checkov) + rows))
                print("\n".join(rows), flush=True)
    for key, rows in sections:
        print("\n".join(rows))
        if args.write:
            write_section(args.write, key, rows)


if __name__ == "__main__":
    main()
