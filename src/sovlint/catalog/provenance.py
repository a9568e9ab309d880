"""Provenance of catalog facts and certifications (shared by every catalog model)."""

from __future__ import annotations

from dataclasses import dataclass


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
class Certification:
    scheme: str  # e.g. "secnumcloud"
    status: str  # "qualified" | "in_process"
    offer: str
    date: str | None
    provenance: Provenance

    @property
    def qualified(self) -> bool:
        return self.status == "qualified"
