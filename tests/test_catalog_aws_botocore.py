"""The AWS region table against botocore's partition and endpoint data (an SDK data file).

botocore is a test-only dependency (the `test` extra): sovlint never imports it at run
time. A region botocore knows that the catalog lacks would be a false SOV103.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sovlint.catalog.load import load_catalog

botocore = pytest.importorskip("botocore", reason="botocore (the test extra) is not installed")

DATA = Path(botocore.__file__).parent / "data"


def _botocore_regions() -> dict[str, str]:
    """Region -> partition, from endpoints.json and partitions.json (pseudo `*-global` left out)."""
    out: dict[str, str] = {}
    for part in json.loads((DATA / "endpoints.json").read_text())["partitions"]:
        for region in part["regions"]:
            out[region] = part["partition"]
    for part in json.loads((DATA / "partitions.json").read_text())["partitions"]:
        for region in part["regions"]:
            if not region.endswith("-global"):
                out.setdefault(region, part["id"])
    return out


def test_botocore_has_regions() -> None:
    regions = _botocore_regions()
    assert len(regions) > 30 and "eu-west-3" in regions


def test_catalog_knows_every_region_botocore_knows() -> None:
    aws = load_catalog().providers["aws"]
    missing = sorted(r for r in _botocore_regions() if aws.region(r) is None)
    assert not missing, (
        f"regions in botocore's data but not in policies/providers/aws.yaml: {missing}"
    )


def test_partitions_map_to_their_operators() -> None:
    aws = load_catalog().providers["aws"]
    expected = {"aws-cn": {"sinnet", "nwcd"}, "aws-eusc": {"aws_eusc"}}
    for region, partition in _botocore_regions().items():
        info = aws.region(region)
        assert info is not None
        operator = info.operator or aws.operator
        assert operator in expected.get(partition, {"aws"}), (region, partition, operator)


def test_dns_suffixes_of_sovereign_partitions_are_host_rules() -> None:
    catalog = load_catalog()
    for part in json.loads((DATA / "endpoints.json").read_text())["partitions"]:
        if part["partition"] in ("aws-cn", "aws-eusc"):
            region = next(iter(part["regions"]))
            match = catalog.match_host(f"s3.{region}.{part['dnsSuffix']}")
            assert match is not None, part["partition"]
            assert match.rule.operator != "aws", (part["partition"], match.rule.pattern)
