"""Every Terraform fixture case gives exactly its expected findings and exit code, per profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovtest import assert_case, terraform_cases


@pytest.mark.parametrize(("case", "profile"), terraform_cases())
def test_fixture_case(case: Path, profile: str) -> None:
    assert_case(case, profile)
