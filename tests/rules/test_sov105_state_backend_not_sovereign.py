from __future__ import annotations

from sovtest import FIXTURES, assert_case, run_scan


def test_hcp_terraform_cloud_block() -> None:
    (f,) = assert_case(FIXTURES / "terraform" / "sov105-cloud-block", "sovereign-eu").findings
    assert f.address == "terraform.cloud"
    assert "app.terraform.io" in f.message
    assert_case(FIXTURES / "terraform" / "sov105-cloud-block", "residency-eu")


def test_s3_backend_in_the_us() -> None:
    assert_case(FIXTURES / "terraform" / "sov105-s3-backend-us", "sovereign-eu")
    assert_case(FIXTURES / "terraform" / "sov105-s3-backend-us", "residency-eu")


def test_s3_backend_on_ovhcloud_is_clean() -> None:
    assert_case(FIXTURES / "terraform" / "pass-s3-backend-ovh", "sovereign-eu")


def test_s3_backend_on_ovhcloud_fails_secnumcloud_naming_the_qualified_offers() -> None:
    """OVHcloud Object Storage is not in OVHcloud's SecNumCloud offers: the finding says so
    and its fix names the offers that would qualify (not the rule's generic S3 advice)."""
    findings = [
        f
        for f in run_scan(FIXTURES / "terraform" / "pass-s3-backend-ovh", "secnumcloud").findings
        if f.rule_id == "SOV105"
    ]
    assert len(findings) == 1
    assert "not managed through the ovh provider" in findings[0].message
    assert findings[0].fix.startswith("Use OVHcloud Hosted Private Cloud SecNumCloud or ")
