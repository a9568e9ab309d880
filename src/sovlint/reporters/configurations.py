"""Which configuration judged which files (sovlint.hierarchy): the JSON report's
`configurations`, the SARIF run's `configurations` property and, when a run used several,
one text summary line each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from sovlint.reporters import Report


@dataclass
class ConfigurationUse:
    """One configuration of a run: the file (None: built-in defaults), the scanned paths it
    applies from, what it sets, and the report's files it owns (their nearest one)."""

    config: str | None
    applies_to: tuple[str, ...] = ()
    profile: str = ""
    disabled: tuple[str, ...] = ()
    severity_overrides: dict[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    catalog_overrides: tuple[str, ...] = ()
    fail_on: str | None = None
    files: list[str] = field(default_factory=list)

    def settings_json(self) -> dict[str, object]:
        """Everything but the files (the shards of one scan share it)."""
        return {
            "config": self.config,
            "applies_to": list(self.applies_to),
            "profile": self.profile,
            "disabled": list(self.disabled),
            "severity_overrides": dict(self.severity_overrides),
            "exclude": list(self.exclude),
            "catalog_overrides": list(self.catalog_overrides),
            "fail_on": self.fail_on,
        }

    def to_json(self) -> dict[str, object]:
        return {**self.settings_json(), "files": list(self.files)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConfigurationUse:
        return cls(
            config=data["config"],
            applies_to=tuple(data["applies_to"]),
            profile=str(data["profile"]),
            disabled=tuple(data["disabled"]),
            severity_overrides=dict(data["severity_overrides"]),
            exclude=tuple(data["exclude"]),
            catalog_overrides=tuple(data["catalog_overrides"]),
            fail_on=data["fail_on"],
            files=list(data["files"]),
        )


def configurations_json(report: Report) -> list[dict[str, object]]:
    return [use.to_json() for use in report.configurations]


def configuration_lines(report: Report) -> list[str]:
    """One `configuration:` line per configuration, when the run used more than one."""
    if len(report.configurations) < 2:
        return []
    lines = []
    for use in report.configurations:
        count = len(use.files)
        where = ", ".join(use.applies_to)
        lines.append(
            f"configuration {use.config or '(none: built-in defaults)'}: "
            f"{count} file{'' if count == 1 else 's'} (from {where})"
        )
    return lines


def scoped(report: Report, single: str, values: Callable[[ConfigurationUse], list[str]]) -> str:
    """A setting for display: `single` with one configuration; with several, each
    configuration's values after its file (`a/.sovlint.yaml: SOV101; ...`)."""
    if len(report.configurations) < 2:
        return single
    shown = [
        f"{use.config or 'built-in defaults'}: {', '.join(values(use))}"
        for use in report.configurations
        if values(use)
    ]
    return "; ".join(shown) or "none"
