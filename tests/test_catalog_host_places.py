"""Host rules name one ISO country, or a country group with `location_group` (#12, catalog
truth): `country: EU` is not a country and is refused with the file and line to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovlint.catalog.load import CatalogError, apply_override, load_catalog

RULE = """hosts:
  - match: logs.example.eu
    operator: ovh
    kind: saas
    {place}
    source: our contract
    as_of: 2026-12-01
"""


def _override(tmp_path: Path, place: str) -> Path:
    path = tmp_path / "hosts.yaml"
    path.write_text(RULE.format(place=place))
    return path


def test_a_group_written_as_a_country_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _override(tmp_path, "country: EU")
    with pytest.raises(CatalogError) as exc:
        apply_override(load_catalog(), path)
    assert str(exc.value).startswith(f"{path}:5: 'EU' is a country group, not an ISO 3166-1")
    assert "location_group: EU" in str(exc.value) and "\n" not in str(exc.value)


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("country: France", "not an ISO 3166-1 alpha-2 code"),
        ("location_group: XX", "unknown country group 'XX'"),
        ("location_group: EU\n    country: FR", "country or location_group, not both"),
    ],
)
def test_bad_places_are_refused(tmp_path: Path, place: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        apply_override(load_catalog(), _override(tmp_path, place))


def test_a_location_group_is_the_hosts_place(tmp_path: Path) -> None:
    cat = load_catalog()
    apply_override(cat, _override(tmp_path, "location_group: EU"))
    cat.index()
    m = cat.match_host("logs.example.eu")
    assert m is not None and m.country == "EU" and cat.expand(["EU"]) == cat.groups["EU"]


def test_bundled_hosts_name_iso_countries_or_a_sourced_group() -> None:
    cat = load_catalog()
    groups = {r.pattern: r.country for r in cat.hosts if r.country in cat.groups}
    # only R2's EU jurisdiction is documented as "stored and processed within" the EU
    assert groups == {"*.eu.r2.cloudflarestorage.com": "EU"}
    for rule in cat.hosts:
        assert (
            rule.country is None or rule.country in cat.countries or rule.country in groups.values()
        )
