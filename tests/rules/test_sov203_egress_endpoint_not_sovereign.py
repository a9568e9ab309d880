from __future__ import annotations

from sovtest import FIXTURES, assert_case


def test_egress_under_both_profiles() -> None:
    result = assert_case(FIXTURES / "terraform" / "sov203-egress", "sovereign-eu")
    by_line = {f.line: f for f in result.findings}
    assert by_line[18].operator is not None and "OpenAI" in by_line[18].operator
    assert "api.openai.com" in by_line[18].message
    assert by_line[19].country == "DE"  # datadoghq.eu: EU-located, US-controlled
    assert_case(FIXTURES / "terraform" / "sov203-egress", "residency-eu")
