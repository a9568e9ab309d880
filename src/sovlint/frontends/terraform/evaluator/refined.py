"""Refined unknowns: values Terraform knows only when it runs, of which something is known now.

Like cty's refinements (an unknown string known to start with "https://"), an `InRegion`
is an unknown that stands for zones of one known region: the names a zone-listing data
source returns (`data.aws_availability_zones.x.names`, `data.google_compute_zones.x.names`)
are documented to be zones of the region of the provider configuration the data source
uses. Only operations that hand on an element as it is, with every other operand known,
keep the refinement (indexing, `element`, `slice`, `tolist` ...); anything that computes a new value from it (a template,
an operator, `format`, `upper` ...) gives a plain unknown, so a location built from a zone
name is never judged as the zone's region.
"""

from __future__ import annotations

from dataclasses import dataclass

from .values import Branches, Unknown, Value

# Functions whose result, given a list of zones as first argument, is one of its elements
# or a list of some of them (or an error in Terraform).
PRESERVING = frozenset(
    {"element", "slice", "tolist", "toset", "sort", "distinct", "reverse", "compact", "one"}
)


@dataclass(frozen=True)
class InRegion(Unknown):
    """An unknown zone name, or list of zone names, each a zone of `region`.

    `provider` is the catalog key of the provider whose region table names the region,
    `source` says which data source gives it and where that is documented, and
    `local_zones` is set when the list can also hold Local Zones of the region (AWS lists
    the Local Zones an account opted into unless filtered), which can sit in another country.
    """

    region: str = ""
    provider: str = ""
    source: str = ""
    local_zones: bool = False


def plain(value: Value) -> Value:
    """The value with the refinement dropped: for the result of an operation that does not
    hand on a zone name unchanged."""
    if isinstance(value, InRegion):
        return Unknown(value.reason)
    if isinstance(value, Branches) and any(isinstance(v, InRegion) for v, _ in value.options):
        return Branches(tuple((plain(v), c) for v, c in value.options))
    return value
