"""Cost of one string value from 10 kB to 1 MB: linear, or a pull request can hang the gate.

    python bench/linear.py                       # extractors in-process + whole scans
    python bench/linear.py --write BENCHMARKS.md # also replace the section in BENCHMARKS.md

Each extractor (host extraction, suppression comments) and each whole scan (`sovlint scan`
of a Terraform file and of a ConfigMap holding the value) runs on values of 10 kB, 100 kB
and 1 MB built from shapes that make naive scanners rescan the rest of the input at every
position. A linear cost grows ~10x per 10x of input; a quadratic one ~100x. The check
fails (exit 1) when a 10x step costs more than 25x (fixed costs make small steps cheaper,
never dearer). Whole scans subtract the cost of scanning an empty file of the same kind.
Costs are CPU seconds (the machine may be shared); a cost below a floor (10 ms in-process,
50 ms for a scan) counts as that floor, so noise on tiny inputs cannot fail the check.
Nothing here is a unit test: timings depend on the machine (tests/hostile has the hang
guard on 1 MB values).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

SIZES = (10_000, 100_000, 1_000_000)
MAX_STEP = 25.0  # a 10x longer input may cost at most this many times more
FLOOR = {"extractor": 0.01, "scan": 0.05}  # CPU seconds below which a cost is noise
SHAPES = {
    "letters": "a",
    "labels": "a.",
    "key: lines": "k: v.x\n",
    "assignments": "k=v;",
    "urls": "https://a.b/ ",
    "comment marks": "# ",
}


def value(shape: str, size: int) -> str:
    unit = SHAPES[shape]
    return unit * (size // len(unit))


def best_of(fn: Callable[[], object], runs: int) -> float:
    """Least CPU seconds of `runs` calls (CPU time: the machine may be shared)."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def extractors() -> dict[str, Callable[[str], object]]:
    from sovlint.netloc import hosts_in
    from sovlint.suppression import parse_suppressions

    return {
        "netloc.hosts_in": hosts_in,
        "suppression comments": lambda text: parse_suppressions(
            "f.tf", text.replace("k", "# sovlint:ignore SOV101 ")
        ),
    }


def scan_seconds(directory: Path) -> float:
    """CPU seconds (user + system) of one `sovlint scan` process."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sovlint", "scan", str(directory), "--no-cache", "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"sovlint scan {directory} failed")
    return usage.ru_utime + usage.ru_stime


def write_case(directory: Path, kind: str, text: str) -> None:
    for old in directory.iterdir():
        old.unlink()
    if kind == "terraform":
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        escaped = escaped.replace("${", "$${").replace("%{", "%%{")
        body = f'resource "ovh_cloud_project_instance" "i" {{\n  user_data = "{escaped}"\n}}\n'
        (directory / "main.tf").write_text(body)
    else:
        block = "".join(f"    {line}\n" for line in text.splitlines() or [""])
        (directory / "cm.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  config: |\n{block}"
        )


def scans(runs: int) -> dict[str, Callable[[str], float]]:
    work = Path(tempfile.mkdtemp(prefix="sovlint-linear-"))

    def make(kind: str) -> Callable[[str], float]:
        write_case(work, kind, "")
        empty = min(scan_seconds(work) for _ in range(runs))

        def run(text: str) -> float:
            write_case(work, kind, text)
            return max(min(scan_seconds(work) for _ in range(runs)) - empty, 0.0)

        return run

    return {"scan (Terraform value)": make("terraform"), "scan (ConfigMap value)": make("k8s")}


def table(runs: int, shapes: list[str]) -> tuple[list[str], bool]:
    lines = [
        "| what | value shape | "
        + " | ".join(f"{s // 1000} kB s" for s in SIZES)
        + " | max 10x step |",
        "| --- | --- | " + " | ".join("---:" for _ in SIZES) + " | ---: |",
    ]
    linear = True
    rows: list[tuple[str, str, list[float]]] = []
    for name, fn in extractors().items():
        for shape in shapes:
            texts = [value(shape, n) for n in SIZES]
            rows.append((name, shape, [best_of(partial(fn, text), runs) for text in texts]))
    for name, run in scans(runs).items():
        for shape in shapes:
            rows.append((name, shape, [run(value(shape, n)) for n in SIZES]))
    for name, shape, costs in rows:
        floor = FLOOR["scan" if name.startswith("scan") else "extractor"]
        step = max(b / max(a, floor) for a, b in pairwise(costs))
        ok = step <= MAX_STEP
        linear = linear and ok
        cells = " | ".join(f"{c:.4f}" for c in costs)
        lines.append(f"| {name} | {shape} | {cells} | {step:.1f}x{'' if ok else ' FAIL'} |")
        print(lines[-1], flush=True)
    return lines, linear


def write_section(path: Path, lines: list[str]) -> None:
    import platform

    title = "## Linear cost in one value's length (bench/linear.py)"
    section = [
        title,
        "",
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; CPU seconds, best of runs; whole scans minus an empty scan.",
        f"A linear cost grows ~10x per 10x of input (quadratic: ~100x); the check allows {MAX_STEP:.0f}x.",
        "",
        *lines,
        "",
    ]
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if title in text:
        head, _, rest = text.partition(title)
        tail = rest.split("\n## ", 1)
        text = head + "\n".join(section) + ("\n## " + tail[1] if len(tail) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section)
    path.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated subset")
    parser.add_argument("--write", type=Path, help="replace the section in this Markdown file")
    args = parser.parse_args()
    lines, linear = table(args.runs, [s for s in args.shapes.split(",") if s])
    print("linear: yes" if linear else f"linear: NO (a 10x step cost more than {MAX_STEP:.0f}x)")
    if args.write:
        write_section(args.write, lines)
    return 0 if linear else 1


if __name__ == "__main__":
    sys.exit(main())
