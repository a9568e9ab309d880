from __future__ import annotations

from sovtest import FIXTURES, assert_case


def test_unknown_region_is_not_guessed() -> None:
    (f,) = assert_case(FIXTURES / "terraform" / "sov103-unknown-region", "sovereign-eu").findings
    assert f.country is None
    assert f.region == "fr-lyo"
    assert "scaleway" in f.message


def test_kubernetes_unknown_places_say_what_is_unknown_and_the_way_out() -> None:
    from sovlint.catalog.load import load_catalog
    from sovlint.profiles import load_profile
    from sovlint.rules.base import Context
    from sovlint.rules.k8s_case import sovereign_registries

    result = assert_case(FIXTURES / "kubernetes" / "sov103-kubernetes-unknown", "residency-eu")
    by_address = {f.address: f for f in result.findings if f.rule_id == "SOV103"}
    hub = by_address["Deployment/shop/cache/containers/redis"]
    assert "Docker Hub" in hub.message and "not in the catalog" in hub.message
    assert hub.operator is not None and hub.country is None  # the operator is known, the place not
    # the way out names the catalog's registries an EU operator runs, none of them Docker's
    catalog = load_catalog()
    alternatives = sovereign_registries(Context(catalog, load_profile("residency-eu", catalog)))
    assert alternatives in hub.fix and "docker" not in alternatives.lower()
    assert "container-registry.ovh.net" in alternatives
    private = by_address["Deployment/shop/cache/containers/tools"]
    assert "does not know" in private.message and "allow_registries" in private.fix
    assert "mars-north-1" in by_address["Pod/shop/batch"].message


def test_registry_alternatives_follow_the_profile() -> None:
    from sovlint.catalog.load import load_catalog
    from sovlint.profiles import load_profile
    from sovlint.rules.base import Context
    from sovlint.rules.k8s_case import sovereign_registries

    catalog = load_catalog()
    named = sovereign_registries(Context(catalog, load_profile("sovereign-eu", catalog)))
    assert "amazonaws" not in named and "pkg.dev" not in named  # US operators are no way out
    qualified = sovereign_registries(Context(catalog, load_profile("secnumcloud", catalog)))
    assert "secnumcloud-qualified" in qualified  # registries carry no qualification of their own
