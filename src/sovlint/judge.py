"""Profile judgements over attributions: is this operator, country or region acceptable?

Rules call these functions; they never look at profiles or the catalog on their own,
so every rule (and the Checkov extension) reaches the same verdict for the same fact.
"""

from __future__ import annotations

from dataclasses import dataclass

from sovlint.catalog.model import Catalog, Provider, RegionInfo
from sovlint.model import Attribution, Verdict
from sovlint.profiles import Profile

_LAW_SHORT = {
    "cloud_act": "US CLOUD Act",
    "fisa702": "FISA 702",
    "china_nil": "China NIL",
    "uk_ipa": "UK IPA",
}


# Host kinds as written in a sentence ("saas endpoint" reads as "SaaS endpoint").
_KIND_WORDS = {
    "saas endpoint": "SaaS endpoint",
    "api endpoint": "API endpoint",
}


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str


def _listed(profile_set: frozenset[str], att: Attribution) -> bool:
    return bool({att.provider_key, att.operator_key} & profile_set - {None})


def capable(
    catalog: Catalog,
    entry: Provider | None,
    variant: str | None,
    operator_key: str | None,
    scheme: str,
) -> bool:
    """Does this provider (or its variant, or its operator) have any offer qualified under `scheme`?"""
    op = catalog.operators.get(operator_key or "")
    if op and any(c.scheme == scheme and c.qualified for c in op.certifications):
        return True
    if entry is None:
        return False
    if any(c.scheme == scheme and c.qualified for c in entry.certifications):
        return True
    return any(
        c.scheme == scheme and c.qualified
        for g in entry.region_groups
        if g.variant == variant
        for c in g.certifications
    )


def region_certified(entry: Provider | None, info: RegionInfo | None, scheme: str) -> bool:
    """Is this region (or the whole provider) qualified? An operator's other offers do not count."""
    if entry is not None and any(c.scheme == scheme and c.qualified for c in entry.certifications):
        return True
    return info is not None and any(c.scheme == scheme and c.qualified for c in info.certifications)


def operator(
    att: Attribution, profile: Profile, catalog: Catalog, variant: str | None = None
) -> Judgement:
    """Is the operator behind `att` acceptable under the profile?"""
    if _listed(profile.deny_providers, att):
        return Judgement(
            Verdict.NOT_SOVEREIGN, "denied by the project configuration (deny_providers)"
        )
    if _listed(profile.allow_providers, att):
        return Judgement(
            Verdict.SOVEREIGN, "allowed by the project configuration (allow_providers)"
        )
    if not profile.judges_operators:
        return Judgement(Verdict.SOVEREIGN, "the profile accepts any operator")
    op = catalog.operators.get(att.operator_key or "")
    if op is None:
        return Judgement(Verdict.UNKNOWN, f"operator unknown ({att.basis})")
    if profile.operator_countries is not None:
        problems = []
        if op.country not in profile.operator_countries:
            problems.append(f"operated by {op.name} ({op.country})")
        else:
            problems.append(f"operated by {op.name}")
        if op.parent_country not in profile.operator_countries and op.parent_country != op.country:
            problems.append(f"controlled by {op.parent} ({op.parent_country})")
        outside = [
            c
            for c in dict.fromkeys((op.country, op.parent_country))
            if c not in profile.operator_countries
        ]
        exposed = [law for law in op.exposure if law in profile.forbidden_exposure]
        if exposed:
            laws = ", ".join(_LAW_SHORT.get(law, law) for law in exposed)
            problems.append(f"subject to {laws}")
        if outside or exposed:
            reason = ", ".join(problems)
            if outside and not exposed:
                # No foreign law reaches it: only the country list stands in the way, and a
                # project may widen it (an adequacy country such as CH), so say how.
                codes = ", ".join(outside)
                verb = "is" if len(outside) == 1 else "are"
                reason += (
                    f": {codes} {verb} outside {profile.name}'s operator countries; "
                    f"accept it with allow_countries: [{codes}]"
                )
            return Judgement(Verdict.NOT_SOVEREIGN, reason)
    for scheme in profile.certifications:
        entry = catalog.providers.get(att.provider_key or "")
        if not capable(catalog, entry, variant, op.key, scheme):
            key = att.provider_key or op.key
            return Judgement(
                Verdict.NOT_SOVEREIGN,
                f"operated by {op.name}, which has no {scheme}-qualified offer in the catalog "
                f"for this provider; accept it with allow_providers: [{key}]",
            )
    return Judgement(Verdict.SOVEREIGN, f"operated by {op.name} ({op.jurisdiction})")


def outside_countries(code: str | None, profile: Profile) -> str:
    """Why a place fails and how a project accepts it (`allow_countries` widens the profile)."""
    if code == "GLOBAL":
        return (
            f"not pinned to any country (a global location), so {profile.name}'s countries "
            "cannot be guaranteed; use a regional resource in an allowed region"
        )
    if code is not None and "+" in code:
        return (
            f"in {code.replace('+', ' and ')} (a multi-country location: every country must be "
            f"allowed), outside {profile.name}'s countries; choose a location inside them"
        )
    return (
        f"in {code}, outside {profile.name}'s countries; accept it with allow_countries: [{code}]"
    )


def country(code: str | None, profile: Profile, catalog: Catalog) -> Verdict:
    if code is None:
        return Verdict.UNKNOWN
    members = catalog.groups.get(code, frozenset({code}))
    return Verdict.SOVEREIGN if members <= profile.location_countries else Verdict.NOT_SOVEREIGN


def destination(att: Attribution, profile: Profile, catalog: Catalog, what: str) -> Judgement:
    """Where data ends up (a state backend, an egress host): operator and country together.

    Under a residency-only profile, a known operator with no verifiable location
    (a global endpoint) is not accepted: unknown is reported, never assumed.
    """
    verdict = operator(att, profile, catalog)
    if verdict.verdict is Verdict.NOT_SOVEREIGN:
        return verdict
    place = country(att.country, profile, catalog)
    if place is Verdict.NOT_SOVEREIGN:
        return Judgement(Verdict.NOT_SOVEREIGN, outside_countries(att.country, profile))
    if place is Verdict.UNKNOWN and not profile.judges_operators and att.operator_key:
        return Judgement(
            Verdict.NOT_SOVEREIGN,
            f"{_KIND_WORDS.get(what, what)} of {att.operator} with no fixed location, "
            "so where the data goes cannot be verified",
        )
    return verdict
