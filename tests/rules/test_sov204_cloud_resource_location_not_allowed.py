from __future__ import annotations

from sovtest import FIXTURES, assert_case, run_scan

CASE = FIXTURES / "kubernetes" / "sov204-cloud-resources"


def test_regions_of_declared_cloud_resources() -> None:
    result = assert_case(CASE, "residency-eu")
    by_line = {(f.file, f.line): f for f in result.findings}
    us = by_line[("crossplane.yaml", 8)]
    assert us.region == "us-east-1" and us.country == "US" and us.provider == "aws"
    assert "spec.forProvider.region 'us-east-1'" in us.message
    assert by_line[("controllers.yaml", 8)].region == "us-west-2"  # the ACK annotation
    assert_case(CASE, "sovereign-eu")


def test_an_unknown_region_is_unknown_in_the_inventory_never_passed() -> None:
    result = run_scan(CASE, "residency-eu")
    items = {i.address: i for i in result.inventory}
    assert items["Bucket/typo"].verdict.value == "unknown"
    assert items["Bucket/invoices-paris"].verdict.value != "not_sovereign"
