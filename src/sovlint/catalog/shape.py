"""Shape checks shared by the catalog loaders: errors with file and line, the YAML reader,
and the validated values every catalog file uses (countries, provenance, certifications).
Standard library + PyYAML only."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

from sovlint.catalog.provenance import Certification, OfferScope, Provenance
from sovlint.catalog.sources import source_problem
from sovlint.yamlpos import PosDict, PosList, YamlError, load

CERT_STATUSES = ("qualified", "in_process")


class CatalogError(Exception):
    """A problem in catalog data, with the file and line to fix."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


class _Ctx:
    def __init__(
        self, file: str, error: type[CatalogError] = CatalogError, public: bool = True
    ) -> None:
        self.file = file
        self.error = error
        # Bundled facts must cite public URLs; an override may cite the user's own records.
        self.public = public

    def err(self, node: Any, message: str, key: str | None = None) -> CatalogError:
        line = 0
        if isinstance(node, PosDict):
            line = node.line_of(key) if key else node.line
        elif isinstance(node, PosList):
            line = node.line
        return self.error(self.file, line or 1, message)

    def mapping(self, node: Any, what: str, parent: Any = None, key: str | None = None) -> PosDict:
        if not isinstance(node, PosDict):
            raise self.err(parent if parent is not None else node, f"{what} must be a mapping", key)
        return node

    def keys(self, node: PosDict, allowed: set[str], required: set[str], what: str) -> None:
        for k in node:
            if k not in allowed:
                raise self.err(node, f"unknown key {k!r} in {what}", k)
        for k in sorted(required):
            if k not in node:
                raise self.err(node, f"{what} is missing required key {k!r}")

    def string(self, node: PosDict, key: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None and not required:
            return ""
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        if not isinstance(value, str) or not value.strip():
            raise self.err(node, f"{key!r} must be a non-empty string", key)
        return value

    def strings(self, node: PosDict, key: str) -> tuple[str, ...]:
        value = node.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.err(node, f"{key!r} must be a list of strings", key)
        return tuple(value)

    def provenance(self, node: PosDict, inherited: Provenance | None = None) -> Provenance:
        if "source" not in node and inherited is not None:
            return inherited
        source = self.string(node, "source")
        as_of = self.string(node, "as_of")
        try:
            _dt.date.fromisoformat(as_of)
        except ValueError:
            raise self.err(
                node, f"as_of must be a date (YYYY-MM-DD), got {as_of!r}", "as_of"
            ) from None
        problem = source_problem(source) if self.public else None
        if problem is not None:
            raise self.err(node, problem, "source")
        verified = node.get("verified", True)
        if not isinstance(verified, bool):
            raise self.err(node, "verified must be true or false", "verified")
        return Provenance(
            source,
            as_of,
            verified,
            self.file,
            node.line,
            review_by=self.date(node, "review_by"),
            valid_until=self.date(node, "valid_until"),
        )

    def date(self, node: PosDict, key: str) -> str | None:
        """An optional YYYY-MM-DD value."""
        if key not in node:
            return None
        value = self.string(node, key)
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise self.err(node, f"{key} must be a date (YYYY-MM-DD), got {value!r}", key) from None
        return value


_PROV_KEYS = {"source", "as_of", "verified", "review_by", "valid_until"}


def _country(ctx: _Ctx, countries: dict[str, str], node: PosDict, key: str, value: Any) -> str:
    """An ISO code (or, where `countries` includes them, a country group name)."""
    if isinstance(value, bool):
        raise ctx.err(
            node, "a country code read as a boolean: quote it (YAML 1.1 reads NO as false)", key
        )
    if not isinstance(value, str) or value not in countries:
        raise ctx.err(node, f"{value!r} is not an ISO 3166-1 alpha-2 code in countries.yaml", key)
    return value


def _location(
    ctx: _Ctx,
    countries: dict[str, str],
    node: PosDict,
    key: str,
    value: Any,
    new_groups: dict[str, frozenset[str]],
) -> str:
    """A region's place: one code or group, or a list of codes (a dual-region) -> `FI+NL`.

    A list becomes a country group named after its members, so a multi-country location
    is judged like any group: allowed only when every member is allowed (the worst wins).
    """
    if not isinstance(value, list):
        return _country(ctx, countries, node, key, value)
    if len(value) < 2:
        raise ctx.err(node, "a list of countries needs at least two codes", key)
    codes = sorted({_country(ctx, countries, node, key, v) for v in value})
    name = "+".join(codes)
    new_groups[name] = frozenset(codes)
    return name


def _certs(ctx: _Ctx, node: PosDict, key: str, inherited: Provenance) -> tuple[Certification, ...]:
    raw = node.get(key, [])
    if not isinstance(raw, list):
        raise ctx.err(node, f"{key!r} must be a list", key)
    out = []
    for item in raw:
        item = ctx.mapping(item, "a certification", node, key)
        ctx.keys(
            item,
            {"scheme", "status", "offer", "date", "scope", *_PROV_KEYS},
            {"scheme", "status", "offer"},
            "certification",
        )
        status = ctx.string(item, "status")
        if status not in CERT_STATUSES:
            raise ctx.err(item, f"status must be one of {', '.join(CERT_STATUSES)}", "status")
        scope = None
        if "scope" in item:
            scope = _scope(ctx, ctx.mapping(item["scope"], "a certification scope", item, "scope"))
        elif status == "qualified":
            raise ctx.err(
                item,
                "a qualified certification needs a scope: the resource types (and regions) "
                "of the qualified offer, with its source",
            )
        out.append(
            Certification(
                scheme=ctx.string(item, "scheme"),
                status=status,
                offer=ctx.string(item, "offer"),
                date=ctx.string(item, "date", required=False) or None,
                provenance=ctx.provenance(item, inherited),
                scope=scope,
            )
        )
    return tuple(out)


_GLOB = re.compile(r"[a-z0-9_*?\[\]-]+")


def _scope(ctx: _Ctx, node: PosDict) -> OfferScope:
    """Which resource types, regions and variant of which provider a qualified offer covers."""
    ctx.keys(
        node,
        {"provider", "resources", "except", "regions", "variant", "note", *_PROV_KEYS},
        {"resources", "note", "source", "as_of"},
        "certification scope",
    )
    globs = {k: ctx.strings(node, k) for k in ("resources", "except", "regions")}
    for key in ("resources", "except"):
        for glob in globs[key]:
            if not _GLOB.fullmatch(glob):
                raise ctx.err(node, f"{glob!r} is not a resource type or a glob of them", key)
    if globs["except"] and not globs["resources"]:
        raise ctx.err(node, "'except' narrows 'resources', which is empty", "except")
    return OfferScope(
        provider=ctx.string(node, "provider", required=False) or None,
        resources=globs["resources"],
        excluded=globs["except"],
        regions=globs["regions"],
        variant=ctx.string(node, "variant", required=False) or None,
        note=ctx.string(node, "note"),
        provenance=ctx.provenance(node),
    )


def _load_file(path: Path, error: type[CatalogError] = CatalogError) -> Any:
    from sovlint.readfile import ReadError, read_text

    try:
        text = read_text(path)  # bounded, strictly decoded, never blocks on a FIFO
    except ReadError as exc:
        raise error(str(path), exc.line, str(exc)) from None
    try:
        return load(text)
    except YamlError as exc:
        raise error(str(path), exc.line, f"invalid YAML: {exc}") from None


def _compile(ctx: _Ctx, node: PosDict, key: str, regex: str) -> re.Pattern[str]:
    try:
        return re.compile(regex)
    except re.error as exc:
        raise ctx.err(node, f"invalid regular expression {regex!r}: {exc}", key) from None


def _file_ctx(
    path: Path, top_keys: set[str], required: set[str], what: str, public: bool = True
) -> tuple[_Ctx, PosDict]:
    ctx = _Ctx(str(path), public=public)
    data = ctx.mapping(_load_file(path), what)
    ctx.keys(data, top_keys, required, what)
    return ctx, data
