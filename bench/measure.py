"""Shared benchmark plumbing: run commands alternately, take medians, write Markdown sections.

On a shared or noisy machine only ratios measured alternately mean anything: every tool runs
once per round, rounds repeat, medians are reported. Peak RSS is that of the largest process
of a run (`wait4`: the command or one of its children, whichever peaked highest).
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass
class Sample:
    seconds: float
    cpu_seconds: float
    max_rss_kb: int
    exit_code: int


@dataclass
class Tool:
    """A command to time. `prepare` runs before each timed run, untimed (e.g. empty a cache)."""

    cmd: list[str]
    env: dict[str, str]
    cwd: Path | None = None
    prepare: Callable[[], None] | None = None


def measure(tool: Tool) -> Sample:
    if tool.prepare is not None:
        tool.prepare()
    start = time.perf_counter()
    proc = subprocess.Popen(
        tool.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=tool.env, cwd=tool.cwd
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return Sample(
        elapsed,
        usage.ru_utime + usage.ru_stime,
        int(usage.ru_maxrss),
        os.waitstatus_to_exitcode(status),
    )


def appender(path: Path) -> Callable[[], None]:
    """A `prepare` step: the file's text with a new last comment line before each run (an
    edit since the last run, with `#` comments in both HCL and YAML)."""
    original = path.read_text(encoding="utf-8")
    count = [0]

    def edit() -> None:
        count[0] += 1
        path.write_text(f"{original}# edit {count[0]}\n", encoding="utf-8")

    return edit


def alternate(tools: dict[str, Tool], runs: int, warmup: int = 1) -> dict[str, list[Sample]]:
    """Every tool once per round, `runs` rounds (after `warmup` untimed rounds)."""
    for _ in range(warmup):
        for tool in tools.values():
            measure(tool)
    samples: dict[str, list[Sample]] = {name: [] for name in tools}
    for _ in range(runs):
        for name, tool in tools.items():
            samples[name].append(measure(tool))
    return samples


def median(samples: list[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def base_env() -> dict[str, str]:
    """The environment for timed commands: this checkout's sources, byte-code caching on
    (a user's installation has compiled .pyc files; PYTHONDONTWRITEBYTECODE would make every
    run compile sovlint from source)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def sovlint_cmd(*args: str) -> list[str]:
    """`sovlint ARGS` as a user runs it: the console script of this interpreter's environment
    when there is one (what pre-commit runs), else `python -m sovlint`."""
    script = Path(sys.executable).parent / "sovlint"
    if script.is_file():
        return [str(script), *args]
    return [sys.executable, "-m", "sovlint", *args]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f} at the start"
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), "
        f"Python {platform.python_version()}{load}"
    )


def header(runs: int) -> list[str]:
    return [
        f"Machine: {machine()}.",
        f"Date: {time.strftime('%Y-%m-%d %H:%M')}. Runs per tool: {runs}, alternating, medians.",
        "",
    ]


def table(samples: dict[str, list[Sample]], files: int = 0, lines: int = 0) -> list[str]:
    rows = [
        "| tool | median s | min s | median CPU s | peak RSS MB | files/s | exit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, runs_ in samples.items():
        med = median(runs_)
        cpu = statistics.median(s.cpu_seconds for s in runs_)
        rss = max(s.max_rss_kb for s in runs_) / 1024
        rate = f"{files / med:,.0f}" if files else "-"
        rows.append(
            f"| {name} | {med:.3f} | {min(s.seconds for s in runs_):.3f} | {cpu:.3f} | {rss:.0f} "
            f"| {rate} | {runs_[-1].exit_code} |"
        )
    return rows


def write_section(path: Path, key: str, lines: list[str]) -> None:
    """Replace the section `key` of a Markdown file (between `<!-- bench:key -->` markers),
    or append it: each benchmark command rewrites only its own results."""
    begin, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = "\n".join([begin, *lines, end])
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
