from __future__ import annotations

from sovtest import FIXTURES, assert_case


def test_suppressions_expired_and_unknown_ids() -> None:
    result = assert_case(FIXTURES / "terraform" / "suppression", "sovereign-eu")
    suppressed = {f.address: f for f in result.findings if f.suppressed}
    assert set(suppressed) == {"provider.aws", "aws_s3_bucket.a"}
    sov003 = [f.message for f in result.findings if f.rule_id == "SOV003"]
    assert any("expired on 2020-01-31" in m for m in sov003)
    assert any("SOV999" in m for m in sov003)
