"""Literal regions of SaaS resources (#12 item 5): policies/locations.yaml chooses the region
table by a sibling (`cloud`) or by a prefix of the value (`gcp-europe-west1`); anything no
entry names stays as written and is unknown, never guessed."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from sovlint.catalog.load import CatalogError, load_catalog
from sovlint.catalog.model import Catalog, LocationPath


@functools.lru_cache(maxsize=1)
def cat() -> Catalog:
    return load_catalog()


def _declared(rtype: str) -> LocationPath:
    (entry,) = cat().resource_locations[rtype]
    return entry


@pytest.mark.parametrize(
    ("rtype", "value", "siblings", "table", "country"),
    [
        ("confluent_kafka_cluster", "us-east-2", {"cloud": "AWS"}, "aws", "US"),
        ("confluent_kafka_cluster", "europe-west9", {"cloud": "GCP"}, "google", "FR"),
        ("confluent_kafka_cluster", "westeurope", {"cloud": "AZURE"}, "azurerm", "NL"),
        ("ec_deployment", "aws-eu-west-1", {}, "aws", "IE"),
        ("ec_deployment", "gcp-europe-west1", {}, "google", "BE"),
        ("ec_deployment", "azure-westeurope", {}, "azurerm", "NL"),
        ("ec_deployment", "us-east-1", {}, "aws", "US"),  # an older AWS id without prefix
    ],
)
def test_the_region_table_is_chosen_by_the_cloud(
    rtype: str, value: str, siblings: dict[str, str | None], table: str, country: str
) -> None:
    region, regions = _declared(rtype).resolve(value, siblings)
    assert regions == table
    info = cat().providers[table].region(region)
    assert info is not None and info.country == country


def test_an_unnamed_cloud_stays_unknown() -> None:
    # no table for a cloud the entry does not name: the value is judged as written, unknown
    value, regions = _declared("confluent_kafka_cluster").resolve("europe-west9", {"cloud": "OCI"})
    assert regions is None and value == "europe-west9"
    assert cat().providers["confluent"].region(value) is None


def test_gcore_numeric_region_ids_are_read_but_not_mapped() -> None:
    gcore = cat().providers["gcore"]
    assert "region_id" in gcore.resource_location_attributes
    assert gcore.region("76") is None


def test_a_table_without_regions_is_refused(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "policies"
    shutil.copytree(Path(__file__).resolve().parent.parent / "policies", root)
    path = root / "locations.yaml"
    path.write_text(
        path.read_text().replace("tables: {AWS: aws, GCP: google", "tables: {AWS: aws, GCP: github")
    )
    with pytest.raises(
        CatalogError, match=r"locations\.yaml:\d+: tables: provider 'github' has no region table"
    ):
        load_catalog(root)
