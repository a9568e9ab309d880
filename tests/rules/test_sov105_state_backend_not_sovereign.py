from __future__ import annotations

from sovtest import FIXTURES, assert_case


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
