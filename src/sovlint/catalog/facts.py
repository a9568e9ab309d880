"""Every fact of a loaded catalog with its provenance: for audits, counts and `check --stale`."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.catalog.model import Catalog
from sovlint.catalog.provenance import Certification, Provenance


def _certs(label: str, certs: tuple[Certification, ...]) -> Iterator[tuple[str, Provenance]]:
    for cert in certs:
        what = f"{label} certification {cert.scheme} {cert.status} ({cert.offer})"
        yield what, cert.provenance
        if cert.scope is not None:
            yield f"{what} scope: {cert.scope.describe()}", cert.scope.provenance


def facts(catalog: Catalog) -> Iterator[tuple[str, Provenance]]:
    """(what the fact is about, its provenance) for each sourced entry, in a stable order."""
    for key, law in sorted(catalog.laws.items()):
        yield f"law {key}", law.provenance
    for key, op in sorted(catalog.operators.items()):
        yield f"operator {key}", op.provenance
        yield from _certs(f"operator {key}", op.certifications)
    for key, provider in sorted(catalog.providers.items()):
        yield f"provider {key}", provider.provenance
        for variant in provider.variants:
            yield f"provider {key} variant {variant.key}", variant.provenance
        for i, group in enumerate(provider.region_groups, 1):
            label = f"provider {key} region group {i}" + (
                f" ({group.variant})" if group.variant else ""
            )
            yield label, group.provenance
            yield from _certs(label, group.certifications)
        yield from _certs(f"provider {key}", provider.certifications)
    for rule in catalog.hosts:
        yield f"host {rule.pattern}", rule.provenance
    for kind, backend in sorted(catalog.backends.items()):
        yield f"backend {kind}", backend.provenance
    kube = catalog.kubernetes
    if kube.implicit_provenance is not None:
        yield "kubernetes implicit_registry", kube.implicit_provenance
    for section, rules in sorted(kube.rules.items()):
        for kr in rules:
            yield f"kubernetes {section} {kr.match}", kr.provenance
    for label_key, loc in sorted(kube.location_labels.items()):
        yield f"kubernetes location_label {label_key}", loc.provenance


def stale(catalog: Catalog, today: str) -> list[tuple[str, Provenance, str]]:
    """Facts past their `review_by` or `valid_until` date at `today` (YYYY-MM-DD)."""
    out = []
    for label, prov in facts(catalog):
        due = prov.due(today)
        if due is not None:
            out.append((label, prov, due))
    return out
