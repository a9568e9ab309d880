from __future__ import annotations

from pathlib import Path

from sovtest import FIXTURES, assert_case, run_scan


def test_unknown_provider_reported_once() -> None:
    (f,) = assert_case(FIXTURES / "terraform" / "sov106-unknown-provider", "sovereign-eu").findings
    assert "example-corp/acme" in f.message


def test_utility_providers_are_neutral() -> None:
    assert_case(FIXTURES / "terraform" / "utility-neutral", "sovereign-eu")


def test_generic_provider_judged_by_auth_url(tmp_path: Path) -> None:
    assert_case(FIXTURES / "terraform" / "generic-openstack", "sovereign-eu")
    (tmp_path / "main.tf").write_text(
        'provider "openstack" {\n  auth_url = "https://keystone.internal.example:5000/v3"\n}\n'
    )
    (f,) = run_scan(tmp_path).findings
    assert (f.rule_id, f.address) == ("SOV106", "provider.openstack")
    assert "keystone.internal.example" in f.message
