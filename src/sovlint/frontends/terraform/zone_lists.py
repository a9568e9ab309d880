"""Data sources that list the zones of a region: their `names` are refined unknowns.

Terraform itself knows these names only when it reads the data source, but each provider
documents that they are zones of one region: the region of the provider configuration the
data source uses, or the data source's own `region` argument (AWS provider 6 and Google).
So `availability_zone = data.aws_availability_zones.available.names[0]` is a zone of that
region, and is judged as that region when the region is known (evaluator/refined.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sovlint.catalog.model import Provider
from sovlint.hclmodel import Block, Literal, TupleExpr
from sovlint.model import Resolved

from .evaluator.refined import InRegion, OneOf
from .evaluator.values import Unknown, Value


@dataclass(frozen=True)
class ZoneList:
    what: str  # what the provider documents
    source: str  # where
    local_zones: bool = False  # may also list Local Zones (AWS), unless filtered out


ZONE_LISTS = {
    ("aws_availability_zones", "names"): ZoneList(
        "lists the Availability Zones within the region configured in the provider",
        "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/availability_zones",
        local_zones=True,
    ),
    ("google_compute_zones", "names"): ZoneList(
        "lists the zones of its region argument, else of the region declared in the provider",
        "https://registry.terraform.io/providers/hashicorp/google/latest/docs/data-sources/compute_zones",
    ),
}

# AWS: `filter { name = "opt-in-status" values = ["opt-in-not-required"] }` (the provider
# docs' "only Availability Zones (no Local Zones)" example) or a zone-type filter.
_AZ_ONLY = {"opt-in-status": {"opt-in-not-required"}, "zone-type": {"availability-zone"}}


def availability_zones_only(block: Block) -> bool:
    """Does the data source filter out Local and Wavelength Zones?"""
    for nested in block.body.blocks_of("filter"):
        name, values = nested.body.attr("name"), nested.body.attr("values")
        if name is None or values is None or not isinstance(name.value, Literal):
            continue
        allowed = _AZ_ONLY.get(str(name.value.value))
        if allowed is None or not isinstance(values.value, TupleExpr) or not values.value.items:
            continue
        items = values.value.items
        if all(isinstance(i, Literal) and i.value in allowed for i in items):
            return True
    return False


def zones_of(
    block: Block, spec: ZoneList, address: str, region: Value, provider_key: str | None
) -> Value:
    """The refined unknown of a zone list, or a plain unknown saying why the region is not known."""
    label = f"data.{block.labels[0]}.{block.labels[1]}.names"
    reason = f"{label} is read from the provider when Terraform runs (a data source)"
    if isinstance(region, Unknown):
        return Unknown(
            f"{reason}; it {spec.what}, and {address}'s region is not known: {region.reason}"
        )
    if not isinstance(region, str) or not region or provider_key is None:
        return Unknown(f"{reason}; it {spec.what}, and {address}'s region is not known")
    return InRegion(
        reason,
        region=region,
        provider=provider_key,
        source=f"{label} {spec.what} ({spec.source})",
        local_zones=spec.local_zones and not availability_zones_only(block),
    )


def zone_resolved(raw: str, zone: InRegion, origin: str | None, cond: str) -> list[Resolved]:
    """How a location that is one of the zones judges: as the zones' region, and, when the
    list can hold Local Zones, also as unresolved (a Local Zone's country is its own). The
    unresolved one comes first: of two equally bad verdicts, the inventory shows it."""
    kind = "an Availability Zone" if zone.local_zones else "a zone"
    where = ", ".join(p for p in (f"{kind} of {zone.region}: {zone.source}", origin, cond) if p)
    out = [Resolved(raw, zone.region, where)]
    if zone.local_zones:
        why = (
            f"{zone.reason}; it can also be a Local Zone (or Wavelength Zone) of {zone.region} "
            "the account opted into, whose country can differ from the region's (list "
            "Availability Zones only: "
            'filter { name = "opt-in-status", values = ["opt-in-not-required"] })'
        )
        out.insert(0, Resolved(raw, None, ", ".join(p for p in (why, origin, cond) if p)))
    return out


# Data sources that return every region of a catalog group that names them in `listed_by`:
# (type, attribute) -> the attribute of each returned object that is the region (None: the
# list holds the names themselves).
LISTED = {
    ("hcloud_locations", "locations"): "name",
    ("hcloud_locations", "names"): None,
}


def listed_regions(block: Block, attr: str, entry: Provider | None) -> Value | None:
    """What a data source that lists every region of a catalog group returns: a list whose
    elements are each one of those regions (a OneOf), or None when this is not such an
    attribute or the catalog lists no such group for the provider."""
    from .evaluator.interpreter import OpenObject

    rtype = block.labels[0]
    if (rtype, attr) not in LISTED or entry is None:
        return None
    groups = [g for g in entry.region_groups if rtype in g.listed_by]
    if not groups:
        return None
    field = LISTED[(rtype, attr)]
    label = f"data.{rtype}.{block.labels[1]}.{attr}"
    options: list[tuple[Value, str]] = []
    for group in groups:
        for region in sorted(group.countries):
            cond = f"the branch where {label} gives {region}"
            if field is None:
                options.append((region, cond))
                continue
            obj = OpenObject({field: region})
            obj.missing = "read from the provider when Terraform runs (a data source)"
            options.append((obj, cond))
    reason = (
        f"{label} is read from the provider when Terraform runs (a data source); it lists "
        f"every {entry.name} location, each judged ({groups[0].provenance.source})"
    )
    return OneOf(reason, options=tuple(options))
