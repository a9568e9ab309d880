from __future__ import annotations

from pathlib import Path

from sovtest import FIXTURES, assert_case, run_scan


def test_aws_in_paris_is_still_aws() -> None:
    result = assert_case(FIXTURES / "terraform" / "sov100-aws-eu-west-3", "sovereign-eu")
    f = next(f for f in result.findings if f.rule_id == "SOV100")
    assert (f.address, f.provider, f.operator, f.jurisdiction, f.country, f.region) == (
        "provider.aws", "aws", "Amazon Web Services, Inc.", "US", "FR", "eu-west-3",
    )  # fmt: skip
    assert "CLOUD Act" in f.message
    assert "European" in f.fix


def test_clean_under_residency() -> None:
    assert_case(FIXTURES / "terraform" / "sov100-aws-eu-west-3", "residency-eu")


def test_declared_only_provider_is_reported_at_its_declaration(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_providers {\n    azurerm = { source = "hashicorp/azurerm" }\n  }\n}\n'
    )
    (f,) = run_scan(tmp_path).findings
    assert (f.rule_id, f.line, f.address) == ("SOV100", 3, "provider.azurerm")


def test_allow_and_deny_providers(tmp_path: Path) -> None:
    from sovlint.engine import ScanOptions, scan
    from sovlint.profiles import load_profile
    from sovtest import catalog

    (tmp_path / "main.tf").write_text('provider "scaleway" {\n  region = "fr-par"\n}\n')
    cat = catalog()
    denied = load_profile("sovereign-eu", cat).extend(cat, deny_providers=("scaleway",))
    result = scan(ScanOptions([tmp_path], denied, cat, cwd=tmp_path))
    assert [(f.rule_id, f.address) for f in result.findings] == [("SOV100", "provider.scaleway")]
    assert "deny_providers" in result.findings[0].message
