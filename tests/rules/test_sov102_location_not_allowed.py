from __future__ import annotations

from sovtest import FIXTURES, assert_case


def test_hetzner_ashburn() -> None:
    (f,) = assert_case(FIXTURES / "terraform" / "sov102-hetzner-ash", "sovereign-eu").findings
    assert (f.region, f.country, f.operator) == ("ash", "US", "Hetzner Online GmbH")


def test_tfvars_overrides_default_and_is_named() -> None:
    (f,) = assert_case(FIXTURES / "terraform" / "tfvars-override", "sovereign-eu").findings
    assert (f.region, f.country) == ("hil", "US")
    assert "terraform.tfvars:2" in f.message


def test_region_names_are_per_provider() -> None:
    # eu-west-2 is Paris on Outscale: clean; the same string on AWS is London.
    assert_case(FIXTURES / "terraform" / "outscale-eu-west-2", "sovereign-eu")


def test_secnumcloud_requires_a_qualified_region() -> None:
    (f,) = assert_case(FIXTURES / "terraform" / "outscale-eu-west-2", "secnumcloud").findings
    assert "secnumcloud" in f.message
    assert_case(FIXTURES / "terraform" / "secnumcloud-outscale-cloudgouv", "secnumcloud")


def test_aliased_provider_region() -> None:
    (f,) = assert_case(FIXTURES / "terraform" / "provider-alias", "residency-eu").findings
    assert (f.address, f.region, f.country) == ("provider.aws.us", "us-west-2", "US")


def test_json_syntax() -> None:
    assert_case(FIXTURES / "terraform" / "tf-json", "residency-eu")
