"""Profile judgements over attributions: is this operator, country or region acceptable?

Rules call these functions; they never look at profiles or the catalog on their own,
so every rule (and the Checkov extension) reaches the same verdict for the same fact.
"""

from __future__ import annotations

from dataclasses import dataclass

from sovlint.catalog.model import Catalog, Operator, Provider, RegionGroup, RegionInfo
from sovlint.catalog.provenance import Certification
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
    fix: str = ""  # the way out when the reason names one (the offer that would qualify)


def _listed(profile_set: frozenset[str], att: Attribution) -> bool:
    return bool({att.provider_key, att.operator_key} & profile_set - {None})


@dataclass(frozen=True)
class Offer:
    """A qualified offer as a judgement reaches it: the provider (and variant) it is managed
    through and the regions it covers (its own list, else all of its provider's, or of its
    region group's for a group's offer)."""

    cert: Certification
    provider: str | None
    variant: str | None
    exact_variant: bool  # a region group's offer exists only in that group's variant
    regions: tuple[str, ...]

    def reached_by(self, entry: Provider | None, variant: str | None) -> bool:
        if entry is None or self.provider != entry.key:
            return False
        if self.exact_variant or self.variant is not None:
            return self.variant == variant
        return True

    @property
    def resources(self) -> tuple[str, ...]:
        return self.cert.scope.resources if self.cert.scope else ()

    def covers(self, rtype: str) -> bool:
        return self.cert.scope is not None and self.cert.scope.covers_type(rtype)

    def covers_region(self, entry: Provider, info: RegionInfo, variant: str | None) -> bool:
        """Reached through this provider by some resource type, and the region in the offer's
        list, or (a region group's offer) in that group: the one `info` was found in, whether
        the group lists the region by name or by pattern."""
        if not (self.resources and self.reached_by(entry, variant)):
            return False
        if self.exact_variant and self.cert not in info.certifications:
            return False
        return _in_regions(entry, info.region, self.regions)


def _offer(cert: Certification, provider: str | None, group: RegionGroup | None) -> Offer:
    scope = cert.scope
    regions = scope.regions if scope else ()
    if group is not None:
        return Offer(cert, provider, group.variant, True, regions)
    return Offer(cert, provider, scope.variant if scope else None, False, regions)


def offers(
    catalog: Catalog, entry: Provider | None, operator_key: str | None, scheme: str
) -> list[Offer]:
    """Every offer qualified under `scheme` of this operator or provider (a certification
    without a scope covers nothing: fail closed)."""
    out: list[Offer] = []
    op = catalog.operators.get(operator_key or "")
    for cert in op.certifications if op else ():
        if cert.scheme == scheme and cert.qualified and cert.scope is not None:
            out.append(_offer(cert, cert.scope.provider, None))
    if entry is not None:
        for cert in entry.certifications:
            if cert.scheme == scheme and cert.qualified and cert.scope is not None:
                out.append(_offer(cert, entry.key, None))
        for group in entry.region_groups:
            for cert in group.certifications:
                if cert.scheme == scheme and cert.qualified and cert.scope is not None:
                    out.append(_offer(cert, entry.key, group))
    return out


def offer_names(found: list[Offer], joiner: str = "and") -> str:
    names = list(dict.fromkeys(o.cert.offer for o in found))
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {joiner} {names[-1]}"


def region_certified(
    catalog: Catalog,
    entry: Provider | None,
    info: RegionInfo | None,
    scheme: str,
    variant: str | None = None,
    operator_key: str | None = None,
) -> bool:
    """Is this region (or zone) inside an offer qualified under `scheme` that is managed
    through this provider? An offer no resource type of the provider reaches qualifies no
    region; one with a region list covers those regions (and their zones) only."""
    if entry is None or info is None:
        return False
    return any(
        o.covers_region(entry, info, variant) for o in offers(catalog, entry, operator_key, scheme)
    )


def region_status(
    catalog: Catalog,
    profile: Profile,
    entry: Provider | None,
    info: RegionInfo,
    operator_key: str | None = None,
    variant: str | None = None,
) -> tuple[str, str]:
    """(allowed | not_allowed, why) of a known region: its country, then the profile's
    certifications, naming the offer that would qualify (a scan's SOV102 and `sovlint catalog
    lookup` alike)."""
    if country(info.country, profile, catalog) is Verdict.NOT_SOVEREIGN:
        return "not_allowed", outside_countries(info.country, profile)
    for scheme in profile.certifications:
        if not region_certified(catalog, entry, info, scheme, variant, operator_key):
            why = f"in {info.country} but not {scheme}-qualified in the catalog"
            found = offers(catalog, entry, operator_key, scheme)
            if found:
                names = offer_names(found)
                many = len({o.cert.offer for o in found}) > 1
                why += f"; the qualified offer{'s are' if many else ' is'} {names}"
            return "not_allowed", why
    return "allowed", f"in {info.country}"


def _in_regions(entry: Provider, region: str, regions: tuple[str, ...]) -> bool:
    if not regions or region in regions:
        return True
    for pattern in entry.zone_patterns:  # a zone of a listed region (cloudgouv-eu-west-1a)
        m = pattern.match(region)
        if m and m.group("region") in regions:
            return True
    return False


def _outside_offer(
    catalog: Catalog,
    att: Attribution,
    op: Operator,
    variant: str | None,
    scheme: str,
    resource_type: str | None,
) -> Judgement | None:
    """Why this provider (or resource type) is outside every offer qualified under `scheme`,
    with the offer that would qualify; None when it is inside one."""
    entry = catalog.providers.get(att.provider_key or "")
    found = offers(catalog, entry, op.key, scheme)
    reached = [o for o in found if o.resources and o.reached_by(entry, variant)]
    if resource_type is not None:
        if any(o.covers(resource_type) for o in reached):
            return None
    elif reached:
        return None
    key = att.provider_key or op.key
    accept = f"accept it with allow_providers: [{key}]"
    if not found:
        return Judgement(
            Verdict.NOT_SOVEREIGN,
            f"operated by {op.name}, which has no {scheme}-qualified offer in the catalog "
            f"for this provider; {accept}",
        )
    shown = reached or found
    plural = len({o.cert.offer for o in shown}) > 1
    names = offer_names(shown)
    offer_word = "offers" if plural else "offer"
    if resource_type is not None and reached:
        reason = (
            f"operated by {op.name}, but {resource_type} is not in its {scheme}-qualified "
            f"{offer_word}, {names}; use a resource type inside {'them' if plural else 'it'}, "
            f"or {accept}"
        )
    else:
        verb = "are" if plural else "is"
        reason = (
            f"operated by {op.name}, whose {scheme}-qualified {offer_word}, {names}, {verb} not "
            f"managed through the {entry.key if entry else key} provider; use "
            f"{'one of them' if plural else 'it'} instead, or {accept}"
        )
    if resource_type is not None and reached:
        inside = "; ".join(dict.fromkeys(_types(o) for o in reached))
        fix = f"Use a resource type inside {offer_names(reached, 'or')} ({inside})"
    else:
        fix = f"Use {offer_names(shown, 'or')} (not managed through this provider)"
    return Judgement(Verdict.NOT_SOVEREIGN, reason, f"{fix}, or another {scheme}-qualified offer.")


def _types(offer: Offer) -> str:
    scope = offer.cert.scope
    if scope is None:  # pragma: no cover - offers() keeps scoped certifications only
        return ""
    text = ", ".join(scope.resources)
    return text + (f" except {', '.join(scope.excluded)}" if scope.excluded else "")


def operator(
    att: Attribution,
    profile: Profile,
    catalog: Catalog,
    variant: str | None = None,
    resource_type: str | None = None,
) -> Judgement:
    """Is the operator behind `att` acceptable under the profile? With `resource_type`, a
    profile's certifications are judged per offer: the type must be inside a qualified one."""
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
        off_offer = _outside_offer(catalog, att, op, variant, scheme, resource_type)
        if off_offer is not None:
            return off_offer
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
