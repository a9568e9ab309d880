"""`sovlint catalog ...`: what sovlint knows, why, and from which source.

Plain-text renderers over the catalog model; the CLI only parses arguments.
"""

from __future__ import annotations

import datetime as _dt

from sovlint import judge
from sovlint.catalog.model import Catalog, Provider, RegionInfo
from sovlint.catalog.provenance import Provenance
from sovlint.model import Attribution, Verdict
from sovlint.profiles import Profile


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    return "\n".join(lines) + "\n"


def place_name(catalog: Catalog, code: str) -> str:
    """`FR` -> France, `FI+NL` -> Finland and Netherlands, `GLOBAL` -> not pinned to a country."""
    if code == "GLOBAL":
        return "not pinned to any country"
    if code in catalog.countries:
        return catalog.countries[code]
    if "+" in code:
        return " and ".join(catalog.countries.get(c, c) for c in code.split("+"))
    return f"group {code}"


def _prov(p: Provenance) -> str:
    return f"source: {p.describe()}"


def _verdict(catalog: Catalog, profile: Profile, provider_key: str) -> str:
    provider = catalog.providers[provider_key]
    if provider.kind in ("utility", "generic"):
        return "neutral" if provider.kind == "utility" else "by host"
    op = catalog.operators.get(provider.operator or "")
    att = Attribution(
        provider.key, op.key if op else None, op.name if op else None, None, None, None, "catalog"
    )
    return judge.operator(att, profile, catalog).verdict.value


def providers_table(
    catalog: Catalog, profile: Profile, stale_days: int | None = None, today: _dt.date | None = None
) -> str:
    today = today or _dt.date.today()
    rows = []
    for key in sorted(catalog.providers):
        p = catalog.providers[key]
        op = catalog.operators.get(p.operator or "")
        facts = [p.provenance, *(g.provenance for g in p.region_groups)]
        if op is not None:
            facts.append(op.provenance)
        if stale_days is not None:
            old = [f for f in facts if (today - _dt.date.fromisoformat(f.as_of)).days > stale_days]
            if not old:
                continue
        unverified = any(not f.verified for f in facts)
        rows.append(
            [
                key,
                p.kind,
                op.name if op else "-",
                op.jurisdiction if op else "-",
                ",".join(op.exposure) if op and op.exposure else "-",
                _verdict(catalog, profile, key),
                min(f.as_of for f in facts) + ("*" if unverified else ""),
            ]
        )
    note = "\n* some facts are unverified (secondary sources); see `sovlint catalog lookup`.\n"
    title = f"profile: {profile.name}" + (
        f"; facts older than {stale_days} days" if stale_days is not None else ""
    )
    return (
        title
        + "\n"
        + _table(
            rows, ["provider", "kind", "operator", "jurisdiction", "exposure", "verdict", "as_of"]
        )
        + note
    )


def regions_table(catalog: Catalog, provider_key: str) -> str:
    provider = catalog.providers[provider_key]
    rows = []
    for group in provider.region_groups:
        op = group.operator or provider.operator or "-"
        certs = ",".join(c.scheme for c in group.certifications if c.qualified) or "-"
        for region, country in sorted(group.countries.items()):
            rows.append(
                [
                    region,
                    country,
                    group.variant or "-",
                    op,
                    _qualified(catalog, provider, region, group.variant, op) or "-",
                    group.provenance.as_of + ("" if group.provenance.verified else "*"),
                ]
            )
        for regex, country in group.patterns:
            rows.append(
                [
                    f"/{regex.pattern}/",
                    country,
                    group.variant or "-",
                    op,
                    certs,
                    group.provenance.as_of,
                ]
            )
    return f"{provider.name} ({provider.key})\n" + _table(
        rows, ["region", "country", "variant", "operator", "qualified", "as_of"]
    )


def _qualified(
    catalog: Catalog, provider: Provider, region: str, variant: str | None, op_key: str
) -> str:
    """The schemes under which an offer reached through this provider covers the region."""
    info = provider.region(region, variant)
    return ",".join(
        s
        for s in _schemes(catalog, provider, op_key)
        if judge.region_certified(catalog, provider, info, s, variant, op_key)
    )


def _schemes(catalog: Catalog, provider: Provider, op_key: str | None) -> list[str]:
    """The schemes any certification of this provider, its region groups or its operator
    names (whether an offer under one covers a region is the judge's to say)."""
    op = catalog.operators.get(op_key or "")
    certs = [
        *provider.certifications,
        *(c for g in provider.region_groups for c in g.certifications),
        *(op.certifications if op else ()),
    ]
    return sorted({c.scheme for c in certs})


def lookup(
    catalog: Catalog,
    profile: Profile,
    provider_key: str,
    region: str,
    variant: str | None = None,
) -> tuple[str, bool]:
    """(explanation, found); `variant` selects a sub-cloud (s3ns, bleu ...) as a scan would."""
    provider = catalog.providers[provider_key]
    chosen = next((v for v in provider.variants if v.key == variant), None)
    if variant is not None and chosen is None:
        known = ", ".join(v.key for v in provider.variants) or "none"
        raise ValueError(f"{provider_key} has no variant {variant!r} (known: {known})")
    info = provider.region(region, variant)
    label = f"{provider_key} {region}" + (f" (variant {variant})" if variant else "")
    if info is None:
        elsewhere = [v.key for v in provider.variants if provider.region(region, v.key)]
        hint = (
            f"It is a location of variant {', '.join(elsewhere)} (a provider setting selects it): "
            f"try --variant {elsewhere[0]}.\n"
            if elsewhere and variant is None
            else ""
        )
        return (
            f"{label}: unknown — not a location the catalog knows for {provider.name}"
            + (f" under variant {variant}" if variant else "")
            + ".\nsovlint reports it as SOV103 and never guesses a country.\n"
            + hint,
            False,
        )
    op_key = info.operator or (chosen.operator if chosen else None) or provider.operator
    op = catalog.operators.get(op_key or "")
    att = Attribution(
        provider.key,
        op.key if op else None,
        op.name if op else None,
        op.jurisdiction if op else None,
        info.country,
        region,
        "catalog",
    )
    op_verdict = judge.operator(att, profile, catalog, variant)
    place = judge.country(info.country, profile, catalog)
    place_text = place.value
    status, why = judge.region_status(catalog, profile, provider, info, op_key, variant)
    if status == "not_allowed" and place is not Verdict.NOT_SOVEREIGN:
        place, place_text = Verdict.NOT_SOVEREIGN, f"{Verdict.NOT_SOVEREIGN.value}: {why}"
    verdict = (
        Verdict.NOT_SOVEREIGN
        if Verdict.NOT_SOVEREIGN in (op_verdict.verdict, place)
        else op_verdict.verdict
    )
    lines = [
        f"{label}: country {info.country} ({place_name(catalog, info.country)})",
        f"  region {_prov(info.provenance)}",
    ]
    if op is not None:
        lines += [
            f"  operator: {op.name} ({op.country}), parent {op.parent} ({op.parent_country})",
            f"  exposure: {', '.join(op.exposure) or 'none'} — {op.exposure_note}",
            f"  operator {_prov(op.provenance)}",
        ]
    lines += _offer_lines(catalog, provider, info, variant, op_key)
    lines.append(
        f"  verdict under {profile.name}: {verdict.value} ({op_verdict.reason}; location {place_text})"
    )
    return "\n".join(lines) + "\n", True


def _offer_lines(
    catalog: Catalog, provider: Provider, info: RegionInfo, variant: str | None, op_key: str | None
) -> list[str]:
    """The qualified offers of this provider and operator, each with its scope (resource
    types, regions, variant), whether this region is inside it, and the scope's source."""
    lines = []
    for scheme in _schemes(catalog, provider, op_key):
        for offer in judge.offers(catalog, provider, op_key, scheme):
            scope = offer.cert.scope
            if scope is None:  # pragma: no cover - offers() keeps scoped certifications only
                continue
            here = offer.covers_region(provider, info, variant)  # (this offer, not any)
            inside = "this region is in it" if here else "this region is not in it"
            if not offer.resources:
                inside = "no resource type of this provider is in it"
            lines += [
                f"  qualified {scheme}: {offer.cert.offer} ({inside})",
                f"    scope: {scope.describe()}",
                f"    {scope.note}",
                f"    scope {_prov(scope.provenance)}",
            ]
    return lines


def host(catalog: Catalog, profile: Profile, hostname: str) -> tuple[str, bool]:
    match = catalog.match_host(hostname)
    if match is None:
        return (
            f"{hostname}: unknown — no host rule matches; sovlint does not judge unknown hosts.\n",
            False,
        )
    op = catalog.operators[match.rule.operator]
    att = Attribution(
        match.rule.provider,
        op.key,
        op.name,
        op.jurisdiction,
        match.country,
        match.region,
        f"host {hostname}",
    )
    verdict = judge.destination(att, profile, catalog, f"{match.rule.kind} endpoint")
    lines = [
        f"{hostname}: {match.rule.kind} host of {op.name} ({op.country}), parent {op.parent} ({op.parent_country})",
        f"  rule: {match.rule.pattern}" + (f" (region {match.region})" if match.region else ""),
        f"  country: {match.country or 'unknown'}",
        f"  exposure: {', '.join(op.exposure) or 'none'} — {op.exposure_note}",
        f"  host rule {_prov(match.rule.provenance)}",
        f"  verdict under {profile.name}: {verdict.verdict.value} ({verdict.reason})",
    ]
    return "\n".join(lines) + "\n", True


def summary(catalog: Catalog) -> str:
    from sovlint.catalog.facts import facts

    regions = sum(len(g.countries) for p in catalog.providers.values() for g in p.region_groups)
    unverified = sum(1 for o in catalog.operators.values() if not o.provenance.verified)
    all_facts = [p for _label, p in facts(catalog)]
    primary = sum(1 for p in all_facts if p.verified)
    lines = [
        f"catalog OK: {len(catalog.providers)} providers, {len(catalog.operators)} operators ({unverified} with unverified facts), "
        f"{regions} regions, {len(catalog.hosts)} host rules, {len(catalog.backends)} backends",
        f"facts: {len(all_facts)} sourced, {primary} verified against a primary source, "
        f"{len(all_facts) - primary} from secondary sources only (unverified)",
    ]
    if catalog.overrides:
        lines.append("overrides: " + ", ".join(catalog.overrides))
    return "\n".join(lines) + "\n"


def stale_facts(catalog: Catalog, today: str) -> tuple[str, int]:
    """Facts past their review_by / valid_until date: (report, how many)."""
    from sovlint.catalog.facts import stale

    due = stale(catalog, today)
    if not due:
        return f"no fact is past its review_by / valid_until date at {today}\n", 0
    lines = [f"{len(due)} fact(s) past their review date at {today}:"]
    for label, prov, date in due:
        lines.append(f"  {prov.file}:{prov.line}: {label}: due {date}; {_prov(prov)}")
    return "\n".join(lines) + "\n", len(due)
