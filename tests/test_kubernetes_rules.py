"""SOV200-SOV203 on Kubernetes facts: image parsing, allow_registries, placements, catalog
matching, inventory verdicts and the kubernetes.yaml catalog itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovlint.catalog.load import CatalogError, apply_override, load_catalog
from sovlint.engine import ScanOptions, ScanResult, scan
from sovlint.model import Verdict
from sovlint.profiles import load_profile
from sovlint.rules.sov200_image_registry_not_sovereign import (
    ImageName,
    parse_image,
    registry_allowed,
)
from sovtest import FIXTURES, catalog, finding_keys, run_scan

K8S = FIXTURES / "kubernetes"


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("nginx", ImageName("docker.io", "docker.io", "library/nginx", True)),
        ("nginx:1.27", ImageName("docker.io", "docker.io", "library/nginx", True)),
        ("library/nginx", ImageName("docker.io", "docker.io", "library/nginx", True)),
        ("bitnami/redis:7", ImageName("docker.io", "docker.io", "bitnami/redis", True)),
        ("docker.io/nginx", ImageName("docker.io", "docker.io", "library/nginx", False)),
        ("ghcr.io/acme/app@sha256:ab", ImageName("ghcr.io", "ghcr.io", "acme/app", False)),
        ("localhost:5000/app:1", ImageName("localhost:5000", "localhost", "app", False)),
        ("Registry.Example/Team/App", ImageName("registry.example", "registry.example", "team/app", False)),
        ("rg.fr-par.scw.cloud/ns/app:1", ImageName("rg.fr-par.scw.cloud", "rg.fr-par.scw.cloud", "ns/app", False)),
        ("$(IMAGE)", None),
        ("${REGISTRY}/app", None),
        ("{{ .Values.image }}", None),
        ("", None),
    ],
)  # fmt: skip
def test_parse_image(reference: str, expected: ImageName | None) -> None:
    assert parse_image(reference, "docker.io") == expected


@pytest.mark.parametrize(
    ("reference", "allowed", "ok"),
    [
        ("rg.fr-par.scw.cloud/acme/app", ("rg.fr-par.scw.cloud",), True),
        ("abc.c1.gra9.container-registry.ovh.net/x", ("*.container-registry.ovh.net",), True),
        ("harbor.acme.example/platform/tools:1", ("harbor.acme.example/platform",), True),
        ("harbor.acme.example/other/tools:1", ("harbor.acme.example/platform",), False),
        ("harbor.acme.example/platform-x/tools", ("harbor.acme.example/platform",), False),
        ("nginx", ("docker.io/library",), True),
        ("bitnami/redis", ("docker.io/library",), False),
        ("registry.acme:5000/app", ("registry.acme",), True),
        ("ghcr.io/acme/app", ("rg.fr-par.scw.cloud", "harbor.acme.example"), False),
    ],
)
def test_registry_allowed(reference: str, allowed: tuple[str, ...], ok: bool) -> None:
    image = parse_image(reference, "docker.io")
    assert image is not None
    assert registry_allowed(image, allowed) is ok


def _scan(
    directory: Path, profile_name: str = "sovereign-eu", **extend: tuple[str, ...]
) -> ScanResult:
    cat = catalog()
    profile = load_profile(profile_name, cat).extend(cat, **extend)
    return scan(ScanOptions(paths=[directory], profile=profile, catalog=cat, cwd=directory))


def test_allow_registries_makes_sov200_strict() -> None:
    passing = _scan(K8S / "sov200-pass", allow_registries=("rg.fr-par.scw.cloud",))
    flagged = {(f.line, f.address) for f in passing.findings if f.rule_id == "SOV200"}
    assert flagged == {(16, "StatefulSet/data/db/containers/exporter")}  # OVHcloud: not listed
    result = _scan(K8S / "sov103-kubernetes-unknown", allow_registries=("rg.fr-par.scw.cloud",))
    flagged = {(f.line, f.address) for f in result.findings if f.rule_id == "SOV200"}
    # Docker Hub, STACKIT and the private Harbor are outside the list now: refused, no longer
    # unknown places (SOV103); the listed Scaleway registry passes.
    assert flagged == {
        (14, "Deployment/shop/cache/containers/redis"),
        (17, "Deployment/shop/cache/containers/backup"),
        (20, "Deployment/shop/cache/containers/tools"),
    }
    assert not any(f.rule_id == "SOV103" and "/containers/" in f.address for f in result.findings)
    message = next(f.message for f in result.findings if f.line == 20)
    assert "harbor.acme.example" in message and "allow_registries" in message


def test_allow_registries_overrides_the_catalog_for_listed_registries() -> None:
    result = _scan(K8S / "sov200-images", allow_registries=("docker.io", "*.gcr.io", "gcr.io"))
    addresses = {f.address for f in result.findings if f.rule_id == "SOV200"}
    assert "Deployment/shop/web/containers/nginx" not in addresses
    assert "Deployment/shop/web/ephemeralContainers/debug" not in addresses
    assert "Deployment/shop/web/containers/private" in addresses  # unknown, now strict


def test_deny_and_allow_providers_apply_to_kubernetes() -> None:
    allowed = _scan(K8S / "sov202-integrations", allow_providers=("aws",))
    aws = [f for f in allowed.findings if f.operator == "Amazon Web Services, Inc."]
    # no longer refused; where AWS runs them is the cluster's region: unknown, never passed
    assert aws and {f.rule_id for f in aws} == {"SOV104"}
    denied = _scan(K8S / "sov202-pass", deny_providers=("hcloud",))
    assert [(f.rule_id, f.line, f.address) for f in denied.findings if f.rule_id == "SOV202"] == [
        ("SOV202", 22, "Service/shop/web")
    ]


def test_messages_name_operator_and_fix() -> None:
    result = run_scan(K8S / "sov202-integrations")
    sc = next(f for f in result.findings if f.address == "StorageClass/gp3")
    assert sc.message.startswith("provisioner ebs.csi.aws.com: the service is operated by Amazon")
    assert sc.provider == "aws" and sc.jurisdiction == "US"
    assert sc.fix == catalog().providers["aws"].fix
    assert sc.block_line == 1
    image = next(f for f in run_scan(K8S / "sov200-images").findings if f.line == 16)
    assert "no registry host: Docker Hub" in image.message and image.operator is not None


def test_placement_ambiguity_and_unknown_values_are_not_guessed() -> None:
    result = run_scan(K8S / "sov201-placement")
    guessed = [f for f in result.findings if f.rule_id == "SOV201"]
    assert not any("eu-west-2" in f.message or "mars-1" in f.message for f in guessed)
    unknown = [f.message for f in result.findings if f.rule_id == "SOV103"]  # reported as unknown
    assert any("eu-west-2" in m and "ambiguous" in m for m in unknown)
    assert any("mars-1" in m and "not a" in m for m in unknown)
    located = next(f for f in result.findings if f.line == 74)
    assert (located.country, located.region, located.provider) == ("US", "ash", "hcloud")
    ambiguous = next(f for f in result.findings if f.line == 12)
    assert ambiguous.country == "US" and ambiguous.provider is None  # AWS and Alibaba agree


def test_inventory_lists_every_object_with_its_verdict() -> None:
    result = run_scan(K8S / "sov202-pass")
    verdicts = {i.address: (i.kind, i.verdict) for i in result.inventory}
    assert verdicts == {
        # EU operators, but where the disks, load balancers and secrets live is not written
        "StorageClass/sbs": ("kubernetes", Verdict.UNKNOWN),
        "Service/shop/web": ("kubernetes", Verdict.UNKNOWN),
        "Service/shop/api": ("kubernetes", Verdict.UNKNOWN),
        "SecretStore/shop/scw": ("kubernetes", Verdict.UNKNOWN),
        # no operator the catalog can name: neutral, never sovereign
        "StorageClass/cinder": ("kubernetes", Verdict.NEUTRAL),
        "ClusterSecretStore/vault": ("kubernetes", Verdict.NEUTRAL),
        "Issuer/shop/acme-dns": ("kubernetes", Verdict.NEUTRAL),
    }
    pinned = run_scan(K8S / "sov201-pass").inventory
    assert [(i.address, i.verdict, i.country) for i in pinned] == [
        ("Deployment/shop/api", Verdict.SOVEREIGN, "FR")
    ]
    failing = {i.address: i for i in run_scan(K8S / "sov202-integrations").inventory}
    assert failing["StorageClass/gp3"].verdict is Verdict.NOT_SOVEREIGN
    assert failing["StorageClass/gp3"].operator == "Amazon Web Services, Inc."


def test_one_finding_per_catalog_entry_and_object(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\n  annotations:\n"
        "    service.beta.kubernetes.io/aws-load-balancer-type: nlb\n"
        "    service.beta.kubernetes.io/aws-load-balancer-scheme: internal\n"
        "    service.beta.kubernetes.io/azure-load-balancer-internal: 'true'\n"
    )
    assert finding_keys(run_scan(tmp_path)) == [
        {"rule": "SOV202", "file": "svc.yaml", "line": 6, "address": "Service/lb"},
        {"rule": "SOV202", "file": "svc.yaml", "line": 8, "address": "Service/lb"},
    ]


def test_annotation_kinds_are_respected(tmp_path: Path) -> None:
    # an LB annotation on a ConfigMap makes no cloud controller act
    (tmp_path / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n"
        "    service.beta.kubernetes.io/aws-load-balancer-type: nlb\n"
    )
    assert run_scan(tmp_path).findings == []


# -- the catalog ---------------------------------------------------------------------------


def test_every_kubernetes_entry_is_sourced_and_consistent() -> None:
    cat = load_catalog()
    kube = cat.kubernetes
    assert kube.implicit_registry == "docker.io"
    assert kube.implicit_provenance is not None
    assert cat.match_host(kube.implicit_registry) is not None
    total = 0
    for section, rules in kube.rules.items():
        for rule in rules:
            total += 1
            assert rule.provenance.source and rule.provenance.as_of, (section, rule.match)
            assert rule.operator in cat.operators
            if rule.provider is not None:
                assert cat.providers[rule.provider].operator == rule.operator
    assert total > 80
    for label in kube.location_labels.values():
        assert all(cat.providers[p].region_groups for p in label.providers)


@pytest.mark.parametrize(
    ("section", "text", "kind", "operator"),
    [
        ("api_groups", "s3.aws.upbound.io", None, "aws"),
        ("api_groups", "aws.upbound.io", None, "aws"),
        ("api_groups", "ec2.aws.m.upbound.io", None, "aws"),
        ("api_groups", "notaws.upbound.io", None, None),
        ("api_groups", "storage.cnrm.cloud.google.com", None, "google"),
        ("api_groups", "karpenter.sh", None, None),
        ("annotations", "service.beta.kubernetes.io/scw-loadbalancer-zone", "Service", "scaleway"),
        ("annotations", "service.beta.kubernetes.io/aws-load-balancer-type", "Ingress", None),
        ("provisioners", "cinder.csi.openstack.org", None, None),
        ("provisioners", "csi.hetzner.cloud", None, "hetzner"),
        ("secret_providers", "vault", None, None),
    ],
)
def test_catalog_matching(section: str, text: str, kind: str | None, operator: str | None) -> None:
    rule = catalog().kubernetes.match(section, text, kind)
    assert (rule.operator if rule else None) == operator


def test_override_adds_and_wins(tmp_path: Path) -> None:
    cat = load_catalog()
    override = tmp_path / "override.yaml"
    override.write_text(
        "kubernetes:\n  provisioners:\n"
        "    - {match: csi.acme.example, operator: ovh, source: internal wiki, as_of: 2026-11-01}\n"
        "    - {match: ebs.csi.aws.com, operator: aws_eusc, source: ESC only, as_of: 2026-11-01}\n"
    )
    apply_override(cat, override)
    assert cat.kubernetes.match("provisioners", "csi.acme.example").operator == "ovh"  # type: ignore[union-attr]
    assert cat.kubernetes.match("provisioners", "ebs.csi.aws.com").operator == "aws_eusc"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        ("  provisioners:\n    - {match: x, operator: nobody, source: s, as_of: 2026-01-01}\n",
         "unknown operator 'nobody'", 3),
        ("  provisioners:\n    - {match: x, operator: ovh, provider: aws, source: s, as_of: 2026-01-01}\n",
         "provider 'aws' is operated by 'aws', not 'ovh'", 3),
        ("  api_groups:\n    - {suffix: '*.x.io', operator: aws, source: s, as_of: 2026-01-01}\n",
         "takes no wildcard", 3),
        ("  annotations:\n    - {match: x, operator: aws, source: s}\n",
         "missing required key 'as_of'", 3),
        ("  location_labels:\n    - {key: k, level: region, providers: [random], source: s, as_of: 2026-01-01}\n",
         "provider 'random' has no region table", 3),
        ("  registries: []\n", "unknown key 'registries'", 2),
    ],
)  # fmt: skip
def test_override_errors_name_file_and_line(
    tmp_path: Path, body: str, message: str, line: int
) -> None:
    override = tmp_path / "bad.yaml"
    override.write_text("kubernetes:\n" + body)
    with pytest.raises(CatalogError) as info:
        apply_override(load_catalog(), override)
    assert message in info.value.message
    assert (info.value.file, info.value.line) == (str(override), line)


def test_pod_labels_count_only_on_pods(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels:\n"
        "    azure.workload.identity/use: 'true'\nspec:\n  template:\n    metadata:\n"
        "      labels:\n        azure.workload.identity/use: 'true'\n"
        "    spec:\n      containers: []\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n"
        "    azure.workload.identity/use: 'false'\n    aadpodidbinding: legacy\n"
    )
    assert finding_keys(run_scan(tmp_path)) == [
        {"rule": "SOV202", "file": "d.yaml", "line": 11, "address": "Deployment/d"},
        {"rule": "SOV202", "file": "d.yaml", "line": 21, "address": "Pod/p"},
    ]
