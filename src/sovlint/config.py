"""Project configuration: `.sovlint.yaml`, found from the scanned directory upward."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sovlint.catalog.shape import CatalogError, _Ctx, _load_file
from sovlint.model import Severity
from sovlint.yamlpos import PosDict

CONFIG_NAMES = (".sovlint.yaml", ".sovlint.yml")

_KEYS = {
    "profile",
    "allow_countries",
    "allow_providers",
    "deny_providers",
    "allow_registries",
    "disable",
    "severity",
    "exclude",
    "fail_on",
    "catalog",
    "var_files",
}


class ConfigError(CatalogError):
    """A problem in `.sovlint.yaml` (same shape as catalog errors: file, line, message)."""


@dataclass
class Config:
    path: str | None = None
    profile: str | None = None
    profile_line: int = 0
    allow_countries: tuple[str, ...] = ()
    allow_providers: tuple[str, ...] = ()
    deny_providers: tuple[str, ...] = ()
    allow_registries: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    fail_on: Severity | None = None
    catalog: tuple[str, ...] = ()
    var_files: tuple[str, ...] = ()
    key_lines: dict[str, int] = field(default_factory=dict)  # where each key is, for messages


def _fixed_rules(judged: bool) -> set[str]:
    """Rules whose findings the engine reports whatever the configuration says (SOV001: fail
    closed), so accepting them in `disable` or `severity` would lie. `judged`: only the ones
    a rule check produces (the engine honours `disable: [SOV003]`)."""
    from sovlint.rules import REGISTRY

    return {
        rid
        for rid, rule in REGISTRY.items()
        if not rule.meta.suppressible and (rule.check is not None or not judged)
    }


def find_config(start: Path) -> Path | None:
    """The nearest config file from `start` upward, stopping at the repository root."""
    current = start.resolve()
    if current.is_file():
        current = current.parent
    for directory in (current, *current.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        if (directory / ".git").exists():
            return None
    return None


def load_config(path: Path, known_rules: set[str]) -> Config:
    ctx = _Ctx(str(path), ConfigError)
    raw = _load_file(path, ConfigError)
    if raw is None:
        return Config(path=str(path))
    if not isinstance(raw, PosDict):
        raise ConfigError(str(path), 1, "the configuration must be a mapping")
    for key in raw:
        if key not in _KEYS:
            raise ConfigError(
                str(path),
                raw.line_of(key),
                f"unknown key {key!r} (known: {', '.join(sorted(_KEYS))})",
            )
    cfg = Config(path=str(path))
    if "profile" in raw:
        cfg.profile = ctx.string(raw, "profile")
        cfg.profile_line = raw.line_of("profile")
    cfg.key_lines = {key: raw.line_of(key) for key in raw}
    countries = raw.get("allow_countries")
    if isinstance(countries, list) and any(isinstance(v, bool) for v in countries):
        raise ConfigError(
            str(path),
            raw.line_of("allow_countries"),
            'a country code in allow_countries was read as a boolean: quote it ("NO" for Norway; '
            "YAML 1.1 reads NO, no, off as false)",
        )
    for key in (
        "allow_countries",
        "allow_providers",
        "deny_providers",
        "allow_registries",
        "exclude",
        "catalog",
        "var_files",
    ):
        if key in raw:
            setattr(cfg, key, ctx.strings(raw, key))
    base = path.parent
    cfg.catalog = tuple(str(base / p) for p in cfg.catalog)
    cfg.var_files = tuple(str(base / p) for p in cfg.var_files)
    for key, what in (("catalog", "catalog file"), ("var_files", "variable file")):
        for name in getattr(cfg, key):
            # Only a missing file is refused here: one that exists but is no regular file
            # (a FIFO, a directory) is refused by the bounded reader with its own reason.
            if not Path(name).exists():
                raise ConfigError(str(path), raw.line_of(key), f"{what} {name} not found")
    if "disable" in raw:
        cfg.disable = ctx.strings(raw, "disable")
        for rid in cfg.disable:
            if rid not in known_rules:
                raise ConfigError(
                    str(path), raw.line_of("disable"), f"unknown rule id {rid!r} in disable"
                )
            if rid in _fixed_rules(judged=True):
                raise ConfigError(
                    str(path),
                    raw.line_of("disable"),
                    f"{rid} cannot be disabled: sovlint fails closed on files it cannot read "
                    "(exclude such paths with `exclude` instead)",
                )
    if "severity" in raw:
        sev = raw["severity"]
        if not isinstance(sev, PosDict):
            raise ConfigError(
                str(path), raw.line_of("severity"), "severity must map rule ids to severities"
            )
        for rid, value in sev.items():
            if rid not in known_rules:
                raise ConfigError(
                    str(path), sev.line_of(rid), f"unknown rule id {rid!r} in severity"
                )
            if rid in _fixed_rules(judged=False):
                raise ConfigError(
                    str(path), sev.line_of(rid), f"the severity of {rid} cannot be changed"
                )
            try:
                cfg.severity[rid] = Severity.parse(str(value))
            except ValueError as exc:
                raise ConfigError(str(path), sev.line_of(rid), str(exc)) from None
    if "fail_on" in raw:
        try:
            cfg.fail_on = Severity.parse(str(raw["fail_on"]))
        except ValueError as exc:
            raise ConfigError(str(path), raw.line_of("fail_on"), str(exc)) from None
    return cfg
