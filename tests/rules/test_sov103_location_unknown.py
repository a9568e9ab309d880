from __future__ import annotations

from sovtest import FIXTURES, assert_case


def test_unknown_region_is_not_guessed() -> None:
    (f,) = assert_case(FIXTURES / "terraform" / "sov103-unknown-region", "sovereign-eu").findings
    assert f.country is None
    assert f.region == "fr-lyo"
    assert "scaleway" in f.message
