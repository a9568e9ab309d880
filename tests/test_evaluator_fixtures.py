"""Fixtures for each construct the evaluator follows: exact findings, messages that name
the branch or the cause, and the same verdicts through the Checkov extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovtest import FIXTURES, assert_case, run_scan, terraform_cases
from test_checkov_extension import Parity, assert_parity, checkov, checks_dir

__all__ = ["checkov", "checks_dir"]  # pytest fixtures, shared with the extension's tests

EVAL_CASES = terraform_cases("eval-") + terraform_cases("pass-eval-")


@pytest.mark.parametrize(("case", "profile"), EVAL_CASES)
def test_construct_fixture(case: Path, profile: str) -> None:
    assert_case(case, profile)


def _messages(case: str) -> dict[str, str]:
    result = run_scan(FIXTURES / "terraform" / case, "residency-eu")
    return {f.address: f.message for f in result.findings}


def test_branch_findings_name_the_branch() -> None:
    messages = _messages("eval-branches")
    assert (
        'the branch where terraform.workspace == "prod" is true'
        in messages["hcloud_server.by_workspace"]
    )
    assert 'the branch where terraform.workspace is "prod"' in messages["hcloud_server.lookup"]


def test_unresolved_findings_name_the_cause_and_the_way_out() -> None:
    result = run_scan(FIXTURES / "terraform" / "eval-unresolved-causes", "residency-eu")
    by = {f.address: f for f in result.findings}
    variable = by["hcloud_server.from_variable"]
    assert "variable 'location' has no value" in variable.message
    assert "--var-file" in variable.fix
    data = by["hcloud_server.from_data_source"]
    assert "a data source" in data.message
    assert "plan.json" in data.fix
    clock = by["hcloud_server.from_the_clock"]
    assert 'the branch where formatdate("YYYY", timestamp()) == "2026" is false' in clock.message


def test_inventory_uses_terraform_instance_addresses() -> None:
    result = run_scan(FIXTURES / "terraform" / "eval-count-for-each", "residency-eu")
    regions = {i.address: i.region for i in result.inventory}
    assert regions['hcloud_server.site["eu"]'] == "fsn1"
    assert regions["hcloud_server.replica[0]"] == "nbg1"
    edge = run_scan(FIXTURES / "terraform" / "eval-module-for-each", "residency-eu")
    assert {i.address: i.region for i in edge.inventory}[
        'module.edge["hel1"].hcloud_server.node'
    ] == "hel1"


# -- the Checkov extension gives the same verdicts on these fixtures ----------------------

CHECKOV_CASES = sorted({c.values[0] for c in EVAL_CASES}, key=str)


def test_checkov_extension_parity_on_construct_fixtures(checkov: Path, checks_dir: Path) -> None:
    assert_parity(Parity(checkov, checks_dir, "residency-eu", list(CHECKOV_CASES)))
