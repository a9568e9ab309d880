from __future__ import annotations

from sovtest import FIXTURES, assert_case


def test_unresolvable_expressions_and_environment() -> None:
    result = assert_case(FIXTURES / "terraform" / "sov104-unresolved", "residency-eu")
    messages = {f.address: f.message for f in result.findings}
    assert messages["provider.scaleway"] == "region = var.region: cannot be evaluated statically"
    assert "lookup(" in messages["scaleway_object_bucket.data"]
    assert "AWS_REGION" in messages["provider.aws.env"]
