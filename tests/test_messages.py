"""Finding messages read as sentences under every profile and say how to accept a refusal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from snapshot import assert_snapshot
from sovtest import FIXTURES, run_scan

PROFILES = ("sovereign-eu", "residency-eu", "secnumcloud")
ESTATES = (FIXTURES / "demo", FIXTURES / "terraform" / "sov100-swiss-operator")


def _messages(profile: str) -> list[tuple[str, str]]:
    out = []
    for estate in ESTATES:
        out += [(f.rule_id, f.message) for f in run_scan(estate, profile).findings]
    return out


@pytest.mark.parametrize("profile", PROFILES)
def test_messages_snapshot(profile: str) -> None:
    lines = [f"{rule} {message}" for rule, message in _messages(profile)]
    assert_snapshot(f"messages-{profile}.txt", "\n".join(lines) + "\n")


@pytest.mark.parametrize("profile", PROFILES)
def test_no_verb_runs_into_an_operator_name(profile: str) -> None:
    """'is Scaleway SAS has no ...': a reason must follow "is" as a predicate."""
    for estate in ESTATES:
        for f in run_scan(estate, profile).findings:
            if f.operator:
                assert f" is {f.operator}" not in f.message, f.message


def test_swiss_operator_says_how_to_accept_it(tmp_path: Path) -> None:
    estate = tmp_path / "estate"
    shutil.copytree(FIXTURES / "terraform" / "sov100-swiss-operator", estate)
    messages = {f.address: f.message for f in run_scan(estate).findings}
    assert (
        messages["provider.infomaniak"].count(
            "CH is outside sovereign-eu's operator countries; accept it with allow_countries: [CH]"
        )
        == 1
    )
    assert "accept it with allow_countries: [CH, MX]" in messages["provider.exoscale"]


def test_the_advice_works(tmp_path: Path) -> None:
    """Following the message's own advice in .sovlint.yaml accepts the operator."""
    from sovtest import run_cli

    estate = tmp_path / "estate"
    shutil.copytree(FIXTURES / "terraform" / "sov100-swiss-operator", estate)
    (estate / ".sovlint.yaml").write_text("allow_countries: [CH, MX]\n")
    proc = run_cli(["scan", str(estate), "--no-cache"])
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stdout


def test_secnumcloud_names_the_operator_as_a_predicate() -> None:
    result = run_scan(FIXTURES / "demo", "secnumcloud")
    scaleway = next(f for f in result.findings if f.address == "provider.scaleway")
    assert scaleway.message.startswith(
        "provider scaleway (scaleway/scaleway) is operated by Scaleway SAS, which has no "
        "secnumcloud-qualified offer in the catalog for this provider; "
        "accept it with allow_providers: [scaleway]"
    )
