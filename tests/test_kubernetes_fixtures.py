"""Every Kubernetes fixture case gives exactly its expected findings and exit code, per profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sovtest import FIXTURES, assert_case, expectations


def kubernetes_cases() -> list[Any]:
    params = []
    for case in sorted(p for p in (FIXTURES / "kubernetes").iterdir() if p.is_dir()):
        if (case / "expected.yaml").is_file():
            for profile in expectations(case):
                params.append(pytest.param(case, profile, id=f"{case.name}[{profile}]"))
    return params


@pytest.mark.parametrize(("case", "profile"), kubernetes_cases())
def test_fixture_case(case: Path, profile: str) -> None:
    assert_case(case, profile)
