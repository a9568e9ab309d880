"""Region tables against region lists that providers ship in their own Python SDKs.

Only small SDK packages are used (the `test` extra installs them; sovlint never imports
them at run time): scaleway-core ships Scaleway's regions and zones. A region or zone the
SDK knows that the catalog does not would be a false SOV103. The country is read from the
ISO code that starts every Scaleway locality (fr-par -> FR).
"""

from __future__ import annotations

import pytest

from sovlint.catalog.load import load_catalog

region_mod = pytest.importorskip(
    "scaleway_core.bridge.region", reason="scaleway-core (the test extra) is not installed"
)
zone_mod = pytest.importorskip("scaleway_core.bridge.zone")


def test_scaleway_sdk_lists_localities() -> None:
    assert "fr-par" in region_mod.ALL_REGIONS and "fr-par-1" in zone_mod.ALL_ZONES


def test_catalog_knows_every_scaleway_region_and_zone() -> None:
    scaleway = load_catalog().providers["scaleway"]
    for locality in [*region_mod.ALL_REGIONS, *zone_mod.ALL_ZONES]:
        info = scaleway.region(locality)
        assert info is not None, f"{locality} is in scaleway-core but not in policies/"
        assert info.country == locality.split("-", 1)[0].upper(), locality
