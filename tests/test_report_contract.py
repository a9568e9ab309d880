"""The JSON report's fail-closed contract (schema_version 3), over every fixture and a seeded corpus.

No inventory item is `unknown` without a finding that says why; every fingerprint an item
links is a finding of the same report; an item with no operator at all is `neutral`.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sovlint import __version__
from sovlint.reporters import Report
from sovlint.reporters.json_report import report_json
from sovtest import FIXTURES, ROOT, catalog, run_scan

PROFILES = ("sovereign-eu", "residency-eu", "secnumcloud")
NO_OPERATOR = ("random_", "null_", "tls_", "time_", "terraform_data")


def fixture_roots() -> list[Path]:
    """Every fixture case (a directory holding expected.yaml): Terraform, Kubernetes, Compose."""
    return [
        case
        for framework in ("terraform", "kubernetes", "compose")
        for case in sorted(p.parent for p in (FIXTURES / framework).rglob("expected.yaml"))
    ]


def json_report(directory: Path, profile: str) -> dict[str, Any]:
    from sovlint.profiles import load_profile

    result = run_scan(directory, profile)
    report = Report(result, load_profile(profile, catalog()), __version__, [], cwd=directory)
    return report_json(report)


def _type(address: str) -> str:
    """The resource type of a Terraform address (module.x.aws_s3_bucket.b[0], data.t.n)."""
    return address.split("[", 1)[0].split(".")[-2]


def contract_problems(report: dict[str, Any]) -> list[str]:
    findings = {f["fingerprint"] for f in report["findings"]}
    problems = []
    if len(findings) != len(report["findings"]):
        problems.append("two findings share a fingerprint")
    for item in report["inventory"]:
        where = f"{item['kind']} {item['address']} ({item['file']}:{item['line']})"
        if item["verdict"] == "unknown" and not item["findings"]:
            problems.append(f"{where} is unknown and no finding reports it")
        stray = [fp for fp in item["findings"] if fp not in findings]
        if stray:
            problems.append(f"{where} links {len(stray)} fingerprint(s) of no finding")
        no_operator = item["kind"] in ("resource", "data") and _type(item["address"]).startswith(
            NO_OPERATOR
        )
        if no_operator and item["verdict"] != "neutral":
            problems.append(f"{where} has no operator but verdict {item['verdict']}")
    return problems


@pytest.mark.parametrize("case", fixture_roots(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_every_fixture_keeps_the_contract(case: Path) -> None:
    for profile in PROFILES:
        assert contract_problems(json_report(case, profile)) == [], profile


def _corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=2**16), profile=st.sampled_from(PROFILES))
def test_seeded_corpus_keeps_the_contract(
    tmp_path_factory: pytest.TempPathFactory, seed: int, profile: str
) -> None:
    out = tmp_path_factory.mktemp("corpus")
    _corpus().generate(out, modules=8, seed=seed, manifests=4)
    report = json_report(out, profile)
    assert report["inventory"], "the corpus produced no inventory"
    assert contract_problems(report) == []


def test_utility_items_are_neutral_never_sovereign() -> None:
    report = json_report(FIXTURES / "terraform" / "utility-neutral", "sovereign-eu")
    verdicts = {i["address"]: i["verdict"] for i in report["inventory"]}
    assert verdicts["random_password.db"] == "neutral"
    assert verdicts["tls_private_key.ca"] == "neutral"
    assert "sovereign" not in verdicts.values()


def test_a_provider_unknown_links_every_resource_using_it() -> None:
    report = json_report(FIXTURES / "terraform" / "sov106-unknown-provider", "sovereign-eu")
    by_fp = {f["fingerprint"]: f for f in report["findings"]}
    unknown = [i for i in report["inventory"] if i["verdict"] == "unknown"]
    assert unknown
    for item in unknown:
        assert any(by_fp[fp]["rule_id"] == "SOV106" for fp in item["findings"]), item


def test_a_silent_kubernetes_unknown_breaks_the_contract() -> None:
    """The property can fail: an unknown object with no linked finding is reported."""
    report = {
        "findings": [],
        "inventory": [
            {
                "kind": "kubernetes",
                "address": "Deployment/shop/web",
                "file": "app.yaml",
                "line": 1,
                "verdict": "unknown",
                "findings": [],
            }
        ],
    }
    assert contract_problems(report) == [
        "kubernetes Deployment/shop/web (app.yaml:1) is unknown and no finding reports it"
    ]


@pytest.mark.parametrize("profile", PROFILES)
def test_kubernetes_unknowns_link_the_finding_that_says_why(profile: str) -> None:
    """Each unknown object links a SOV103/SOV104 finding on it or on one of its containers."""
    case = FIXTURES / "kubernetes" / "sov103-kubernetes-unknown"
    report = json_report(case, profile)
    by_fp = {f["fingerprint"]: f for f in report["findings"]}
    items = {i["address"]: i for i in report["inventory"] if i["kind"] == "kubernetes"}
    unknown = [i for i in items.values() if i["verdict"] == "unknown"]
    assert unknown
    for item in unknown:
        rules = {by_fp[fp]["rule_id"] for fp in item["findings"]}
        assert rules & {"SOV103", "SOV104"}, item
        for fp in item["findings"]:
            assert by_fp[fp]["address"].startswith(item["address"]), (item, by_fp[fp])
    cache = items["Deployment/shop/cache"]
    linked = {by_fp[fp]["address"]: by_fp[fp]["rule_id"] for fp in cache["findings"]}
    redis = linked["Deployment/shop/cache/containers/redis"]
    assert redis == ("SOV103" if profile == "residency-eu" else "SOV200")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(json_values)
def test_items_are_encoded_as_json_dumps_encodes_them(value: object) -> None:
    """The report's one reused C encoder writes what json.dumps writes (NaN and infinities too)."""
    from sovlint.reporters.json_report import _compact

    assert _compact(value) == json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
