from __future__ import annotations

from sovtest import FIXTURES, assert_case


def test_resources_and_data_sources() -> None:
    result = assert_case(FIXTURES / "terraform" / "sov100-aws-eu-west-3", "sovereign-eu")
    messages = {f.address: f.message for f in result.findings if f.rule_id == "SOV101"}
    assert messages["data.aws_caller_identity.current"].startswith("data source")
    assert messages["aws_s3_bucket.reports"].startswith("resource")


def test_endpoint_override_covers_only_its_service() -> None:
    result = assert_case(FIXTURES / "terraform" / "aws-endpoint-scaleway", "sovereign-eu")
    (f,) = [f for f in result.findings if f.rule_id == "SOV101"]
    assert f.address == "aws_instance.bastion"
    assert f.operator == "Amazon Web Services, Inc."


def test_s3ns_through_google_provider() -> None:
    result = assert_case(FIXTURES / "terraform" / "secnumcloud-s3ns", "secnumcloud")
    flagged = {f.address for f in result.findings if f.rule_id == "SOV101"}
    assert flagged == {"google_storage_bucket.public"}
