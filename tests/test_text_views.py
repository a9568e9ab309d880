"""The text layouts (full, concise, grouped, --statistics, --quiet, --show-suppressed) as
snapshots, and the CLI options that choose findings (--select/--ignore) and the exit code."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from reporthelp import report_for
from snapshot import assert_snapshot
from sovlint.reporters import Report, renderer
from sovlint.reporters.text_options import TextOptions
from sovtest import FIXTURES, run_cli

DEMO = FIXTURES / "demo"
SUPPRESSION = FIXTURES / "terraform" / "suppression"
SHARED = FIXTURES / "terraform" / "modules" / "shared-by-examples"

VIEWS = {
    "full": TextOptions(),
    "concise": TextOptions(view="concise"),
    "grouped-file": TextOptions(view="grouped"),
    "grouped-operator": TextOptions(view="grouped", group_by="operator"),
    "statistics": TextOptions(statistics=True),
    "quiet-concise": TextOptions(view="concise", quiet=True),
}


def _text(report: Report, options: TextOptions) -> str:
    return renderer("text")(dataclasses.replace(report, text=options), False)


@pytest.fixture(scope="module")
def demo() -> Report:
    return report_for(DEMO)


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_demo_views(demo: Report, view: str) -> None:
    assert_snapshot(f"text-{view}.txt", _text(demo, VIEWS[view]))


def test_shared_module_names_its_callers() -> None:
    assert_snapshot("text-shared-module.txt", _text(report_for(SHARED), TextOptions()))


def test_suppressed_findings_are_listed_with_reason_and_expiry() -> None:
    report = report_for(SUPPRESSION)
    text = _text(report, TextOptions(view="concise", show_suppressed=True))
    assert_snapshot("text-show-suppressed.txt", text)
    assert "[suppressed by comment: legacy account, migration ticket OPS-42]" in text
    assert "suppressed" not in _text(report, TextOptions(view="concise")).split("\n\n")[0]


def test_full_view_caps_each_family_and_says_how_many_are_left(demo: Report) -> None:
    text = _text(demo, TextOptions(per_family=1))
    assert "... 1 more SOV101 finding operated by Amazon Web Services, Inc." not in text
    assert "... 1 more SOV203 finding operated by OpenAI (API platform)" in text
    assert text.count("SOV203 [medium]") == 1
    assert _text(demo, TextOptions(per_family=0)).count("SOV203 [medium]") == 2


def test_json_carries_the_suppression_reason_and_until(tmp_path: Path) -> None:
    proc = run_cli(["scan", ".", "-f", "json", "--no-cache"], SUPPRESSION)
    by_line = {f["line"]: f for f in json.loads(proc.stdout)["findings"]}
    assert by_line[10]["suppression"] == {
        "by": "comment",
        "reason": "legacy account, migration ticket OPS-42",
        "until": None,
        "line": 9,
    }
    assert all(f["suppression"] is None for f in by_line.values() if not f["suppressed"])


def test_select_ignore_and_exit_zero() -> None:
    proc = run_cli(["scan", ".", "--select", "SOV1*", "--ignore", "resource-not-sovereign",
                    "--output-format", "concise", "-q", "--no-cache"], DEMO / "platform")  # fmt: skip
    rules = {line.split()[1] for line in proc.stdout.splitlines()}
    assert (proc.returncode, rules) == (1, {"SOV100"})
    assert run_cli(["scan", ".", "--exit-zero", "-q", "--no-cache"], DEMO).returncode == 0
    bad = run_cli(["scan", ".", "--select", "SOV9*"], DEMO)
    assert (bad.returncode, bad.stderr) == (
        2,
        "sovlint: error: --select 'SOV9*' matches no rule (see `sovlint rules`)\n",
    )
    assert "SOV001 cannot be ignored" in run_cli(["scan", ".", "--ignore", "SOV001"], DEMO).stderr


def test_select_never_hides_an_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "a" "b" {\n')
    proc = run_cli(["scan", ".", "--select", "SOV203", "--no-cache"], tmp_path)
    assert proc.returncode == 1 and "SOV001" in proc.stdout


def test_show_settings_names_the_config_and_its_lines(tmp_path: Path) -> None:
    (tmp_path / ".sovlint.yaml").write_text("profile: residency-eu\ndisable: [SOV104]\n")
    (tmp_path / "main.tf").write_text("")
    proc = run_cli(["scan", ".", "--show-settings"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert ".sovlint.yaml" in proc.stdout
    assert "  profile: residency-eu" in proc.stdout
    assert "  disable: SOV104 (" in proc.stdout and ".sovlint.yaml:2)" in proc.stdout
