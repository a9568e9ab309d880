"""kubernetes.yaml sections that name fields of objects: image_locations, resource_locations,
egress_fields (see catalog.model.FieldPaths and docs/catalog.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sovlint.catalog.kube_model import KUBE_FIELD_SECTIONS, FieldPaths, KubeCatalog
from sovlint.catalog.model import Catalog

if TYPE_CHECKING:
    from sovlint.catalog.shape import _Ctx

_PROV_KEYS = {"source", "as_of", "verified"}
# section -> (path lists it takes, which of them is required: one at least)
_PATHS = {
    "image_locations": ("containers", "images"),
    "resource_locations": ("locations",),
    "egress_fields": ("egress",),
    "source_fields": ("sources",),
    "signal_fields": ("signals",),
}


def load_field_sections(
    ctx: _Ctx, data: Any, catalog: Catalog, into: KubeCatalog, override: bool
) -> None:
    from sovlint.frontends.kubernetes.paths import parse_path

    for section in KUBE_FIELD_SECTIONS:
        raw = data.get(section)
        if raw is None:
            continue
        if not isinstance(raw, list):
            raise ctx.err(data, f"{section} must be a list", section)
        path_keys = _PATHS[section]
        group_key = "suffix" if section == "resource_locations" else "group"
        allowed = {group_key, "kinds", "note", "unless", *path_keys, *_PROV_KEYS}
        required = {group_key, "source", "as_of"}
        if section == "resource_locations":
            allowed.add("provider")
            required.add("provider")
        entries: list[FieldPaths] = []
        for node in raw:
            node = ctx.mapping(node, f"an entry of {section}", data, section)
            ctx.keys(node, allowed, required, f"{section} entry")
            paths: dict[str, tuple[str, ...]] = {}
            for key in (*path_keys, "unless"):
                paths[key] = ctx.strings(node, key)
                for text in paths[key]:
                    try:
                        parse_path(text)
                    except ValueError as exc:
                        raise ctx.err(node, str(exc), key) from None
            unless = paths.pop("unless")
            if not any(paths.values()):
                raise ctx.err(node, f"a {section} entry needs {' or '.join(path_keys)}")
            provider = node.get("provider")
            if provider is not None:
                if provider not in catalog.providers:
                    raise ctx.err(
                        node, f"unknown provider {provider!r} (see providers/)", "provider"
                    )
                if not catalog.providers[provider].region_groups:
                    raise ctx.err(node, f"provider {provider!r} has no region table", "provider")
            entries.append(
                FieldPaths(
                    section=section,
                    group=ctx.string(node, group_key).strip(),
                    kinds=ctx.strings(node, "kinds"),
                    containers=paths.get("containers", ()),
                    images=paths.get("images", ()),
                    locations=paths.get("locations", ()),
                    egress=paths.get("egress", ()),
                    sources=paths.get("sources", ()),
                    signals=paths.get("signals", ()),
                    unless=unless,
                    provider=provider,
                    note=ctx.string(node, "note", required=False),
                    provenance=ctx.provenance(node),
                )
            )
        # An override's entry for the same group and kinds replaces the bundled one.
        if override:
            keys = {(e.section, e.group, e.kinds) for e in entries}
            into.fields[:] = [f for f in into.fields if (f.section, f.group, f.kinds) not in keys]
        into.fields.extend(entries)
