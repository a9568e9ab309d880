"""`--format markdown`: a pull-request comment (snapshot), new findings first with a baseline."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from reporthelp import report_for
from snapshot import assert_snapshot
from sovlint.reporters import renderer
from sovtest import FIXTURES, run_cli

DEMO = FIXTURES / "demo"


def test_demo_snapshot() -> None:
    assert_snapshot("markdown-demo.md", renderer("markdown")(report_for(DEMO), False))


def test_suppressions_snapshot() -> None:
    report = report_for(FIXTURES / "terraform" / "suppression")
    text = renderer("markdown")(report, False)
    assert_snapshot("markdown-suppression.md", text)
    assert "Exceptions register (3)" in text


def test_new_findings_come_first_with_a_baseline(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DEMO / "platform", repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    base = tmp_path / "baseline.json"
    assert run_cli(["scan", ".", "--write-baseline", str(base), "--no-cache"], repo).returncode == 0
    (repo / "extra.tf").write_text('provider "azurerm" {\n  features {}\n}\n')
    proc = run_cli(["scan", ".", "--baseline", str(base), "-f", "markdown", "--no-cache"], repo)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    first = lines.index(next(line for line in lines if line.startswith("#### ")))
    assert lines[first] == "#### New findings (not in the baseline) (1)"
    assert "provider.azurerm" in lines[first + 2]
    assert "recorded in the baseline are not repeated here" in proc.stdout


def test_table_cells_cannot_break_the_comment() -> None:
    from sovlint.reporters.markdown import _cell

    assert _cell("a|b\n<script>`x`") == "a\\|b &lt;script&gt;'x'"
