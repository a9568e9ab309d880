"""Refined unknowns: values Terraform knows only when it runs, of which something is known now.

Like cty's refinements (an unknown string known to start with "https://"), an `InRegion`
is an unknown that stands for zones of one known region: the names a zone-listing data
source returns (`data.aws_availability_zones.x.names`, `data.google_compute_zones.x.names`)
are documented to be zones of the region of the provider configuration the data source
uses. Only operations that hand on an element as it is, with every other operand known,
keep the refinement (indexing, `element`, `slice`, `tolist` ...); anything that computes a new value from it (a template,
an operator, `format`, `upper` ...) gives a plain unknown, so a location built from a zone
name is never judged as the zone's region.

A `OneOf` is an unknown list whose every element is one of finitely many known values: the
result of `random_shuffle` (a permutation of its `input`) or what a data source returns
when the catalog lists every value it can return (`data.hcloud_locations.x.locations`).
Taking an element of it (any index, `element`) gives the branches, each judged, the worst
reported with its branch; keeping some of its elements (`slice`, `sort` ...) keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

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
    the Local and Wavelength Zones an account opted into unless filtered: DescribeAvailabilityZones
    "describes the Availability Zones, Local Zones, and Wavelength Zones that are available
    to you"), which can sit in another country.
    """

    region: str = ""
    provider: str = ""
    source: str = ""
    local_zones: bool = False


@dataclass(frozen=True)
class OneOf(Unknown):
    """An unknown list (of unknown length and order) whose elements are each one of
    `options` ((value, the condition that names it) pairs)."""

    options: tuple[tuple[Value, str], ...] = ()

    def element(self) -> Value:
        """Any one element: one of the options (branches() keeps them within bounds)."""
        from .values import branches

        return branches(list(self.options)) if self.options else Unknown(self.reason)


def plain(value: Value) -> Value:
    """The value with the refinement dropped: for the result of an operation that does not
    hand on a zone name (or an element) unchanged."""
    if isinstance(value, (InRegion, OneOf)):
        return Unknown(value.reason)
    if isinstance(value, Branches) and any(
        isinstance(v, (InRegion, OneOf)) for v, _ in value.options
    ):
        return Branches(tuple((plain(v), c) for v, c in value.options))
    return value


SHUFFLE_DOCS = (
    "https://registry.terraform.io/providers/hashicorp/random/latest/docs/resources/shuffle"
)


def shuffled(rtype: str, key: str, address: str, given: Any) -> Value | None:
    """`random_shuffle.X.result`: "a random permutation of the list of strings given in
    input" (SHUFFLE_DOCS), result_count of them: each element is one of `input`'s. None
    when this is not that attribute or its input gives nothing to go on."""
    if rtype != "random_shuffle" or key != "result":
        return None
    why = f"{address}.result is a random permutation of its input, drawn when Terraform applies"
    if isinstance(given, InRegion):
        return replace(given, reason=f"{why}; {given.reason}")  # zones of that region still
    if isinstance(given, OneOf):
        return replace(given, reason=f"{why}; {given.reason}")
    if isinstance(given, list) and given:
        from .render import value_text

        options = tuple(
            (v, f"the branch where {address}.result picks {value_text(v)}") for v in given
        )
        return OneOf(f"{why} ({SHUFFLE_DOCS})", options=options)
    return None
