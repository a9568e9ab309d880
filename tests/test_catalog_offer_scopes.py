"""Qualified offers carry their scope as data (issue #12 item 6): the loader refuses a
qualified certification without one, or one that names what the catalog does not know,
with the file and line; a scope covers the resource types its globs name, nothing else."""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path

import pytest

from sovlint import judge
from sovlint.catalog.facts import facts
from sovlint.catalog.inspect import lookup
from sovlint.catalog.load import CatalogError, apply_override, load_catalog
from sovlint.catalog.model import Catalog, RegionGroup
from sovlint.catalog.provenance import Certification, OfferScope, Provenance
from sovlint.profiles import load_profile


@functools.lru_cache(maxsize=1)
def bundled() -> Catalog:
    return load_catalog()


SRC = "source: https://example.org/offer\n        as_of: 2026-12-01"


def _override(tmp_path: Path, cert: str) -> Path:
    path = tmp_path / "override.yaml"
    path.write_text(
        "operators:\n"
        "  acme:\n"
        "    name: Acme SAS\n"
        "    country: FR\n"
        "    parent: Acme SAS\n"
        "    parent_country: FR\n"
        "    exposure: []\n"
        "    exposure_note: French company.\n"
        "    source: https://example.org/acme\n"
        "    as_of: 2026-12-01\n"
        "    certifications:\n"
        "      - scheme: secnumcloud\n"
        "        status: qualified\n"
        "        offer: Acme Trusted IaaS\n" + cert,
        encoding="utf-8",
    )
    return path


def _refused(tmp_path: Path, cert: str) -> CatalogError:
    with pytest.raises(CatalogError) as err:
        apply_override(load_catalog(), _override(tmp_path, cert))
    return err.value


def test_qualified_certification_needs_a_scope(tmp_path: Path) -> None:
    err = _refused(tmp_path, "")
    assert err.file.endswith("override.yaml") and err.line == 12
    assert "needs a scope" in err.message


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        (f"resources: []\n        note: n\n        {SRC}", "must name the provider"),
        (
            f"provider: nowhere\n        resources: []\n        note: n\n        {SRC}",
            "'nowhere' is not in the catalog",
        ),
        (
            f"provider: outscale\n        regions: [mars-1]\n        resources: [outscale_*]\n"
            f"        note: n\n        {SRC}",
            "'mars-1' is not a region of outscale",
        ),
        (
            f"provider: google\n        variant: moon\n        resources: [google_*]\n"
            f"        note: n\n        {SRC}",
            "google has no variant 'moon'",
        ),
        (
            f"provider: outscale\n        resources: ['outscale vm']\n        note: n\n        {SRC}",
            "is not a resource type or a glob",
        ),
        (
            f"provider: outscale\n        resources: []\n        except: [outscale_oks_*]\n"
            f"        note: n\n        {SRC}",
            "'except' narrows 'resources'",
        ),
        ("provider: outscale\n        resources: []\n        note: n", "missing required key"),
    ],
)
def test_scope_shape_errors(tmp_path: Path, scope: str, message: str) -> None:
    err = _refused(
        tmp_path, "        scope:\n          " + scope.replace("\n        ", "\n          ")
    )
    assert message in err.message, err.message
    assert err.line > 1


def test_a_well_formed_override_offer_is_judged_per_type(tmp_path: Path) -> None:
    scope = (
        "        scope:\n          provider: outscale\n          resources: [outscale_vm]\n"
        "          note: only VMs\n          source: https://example.org/offer\n"
        "          as_of: 2026-12-01\n"
    )
    catalog = load_catalog()
    apply_override(catalog, _override(tmp_path, scope))
    found = judge.offers(catalog, catalog.providers["outscale"], "acme", "secnumcloud")
    assert [o.cert.offer for o in found] == ["Acme Trusted IaaS"]
    assert found[0].covers("outscale_vm") and not found[0].covers("outscale_volume")


def test_globs_and_exceptions() -> None:
    scope = OfferScope(
        "outscale", ("outscale_*",), ("outscale_oks_*",), (), None, "n", Provenance("s", "d", True)
    )
    assert scope.covers_type("outscale_vm")
    assert not scope.covers_type("outscale_oks_cluster")
    assert not scope.covers_type("aws_s3_bucket")
    nothing = OfferScope("ovh", (), (), (), None, "n", Provenance("s", "d", True))
    assert not nothing.covers_type("ovh_cloud_project")


def test_every_bundled_qualified_offer_has_a_sourced_scope() -> None:
    catalog = bundled()
    certs = [c for op in catalog.operators.values() for c in op.certifications]
    certs += [c for p in catalog.providers.values() for c in p.certifications]
    certs += [
        c for p in catalog.providers.values() for g in p.region_groups for c in g.certifications
    ]
    qualified = [c for c in certs if c.qualified]
    assert len(qualified) >= 6
    for cert in qualified:
        assert cert.scope is not None, cert.offer
        assert cert.scope.provenance.source.startswith("https://"), cert.offer
        assert cert.scope.note
    labels = [label for label, _prov in facts(catalog)]
    assert any("OVHcloud Bare Metal Pod SecNumCloud) scope: provider ovh" in x for x in labels)


@pytest.mark.parametrize(
    ("provider", "variant", "operator", "rtype", "inside"),
    [
        ("ovh", None, "ovh", "ovh_cloud_project", False),
        ("ovh", None, "ovh", "ovh_me_identity_user", False),
        ("outscale", None, "outscale", "outscale_vm", True),
        ("outscale", None, "outscale", "outscale_oks_cluster", False),
        ("google", "s3ns", "s3ns", "google_storage_bucket", True),
        ("google", "s3ns", "s3ns", "google_pubsub_topic", False),
        ("google", None, "s3ns", "google_storage_bucket", False),  # not the S3NS universe
        ("cloudtemple", None, "cloud_temple", "cloudtemple_compute_virtual_machine", True),
        ("cloudtemple", None, "cloud_temple", "cloudtemple_public_cloud_vm_instance", False),
    ],
)
def test_bundled_offers_per_resource_type(
    provider: str, variant: str | None, operator: str, rtype: str, inside: bool
) -> None:
    catalog = bundled()
    entry = catalog.providers[provider]
    found = judge.offers(catalog, entry, operator, "secnumcloud")
    assert found
    assert any(o.reached_by(entry, variant) and o.covers(rtype) for o in found) is inside


def test_a_region_group_offer_covers_that_groups_regions_only() -> None:
    """A group's offer with no region list covers the regions found in that group, also
    when the group names them by pattern (it covered every region of the provider)."""
    cat = load_catalog()  # (a fresh one: this test changes it)
    entry = cat.providers["outscale"]
    prov = Provenance("https://example.eu/zz", "2026-12-01", True)
    scope = OfferScope(None, ("outscale_*",), (), (), None, "test", prov)
    cert = Certification("secnumcloud", "qualified", "ZZ IaaS", None, prov, scope)
    group = RegionGroup({}, ((re.compile(r"^zz-[0-9]+$"), "FR"),), prov, certifications=(cert,))
    patched = dataclasses.replace(entry, region_groups=(*entry.region_groups, group))
    cat.providers["outscale"] = patched
    inside, outside = patched.region("zz-1"), patched.region("eu-west-2")
    assert inside is not None and outside is not None
    assert judge.region_certified(cat, patched, inside, "secnumcloud", None, "outscale")
    assert not judge.region_certified(cat, patched, outside, "secnumcloud", None, "outscale")


def test_catalog_lookup_gives_the_scans_verdict_for_a_region_outside_the_offer() -> None:
    """`sovlint catalog lookup` judges the region as a scan's SOV102 does (judge.region_status):
    Outscale's eu-west-2 is in France but outside the qualified offer's region."""
    profile = load_profile("secnumcloud", bundled())
    outside, _ = lookup(bundled(), profile, "outscale", "eu-west-2")
    inside, _ = lookup(bundled(), profile, "outscale", "cloudgouv-eu-west-1")
    assert "verdict under secnumcloud: not_sovereign" in outside
    assert "the qualified offer is 3DS Outscale IaaS in region cloudgouv-eu-west-1" in outside
    assert "verdict under secnumcloud: sovereign" in inside
