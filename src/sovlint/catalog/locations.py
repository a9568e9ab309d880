"""policies/locations.yaml: where resource types keep locations in nested blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sovlint.catalog.model import Catalog, LocationPath
from sovlint.yamlpos import PosDict, PosList

if TYPE_CHECKING:
    from sovlint.catalog.shape import _Ctx

FORMS = ("none", "atlas_aws")
_KEYS = {"type", "path", "regions", "form", "when", "source", "as_of", "verified"}


def load_locations(ctx: _Ctx, data: PosDict, catalog: Catalog) -> None:
    entries = data.get("resource_locations")
    if not isinstance(entries, PosList):
        raise ctx.err(data, "resource_locations must be a list", "resource_locations")
    out: dict[str, list[LocationPath]] = {}
    for node in entries:
        node = ctx.mapping(node, "a resource_locations entry", entries)
        ctx.keys(node, _KEYS, {"type", "path", "source", "as_of"}, "a resource_locations entry")
        path = tuple(ctx.string(node, "path").split("."))
        if len(path) < 2 or not all(path):
            raise ctx.err(node, "path must be block(s) then an attribute (a.b)", "path")
        regions = ctx.string(node, "regions", required=False) or None
        if regions is not None and regions not in catalog.providers:
            raise ctx.err(node, f"unknown provider {regions!r} (see providers/)", "regions")
        form = ctx.string(node, "form", required=False) or "none"
        if form not in FORMS:
            raise ctx.err(node, f"form must be one of {', '.join(FORMS)}", "form")
        when = node.get("when", {})
        if not isinstance(when, dict) or not all(isinstance(v, str) for v in when.values()):
            raise ctx.err(node, "when must map attribute names to values", "when")
        entry = LocationPath(path, regions, form, tuple(sorted(when.items())), ctx.provenance(node))
        out.setdefault(ctx.string(node, "type"), []).append(entry)
    catalog.resource_locations = {k: tuple(v) for k, v in out.items()}
