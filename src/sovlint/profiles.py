"""Sovereignty profiles: what a team's policy forbids, as data (`policies/profiles/*.yaml`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.catalog.load import policies_dir
from sovlint.catalog.model import Catalog
from sovlint.catalog.shape import CatalogError, _Ctx, _load_file

if TYPE_CHECKING:
    from sovlint.config import Config
from sovlint.yamlpos import PosDict

DEFAULT_PROFILE = "sovereign-eu"


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    description: str
    operator_countries: frozenset[str] | None  # None: any operator is acceptable
    forbidden_exposure: frozenset[str]
    location_countries: frozenset[str]
    certifications: tuple[str, ...]
    file: str
    allow_providers: frozenset[str] = field(default_factory=frozenset)
    deny_providers: frozenset[str] = field(default_factory=frozenset)
    allow_registries: tuple[str, ...] = ()
    extended_countries: tuple[str, ...] = ()

    @property
    def judges_operators(self) -> bool:
        return self.operator_countries is not None or bool(self.certifications)

    def extend(
        self,
        catalog: Catalog,
        allow_countries: tuple[str, ...] = (),
        allow_providers: tuple[str, ...] = (),
        deny_providers: tuple[str, ...] = (),
        allow_registries: tuple[str, ...] = (),
    ) -> Profile:
        """The profile with a project's extensions from `.sovlint.yaml`."""
        extra = catalog.expand(allow_countries)
        return replace(
            self,
            operator_countries=None
            if self.operator_countries is None
            else self.operator_countries | extra,
            location_countries=self.location_countries | extra,
            allow_providers=self.allow_providers | frozenset(allow_providers),
            deny_providers=self.deny_providers | frozenset(deny_providers),
            allow_registries=self.allow_registries + tuple(allow_registries),
            extended_countries=self.extended_countries + tuple(allow_countries),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "operator_countries": sorted(self.operator_countries)
            if self.operator_countries is not None
            else None,
            "forbidden_exposure": sorted(self.forbidden_exposure),
            "location_countries": sorted(self.location_countries),
            "certifications": list(self.certifications),
            "allow_countries": list(self.extended_countries),
            "allow_providers": sorted(self.allow_providers),
            "deny_providers": sorted(self.deny_providers),
            "allow_registries": list(self.allow_registries),
        }


def profiles_dir() -> Path:
    return policies_dir() / "profiles"


def available_profiles() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.yaml"))


def load_profile(name_or_path: str, catalog: Catalog) -> Profile:
    """A bundled profile by name, or a profile file by path."""
    path = Path(name_or_path)
    if not (name_or_path.endswith((".yaml", ".yml")) and path.is_file()):
        path = profiles_dir() / f"{name_or_path}.yaml"
        if not path.is_file():
            known = ", ".join(available_profiles())
            raise CatalogError(
                name_or_path, 0, f"unknown profile {name_or_path!r} (available: {known})"
            )
    ctx = _Ctx(str(path))
    node = ctx.mapping(_load_file(path), "a profile")
    ctx.keys(
        node,
        {"name", "title", "description", "operator", "locations", "certifications"},
        {"name", "title", "description", "operator", "locations"},
        "profile",
    )
    operator_countries: frozenset[str] | None = None
    forbidden: frozenset[str] = frozenset()
    op = node.get("operator")
    if op is not None:
        op = ctx.mapping(op, "operator", node, "operator")
        ctx.keys(op, {"countries", "forbidden_exposure"}, {"countries"}, "profile operator")
        operator_countries = _countries(ctx, op, "countries", catalog)
        forbidden = frozenset(ctx.strings(op, "forbidden_exposure"))
        for law in forbidden:
            if law not in catalog.laws:
                raise ctx.err(op, f"unknown law {law!r} (see laws.yaml)", "forbidden_exposure")
    loc = ctx.mapping(node["locations"], "locations", node, "locations")
    ctx.keys(loc, {"countries"}, {"countries"}, "profile locations")
    certs = ctx.strings(node, "certifications")
    return Profile(
        name=ctx.string(node, "name"),
        title=ctx.string(node, "title"),
        description=" ".join(ctx.string(node, "description").split()),
        operator_countries=operator_countries,
        forbidden_exposure=forbidden,
        location_countries=_countries(ctx, loc, "countries", catalog),
        certifications=certs,
        file=str(path),
    )


def _countries(ctx: _Ctx, node: PosDict, key: str, catalog: Catalog) -> frozenset[str]:
    names = ctx.strings(node, key)
    for name in names:
        if name not in catalog.groups and name not in catalog.countries:
            raise ctx.err(node, f"{name!r} is neither a country code nor a group", key)
    return catalog.expand(names)


def apply_config(profile: Profile, catalog: Catalog, config: Config) -> Profile:
    """The profile as a project's `.sovlint.yaml` extends it (same for the CLI and Checkov)."""
    from sovlint.config import ConfigError

    for code in config.allow_countries:
        if code in catalog.countries or code in catalog.groups:
            continue
        hint = f" (did you mean {code.upper()!r}?)" if code.upper() in catalog.countries else ""
        raise ConfigError(
            str(config.path),
            config.key_lines.get("allow_countries", 1),
            f"{code!r} in allow_countries is neither an ISO 3166-1 alpha-2 country code "
            f"(two upper-case letters, as in countries.yaml) nor a country group{hint}",
        )
    for option in ("allow_providers", "deny_providers"):
        for key in getattr(config, option):
            if key in catalog.providers or key in catalog.operators:
                continue
            raise ConfigError(
                str(config.path),
                config.key_lines.get(option, 1),
                f"{key!r} in {option} is neither a provider nor an operator key "
                "(see `sovlint catalog providers`)",
            )
    return profile.extend(
        catalog,
        config.allow_countries,
        config.allow_providers,
        config.deny_providers,
        config.allow_registries,
    )
