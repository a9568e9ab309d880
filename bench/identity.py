"""Byte-identity check for refactors: record `sovlint scan` outputs, then compare.

    python bench/identity.py record /tmp/before      # on the commit before the refactor
    python bench/identity.py compare /tmp/before     # after it: exit 1 on any difference
    python bench/identity.py compare /tmp/before /tmp/after   # two recorded directories

To record a commit without checking it out here: `git worktree add /tmp/base REV` and
`PYTHONPATH=/tmp/base/src python bench/identity.py record /tmp/before`.

Each target (every fixtures/ directory plus a few real repositories from $SOVLINT_CORPORA,
default /work/corpora, when present) is scanned once per profile with text on stdout and
JSON + SARIF written to files; the exit code and standard error are recorded too. Runs with
--no-cache and -j 1 so that nothing but the code under test differs between the two runs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ("sovereign-eu", "residency-eu", "secnumcloud")
CORPORA = ("terraform-aws-vpc", "terraform-aws-eks", "kube-prometheus")


def targets() -> list[Path]:
    fixtures = ROOT / "fixtures"
    found = sorted(p for group in fixtures.iterdir() if group.is_dir() for p in group.iterdir())
    found = [p for p in found if p.is_dir()]
    corpora = Path(os.environ.get("SOVLINT_CORPORA", "/work/corpora"))
    found += [corpora / name for name in CORPORA if (corpora / name).is_dir()]
    return found


def name_of(target: Path) -> str:
    try:
        return target.relative_to(ROOT).as_posix().replace("/", "__")
    except ValueError:
        return "corpus__" + target.name


def run_one(target: Path, profile: str, out: Path) -> None:
    stem = f"{name_of(target)}__{profile}"
    with tempfile.TemporaryDirectory() as tmp:
        json_file, sarif_file = Path(tmp, "r.json"), Path(tmp, "r.sarif")
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "sovlint",
                "scan",
                str(target),
                "--profile",
                profile,
                "--no-cache",
                "-j",
                "1",
                "--no-color",
                "-f",
                "text",
                "-f",
                "json",
                "-o",
                str(json_file),
                "-f",
                "sarif",
                "-o",
                str(sarif_file),
            ],
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )
        (out / f"{stem}.txt").write_bytes(proc.stdout)
        (out / f"{stem}.stderr").write_bytes(proc.stderr + f"\nexit {proc.returncode}\n".encode())
        for src, ext in ((json_file, "json"), (sarif_file, "sarif")):
            (out / f"{stem}.{ext}").write_bytes(src.read_bytes() if src.exists() else b"")


def record(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for target in targets():
        for profile in PROFILES:
            run_one(target, profile, out)
    print(f"recorded {len(list(out.iterdir()))} files in {out}")
    return 0


def compare(before: Path, recorded: Path | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        after = recorded or Path(tmp)
        if recorded is None:
            record(after)
        names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
        differ = []
        for name in names:
            a, b = before / name, after / name
            if not a.exists() or not b.exists() or a.read_bytes() != b.read_bytes():
                differ.append(name)
        digest = hashlib.sha256()
        for name in names:
            if (after / name).exists():
                digest.update(name.encode() + b"\0" + (after / name).read_bytes())
        print(f"compared {len(names)} outputs; {len(differ)} differ; sha256 {digest.hexdigest()}")
        for name in differ:
            print(f"  DIFFERS: {name}")
        return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("record", "compare"))
    parser.add_argument("directory", type=Path)
    parser.add_argument("after", type=Path, nargs="?", help="compare: an already recorded run")
    args = parser.parse_args(argv)
    if args.mode == "record":
        return record(args.directory)
    return compare(args.directory, args.after)


if __name__ == "__main__":
    sys.exit(main())
