"""Mutation harness over real files: one command, a time budget, the CLI as users run it.

    python fuzz/mutate.py --minutes 20 DIR...        # default DIR: fixtures/
    nice -n 19 python fuzz/mutate.py --minutes 5 --seed 7 /path/to/repo

Each mutant is one directory of scannable files (a Terraform module or a folder of
manifests, taken from the fixtures and from every DIR given) in which exactly ONE file is
mutated: truncated, byte-flipped, a block of lines duplicated or deleted, a huge string
inserted, deep nesting inserted, or a line spliced from another file. `sovlint scan` runs
on the copy in a child process with a timeout, and the harness checks:

- no traceback, no "internal error", at most one `sovlint:` line on stderr;
- no hang (the per-run timeout);
- exit code in {0, 1, 2};
- no silent loss: every OTHER file the unmutated directory reported a finding for still has
  one, and every (file, rule) pair is kept where the files are independent (manifests;
  Terraform files of one module share variables, so a rule may legitimately change there).

Failures are written to fuzz/mutants/<n>/ (the mutated directory, the command, stdout and
stderr) and summarised at the end; the exit code is 1 if any was found.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SUFFIXES = (".tf", ".tf.json", ".tofu", ".tfvars", ".yaml", ".yml", ".json")
MAX_FILES_PER_DIR = 40
MAX_SEED_BYTES = 256 * 1024
SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "mutants", "__pycache__"}


@dataclass
class Unit:
    """One directory of scannable files and what an unmutated scan reports for it."""

    directory: Path
    files: list[Path]
    baseline: set[tuple[str, str]] | None = None


@dataclass
class Stats:
    tried: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    exits: Counter[int] = field(default_factory=Counter)


def units_in(roots: list[Path]) -> list[Unit]:
    out = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            files = [
                Path(dirpath) / n
                for n in sorted(filenames)
                if n.endswith(SUFFIXES) and (Path(dirpath) / n).is_file()
            ]
            files = [p for p in files if p.stat().st_size <= MAX_SEED_BYTES]
            if files and len(files) <= MAX_FILES_PER_DIR:
                out.append(Unit(Path(dirpath), files))
    return out


# -- mutations (each takes the file's bytes and returns new bytes) ---------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def truncate(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def flip_bytes(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    buf = bytearray(data or b" ")
    for _ in range(rng.randint(1, 8)):
        buf[rng.randrange(len(buf))] = rng.choice([rng.randrange(256), *b'"{}[]()=:#\\\n-$%<>'])
    return bytes(buf)


def duplicate_block(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    lines = _lines(data)
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.randint(1, 20))
    return b"".join(lines[:b] + lines[a:b] + lines[b:])


def delete_block(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    lines = _lines(data)
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.randint(1, 20))
    return b"".join(lines[:a] + lines[b:])


def huge_string(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    unit = rng.choice([b"a", b"a.", b"k: ", b"k=v;", b"https://a.b/ ", b"${", b"\\", b"# "])
    blob = unit * (rng.choice([10_000, 100_000, 1_000_000]) // len(unit))
    lines = _lines(data)
    i = rng.randrange(len(lines))
    line = lines[i]
    quote = line.find(b'"')
    if quote >= 0:  # inside an existing string value
        lines[i] = line[: quote + 1] + blob + line[quote + 1 :]
    else:
        lines[i] = line + blob
    return b"".join(lines)


def deep_nesting(rng: random.Random, data: bytes, _other: bytes) -> bytes:
    depth = rng.choice([100, 1000, 10_000, 100_000])
    opener, closer = rng.choice(
        [(b"[", b"]"), (b"{", b"}"), (b"(", b")"), (b"- ", b""), (b"a: {", b"}"), (b"x = {", b"}")]
    )
    close = closer * depth if rng.random() < 0.5 else b""
    lines = _lines(data)
    i = rng.randrange(len(lines) + 1)
    return b"".join([*lines[:i], opener * depth + close + b"\n", *lines[i:]])


def splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    lines, donor = _lines(data), _lines(other)
    a = rng.randrange(len(donor))
    block = donor[a : a + rng.randint(1, 10)]
    i = rng.randrange(len(lines) + 1)
    return b"".join(lines[:i] + block + lines[i:])


MUTATIONS: dict[str, Callable[[random.Random, bytes, bytes], bytes]] = {
    "truncate": truncate,
    "flip-bytes": flip_bytes,
    "duplicate-block": duplicate_block,
    "delete-block": delete_block,
    "huge-string": huge_string,
    "deep-nesting": deep_nesting,
    "splice": splice,
}


# -- running sovlint -------------------------------------------------------------------------


@dataclass
class Run:
    rc: int | None  # None: timed out
    stdout: str
    stderr: str
    seconds: float


def scan(directory: Path, timeout: float) -> Run:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    cmd = [sys.executable, "-m", "sovlint", "scan", ".", "-f", "json", "--no-cache", "-j", "1"]
    start = time.monotonic()
    try:
        proc = subprocess.run(
            cmd,
            cwd=directory,
            env=env,
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode("utf-8", "replace")
        err = (exc.stderr or b"").decode("utf-8", "replace")
        return Run(None, out, err, time.monotonic() - start)
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        time.monotonic() - start,
    )


def pairs(run: Run) -> set[tuple[str, str]] | None:
    try:
        report = json.loads(run.stdout)
    except ValueError:
        return None
    return {(f["file"], f["rule_id"]) for f in report.get("findings", [])}


def problems(run: Run, baseline: set[tuple[str, str]] | None, mutated: str) -> list[str]:
    if run.rc is None:
        return [f"hang: no answer within {run.seconds:.0f} s"]
    out = []
    if run.rc not in (0, 1, 2):
        out.append(f"exit code {run.rc}")
    if "Traceback" in run.stderr or "internal error" in run.stderr:
        out.append("traceback or internal error on stderr")
    lines = run.stderr.splitlines()
    if len(lines) > 1 or any(not line.startswith("sovlint: ") for line in lines):
        out.append("stderr is not at most one `sovlint:` line")
    if run.rc in (0, 1):
        got = pairs(run)
        if got is None:
            out.append("stdout is not a JSON report")
        elif baseline is not None and not _module_refused(got, mutated):
            lost = sorted(
                p for p in baseline - got if p[0] != mutated and _independent(p[0], mutated)
            )
            lost += sorted(
                {(f, "any finding") for f, _rule in baseline - got}
                - {(f, "any finding") for f, _rule in got}
                - {(mutated, "any finding")}
            )
            if lost:
                out.append(f"silent loss in other files after mutating {mutated}: {lost[:5]}")
    return out


def _module_refused(got: set[tuple[str, str]], mutated: str) -> bool:
    """A Terraform file that no longer parses is SOV001 and the run fails: what its module's
    other files reported from its content (a data source it declared, a variable) may go
    with it. That is not a silent loss; a file going silent beside a readable one is."""
    terraform = (".tf", ".tf.json", ".tofu", ".tfvars")
    return mutated.endswith(terraform) and (mutated, "SOV001") in got


def _independent(other: str, mutated: str) -> bool:
    """Can a change to `mutated` change what `other` reports? Terraform files of one module
    share variables, locals and providers (a spliced default may resolve an unknown there):
    for them only "still has a finding" is checked; any other pair must keep every rule."""
    terraform = (".tf", ".tf.json", ".tofu", ".tfvars")
    return not (other.endswith(terraform) and mutated.endswith(terraform))


def copy_unit(unit: Unit, into: Path) -> None:
    for path in unit.files:
        shutil.copyfile(path, into / path.name)


def save_failure(
    n: int, work: Path, what: list[str], run: Run, mutation: str, seed_file: Path
) -> Path:
    target = HERE / "mutants" / f"{n:04d}"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(work, target)
    (target / "MUTANT.txt").write_text(
        f"mutation: {mutation}\nseed file: {seed_file}\nproblems:\n"
        + "".join(f"  - {w}\n" for w in what)
        + f"exit: {run.rc}\nstderr:\n{run.stderr[-4000:]}\n"
    )
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "dirs", nargs="*", type=Path, help="directories of real files (and fixtures/)"
    )
    parser.add_argument("--minutes", type=float, default=1.0, help="time budget")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per sovlint run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-fixtures", action="store_true", help="only the DIRs given")
    args = parser.parse_args()
    roots = ([] if args.no_fixtures else [ROOT / "fixtures"]) + [d.resolve() for d in args.dirs]
    units = units_in(roots)
    if not units:
        print("no directory with scannable files", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    stats = Stats()
    deadline = time.monotonic() + args.minutes * 60
    print(
        f"{len(units)} directories from {len(roots)} roots; budget {args.minutes:g} min", flush=True
    )
    while time.monotonic() < deadline:
        unit = rng.choice(units)
        with tempfile.TemporaryDirectory(prefix="sovlint-mutant-") as tmp:
            work = Path(tmp)
            copy_unit(unit, work)
            if unit.baseline is None:
                base = scan(work, args.timeout)
                unit.baseline = pairs(base) if base.rc in (0, 1) else set()
            seed_file = rng.choice(unit.files)
            donor = rng.choice(rng.choice(units).files)
            name = rng.choice(sorted(MUTATIONS))
            target = work / seed_file.name
            target.write_bytes(MUTATIONS[name](rng, target.read_bytes(), donor.read_bytes()))
            run = scan(work, args.timeout)
            stats.tried[name] += 1
            stats.exits[run.rc if run.rc is not None else -1] += 1
            found = problems(run, unit.baseline, seed_file.name)
            if found:
                saved = save_failure(len(stats.failures), work, found, run, name, seed_file)
                stats.failures.append(f"{name} on {seed_file}: {'; '.join(found)} ({saved})")
                print(f"FAIL {stats.failures[-1]}", flush=True)
    total = sum(stats.tried.values())
    print(
        f"mutants tried: {total} ({', '.join(f'{k} {v}' for k, v in sorted(stats.tried.items()))})"
    )
    print(f"exit codes: {dict(sorted(stats.exits.items()))}")
    print(f"failures: {len(stats.failures)}")
    return 1 if stats.failures else 0


if __name__ == "__main__":
    sys.exit(main())
