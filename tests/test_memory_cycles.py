"""A scan leaves no reference cycles behind: the command collects garbage rarely
(sovlint.__main__.GC_THRESHOLDS), so a cycle through a module's evaluator would keep that
module's documents, bindings and facts alive until the scan ends (tens of MB on a large tree)."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sovlint.__main__ import GC_THRESHOLDS, main
from sovtest import ROOT

sys.path.insert(0, str(ROOT / "bench"))


def _cyclic_garbage_of_a_scan(target: Path) -> Counter[str]:
    """sovlint's objects that only the cycle collector could free after a scan of `target`."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        rc = main(
            ["scan", str(target), "--no-cache", "--jobs", "1", "-f", "json", "-o", "/dev/null"]
        )
        assert rc == 1  # the corpus has findings: the scan judged it
        gc.collect()
        return Counter(
            type(o).__qualname__
            for o in gc.garbage
            if getattr(type(o), "__module__", "").startswith("sovlint")
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def test_a_scan_of_modules_and_manifests_leaves_no_cycles(tmp_path: Path) -> None:
    from corpus import generate

    generate(tmp_path / "tree", 20, 1, 20)  # the benchmark corpus S: modules and manifests
    assert _cyclic_garbage_of_a_scan(tmp_path / "tree") == Counter()


def test_files_that_do_not_parse_leave_no_cycles(tmp_path: Path) -> None:
    """A parse error kept for its finding must not keep the parser's frames (a LoadError kept
    with its traceback held every manifest's parser, and the failures list, in a cycle)."""
    broken = tmp_path / "broken"
    broken.mkdir()
    for i in range(5):
        (broken / f"f{i}.tf").write_text(f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "x\n}}\n')
        (broken / f"m{i}.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n")
    assert _cyclic_garbage_of_a_scan(broken) == Counter()


def test_the_command_sets_the_thresholds(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')
    probe = (
        "import gc, sys\n"
        "from sovlint.__main__ import main\n"
        "sys.argv = ['sovlint', 'scan', 'main.tf', '--no-cache', '-o', 'out.txt']\n"
        "main()\n"
        "print(gc.get_threshold())\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert proc.stdout.strip() == str(GC_THRESHOLDS)


def test_callers_in_their_own_process_keep_their_thresholds(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')
    before = gc.get_threshold()
    main(["scan", str(tmp_path / "main.tf"), "--no-cache", "-o", str(tmp_path / "out.txt")])
    assert gc.get_threshold() == before


def test_errors_that_try_catches_leave_no_cycles(tmp_path: Path) -> None:
    """try() keeps the last error's message, not the error (whose traceback holds its frame)."""
    (tmp_path / "main.tf").write_text(
        'locals {\n  a = try(tonumber("x"), "eu-west-3")\n  b = try(["a"][5], "fr-par")\n}\n'
        'provider "aws" {\n  region = local.a\n}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = local.b\n}\n'
    )
    assert _cyclic_garbage_of_a_scan(tmp_path) == Counter()
