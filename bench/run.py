"""Benchmark harness: sovlint against Checkov on the same corpus.

    python bench/run.py                       # S and M corpora, sovlint + checkov if found
    python bench/run.py --sizes S,M,L --runs 5 --write BENCHMARKS.md
    python bench/run.py --dir ~/src/terraform-aws-vpc   # any real repository

Checkov is looked up as $SOVLINT_CHECKOV, then `checkov` on PATH; it runs in its own
environment with sovlint's external checks (`--external-checks-dir $(sovlint checkov-dir)
--check CKV_SOV_*`) and, separately, with its defaults. Runs alternate between tools,
medians are reported with peak RSS and throughput. Nothing here is a test: numbers
depend on the machine, so they are written to BENCHMARKS.md with its description.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

SIZES = {"S": (20, 20), "M": (200, 200), "L": (2000, 2000)}  # (terraform modules, manifest files)


@dataclass
class Sample:
    seconds: float
    max_rss_kb: int
    exit_code: int


def measure(cmd: list[str], env: dict[str, str] | None = None) -> Sample:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Sample(elapsed, int(usage.ru_maxrss), proc.returncode)


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


def sovlint_cmd(target: Path, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sovlint",
        "scan",
        str(target),
        "--format",
        "json",
        "--output",
        os.devnull,
        *extra,
    ]


def checkov_cmds(checkov: str, target: Path) -> dict[str, list[str]]:
    checks_dir = subprocess.run(
        [sys.executable, "-m", "sovlint", "checkov-dir"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
    ).stdout.strip()
    base = [
        checkov,
        "-d",
        str(target),
        "--quiet",
        "--compact",
        "-o",
        "json",
        "--framework",
        "terraform",
        "kubernetes",
    ]
    cmds = {"checkov (defaults)": base}
    if checks_dir:
        cmds["checkov (CKV_SOV_* only)"] = [
            *base,
            "--external-checks-dir",
            checks_dir,
            "--check",
            "CKV_SOV_*",
        ]
    return cmds


def find_checkov(explicit: str | None) -> str | None:
    for candidate in (explicit, os.environ.get("SOVLINT_CHECKOV"), shutil.which("checkov")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def bench(target: Path, runs: int, checkov: str | None, label: str) -> list[str]:
    files, lines = count(target)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    cache_dir = tempfile.mkdtemp(prefix="sovlint-bench-cache-")
    tools: dict[str, tuple[list[str], dict[str, str]]] = {
        "sovlint cold (--no-cache, --jobs 2)": (
            sovlint_cmd(target, ["--no-cache", "--jobs", "2"]),
            env,
        ),
        "sovlint cold (--no-cache, --jobs 1)": (
            sovlint_cmd(target, ["--no-cache", "--jobs", "1"]),
            env,
        ),
        "sovlint warm cache": (sovlint_cmd(target, []), dict(env, XDG_CACHE_HOME=cache_dir)),
    }
    if checkov:
        tools.update(
            {name: (cmd, dict(os.environ)) for name, cmd in checkov_cmds(checkov, target).items()}
        )
    subprocess.run(
        tools["sovlint warm cache"][0],
        env=tools["sovlint warm cache"][1],
        capture_output=True,
        check=False,
    )
    samples: dict[str, list[Sample]] = {name: [] for name in tools}
    for _ in range(runs):  # alternate tools within each round
        for name, (cmd, tool_env) in tools.items():
            samples[name].append(measure(cmd, tool_env))
    shutil.rmtree(cache_dir, ignore_errors=True)
    rows = [
        f"### {label}: {files} files, {lines} lines",
        "",
        "| tool | median s | min s | peak RSS MB | files/s | lines/s | exit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    medians = {}
    for name, runs_ in samples.items():
        med = statistics.median(s.seconds for s in runs_)
        medians[name] = med
        rss = max(s.max_rss_kb for s in runs_) / 1024
        rows.append(
            f"| {name} | {med:.2f} | {min(s.seconds for s in runs_):.2f} | {rss:.0f} | {files / med:,.0f} | {lines / med:,.0f} | {runs_[-1].exit_code} |"
        )
    for ck in [n for n in medians if n.startswith("checkov")]:
        for sv in ("sovlint cold (--no-cache, --jobs 2)", "sovlint warm cache"):
            rows.append(f"\n{ck} / {sv}: **{medians[ck] / medians[sv]:.1f}x**")
    rows.append("")
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="S,M", help="corpus sizes among S,M,L")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checkov", help="checkov executable (default: $SOVLINT_CHECKOV or PATH)")
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument(
        "--checkov-sizes", default="S,M", help="sizes on which checkov also runs (L takes long)"
    )
    parser.add_argument(
        "--dir", action="append", type=Path, default=[], help="also benchmark this directory"
    )
    parser.add_argument("--write", type=Path, help="write the results (Markdown) to this file")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    checkov = None if args.no_checkov else find_checkov(args.checkov)
    out = [
        "# Benchmarks",
        "",
        f"Machine: {machine()}.",
        f"Date: {time.strftime('%Y-%m-%d')}. Runs per tool: {args.runs} (alternating).",
        "",
    ]
    if checkov:
        version = subprocess.run(
            [checkov, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        out.append(f"Checkov: {version} ({checkov}).\n")
    else:
        out.append("Checkov: not found (set SOVLINT_CHECKOV); sovlint only.\n")
    with tempfile.TemporaryDirectory(prefix="sovlint-bench-") as tmp:
        for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            modules, manifests = SIZES[size]
            target = Path(tmp) / size
            generate(target, modules, args.seed, manifests)
            use = checkov if size in args.checkov_sizes.split(",") else None
            out += bench(target, args.runs, use, f"corpus {size} (seed {args.seed})")
            print("\n".join(out[-12:]), flush=True)
    for directory in args.dir:
        out += bench(directory, args.runs, checkov, f"directory {directory.name}")
    text = "\n".join(out) + "\n"
    print(text)
    if args.write:
        args.write.write_text(text)


if __name__ == "__main__":
    main()
