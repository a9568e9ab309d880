"""Provenance of catalog facts and certifications (shared by every catalog model)."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class Provenance:
    source: str
    as_of: str
    verified: bool
    file: str = ""
    line: int = 0
    review_by: str | None = None  # re-check the fact by this date (a status that may change)
    valid_until: str | None = None  # the fact stops being true after this date

    def describe(self) -> str:
        mark = "" if self.verified else ", unverified"
        due = f", review by {self.review_by}" if self.review_by else ""
        until = f", valid until {self.valid_until}" if self.valid_until else ""
        return f"{self.source} (as of {self.as_of}{mark}{due}{until})"

    def due(self, today: str) -> str | None:
        """The date this fact is past (review_by or valid_until) at `today`, or None."""
        for date in (self.valid_until, self.review_by):
            if date is not None and date < today:
                return date
        return None


@dataclass(frozen=True)
class OfferScope:
    """What a qualified offer covers in Terraform terms. Fail closed: a resource type that
    no glob of `resources` names (or that `excluded` names) is outside the offer, and an
    empty `resources` says that no resource type of the provider is known to be in it."""

    provider: str | None  # catalog provider key; None: the provider the certification is on
    resources: tuple[str, ...]  # resource type globs (fnmatch: `outscale_*`)
    excluded: tuple[str, ...]  # globs inside `resources` that are not in the offer
    regions: tuple[str, ...]  # () = the regions of the entry (a region group: its own)
    variant: str | None  # provider variant the offer is reached through (google s3ns)
    note: str  # how the scope was determined, or why no resource type can be told
    provenance: Provenance

    def covers_type(self, rtype: str) -> bool:
        return any(fnmatchcase(rtype, g) for g in self.resources) and not any(
            fnmatchcase(rtype, g) for g in self.excluded
        )

    def describe(self) -> str:
        """The scope in one line, for `sovlint catalog` and the facts listing."""
        parts = [f"provider {self.provider}"] if self.provider else []
        if self.variant:
            parts.append(f"variant {self.variant}")
        if self.regions:
            parts.append("regions " + ", ".join(self.regions))
        if self.resources:
            parts.append("resources " + ", ".join(self.resources))
        else:
            parts.append("no Terraform resource type")
        if self.excluded:
            parts.append("except " + ", ".join(self.excluded))
        return "; ".join(parts)


@dataclass(frozen=True)
class Certification:
    scheme: str  # e.g. "secnumcloud"
    status: str  # "qualified" | "in_process"
    offer: str  # the offer's name, as a fix hint names it
    date: str | None
    provenance: Provenance
    scope: OfferScope | None = None  # required for a qualified certification

    @property
    def qualified(self) -> bool:
        return self.status == "qualified"
