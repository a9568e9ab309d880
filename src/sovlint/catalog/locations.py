"""policies/locations.yaml: where resource types keep locations in nested blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sovlint.catalog.model import Catalog, LocationPath
from sovlint.yamlpos import PosDict, PosList

if TYPE_CHECKING:
    from sovlint.catalog.shape import _Ctx

FORMS = ("none", "atlas_aws")
_KEYS = {"type", "path", "regions", "form", "when", "by", "tables", "prefixes"}
_KEYS |= {"source", "as_of", "verified"}


def load_locations(ctx: _Ctx, data: PosDict, catalog: Catalog) -> None:
    entries = data.get("resource_locations")
    if not isinstance(entries, PosList):
        raise ctx.err(data, "resource_locations must be a list", "resource_locations")
    out: dict[str, list[LocationPath]] = {}
    for node in entries:
        node = ctx.mapping(node, "a resource_locations entry", entries)
        ctx.keys(node, _KEYS, {"type", "path", "source", "as_of"}, "a resource_locations entry")
        path = tuple(ctx.string(node, "path").split("."))
        if not all(path):
            raise ctx.err(node, "path must be an attribute, or block(s) then one (a.b)", "path")
        regions = ctx.string(node, "regions", required=False) or None
        if regions is not None and regions not in catalog.providers:
            raise ctx.err(node, f"unknown provider {regions!r} (see providers/)", "regions")
        form = ctx.string(node, "form", required=False) or "none"
        if form not in FORMS:
            raise ctx.err(node, f"form must be one of {', '.join(FORMS)}", "form")
        when = node.get("when", {})
        if not isinstance(when, dict) or not all(isinstance(v, str) for v in when.values()):
            raise ctx.err(node, "when must map attribute names to values", "when")
        tables = _tables(ctx, node, "tables", catalog)
        prefixes = _tables(ctx, node, "prefixes", catalog)
        by = ctx.string(node, "by", required=False) or None
        if (by is None) != (not tables):
            raise ctx.err(node, "by (a sibling attribute) and tables go together", "by")
        entry = LocationPath(
            path,
            regions,
            form,
            tuple(sorted(when.items())),
            ctx.provenance(node),
            by,
            tuple((k.upper(), v) for k, v in tables),
            tuple((k.lower(), v) for k, v in prefixes),
        )
        out.setdefault(ctx.string(node, "type"), []).append(entry)
    catalog.resource_locations = {k: tuple(v) for k, v in out.items()}


def _tables(ctx: _Ctx, node: PosDict, key: str, catalog: Catalog) -> tuple[tuple[str, str], ...]:
    """A mapping of values (or prefixes) to provider keys whose region table applies."""
    raw = node.get(key, {})
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise ctx.err(node, f"{key} must map values to provider keys", key)
    for provider in raw.values():
        if provider not in catalog.providers or not catalog.providers[provider].region_groups:
            raise ctx.err(node, f"{key}: provider {provider!r} has no region table", key)
    return tuple(raw.items())
