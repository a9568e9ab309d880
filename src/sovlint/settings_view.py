"""`sovlint scan --show-settings`: which configuration, profile and overrides apply to each
path, and where each setting comes from (an auditor's first question)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sovlint.catalog.model import Catalog
    from sovlint.config import Config
    from sovlint.engine import ScanOptions


def _line(config: Config, key: str) -> str:
    line = config.key_lines.get(key)
    return f" ({config.path}:{line})" if line else ""


def show_settings(
    targets: list[Path], config: Config, catalog: Catalog, options: ScanOptions
) -> str:
    profile = options.profile
    out = []
    for target in targets or [Path()]:
        out.append(f"{target.as_posix()}:")
        out.append(f"  configuration: {config.path or '(none found; built-in defaults)'}")
        out.append(f"  profile: {profile.name} ({profile.file}){_line(config, 'profile')}")
        rows = [
            ("allow_countries", list(profile.extended_countries)),
            ("allow_providers", sorted(profile.allow_providers)),
            ("deny_providers", sorted(profile.deny_providers)),
            ("allow_registries", list(profile.allow_registries)),
            ("disable", sorted(options.disabled)),
            ("severity", [f"{k}={v.label}" for k, v in sorted(options.severity_overrides.items())]),
            ("exclude", list(options.exclude)),
            ("var_files", [p.as_posix() for p in options.var_files]),
            ("catalog overrides", list(catalog.overrides)),
        ]
        for key, values in rows:
            shown = ", ".join(values) if values else "(none)"
            out.append(f"  {key}: {shown}{_line(config, key) if values else ''}")
        countries = sorted(profile.location_countries)
        out.append(f"  location countries: {len(countries)} ({', '.join(countries)})")
        if profile.operator_countries is not None:
            out.append(f"  operator countries: {len(profile.operator_countries)}")
        if profile.certifications:
            out.append(f"  certifications: {', '.join(profile.certifications)}")
    return "\n".join(out) + "\n"
