"""Which configuration, catalog and profile a scan uses. One resolution for the CLI, the
pre-commit hook and the Checkov checks, so the same project gets the same verdicts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sovlint.catalog.load import CatalogError
    from sovlint.catalog.model import Catalog
    from sovlint.config import Config
    from sovlint.profiles import Profile

CatalogLoader = Callable[[tuple[Path, ...]], "Catalog"]


class ProfileNotFound(Exception):
    """The profile named by the caller (a --profile option, SOVLINT_PROFILE) does not exist."""

    def __init__(self, error: CatalogError) -> None:
        super().__init__(error.message)
        self.error = error
        self.message = error.message


@dataclass(frozen=True)
class Settings:
    config: Config
    catalog: Catalog
    profile: Profile  # as the configuration extends it

    @property
    def disabled(self) -> frozenset[str]:
        return frozenset(self.config.disable)


def load_catalog_files(extra: tuple[Path, ...]) -> Catalog:
    from sovlint.catalog.load import load_catalog

    return load_catalog(extra_files=list(extra))


def resolve_settings(
    config_file: Path | None,
    profile: str | None = None,
    catalog_files: Sequence[Path] = (),
    load_catalog: CatalogLoader = load_catalog_files,
) -> Settings:
    """The settings from `config_file` (None: defaults), the catalog plus the configuration's
    and the caller's override files, and the profile the caller names, else the
    configuration's, else the default one.

    Raises ConfigError / CatalogError (file and line) for bad data, ProfileNotFound when the
    caller's profile name is unknown."""
    from sovlint.catalog.load import CatalogError
    from sovlint.config import Config, ConfigError, load_config
    from sovlint.profiles import DEFAULT_PROFILE, apply_config, load_profile
    from sovlint.rules import REGISTRY

    config = load_config(config_file, set(REGISTRY)) if config_file else Config()
    catalog = load_catalog((*(Path(p) for p in config.catalog), *catalog_files))
    try:
        chosen = load_profile(profile or config.profile or DEFAULT_PROFILE, catalog)
    except CatalogError as exc:
        if exc.line != 0:  # an error inside a profile file names that file and line
            raise
        if profile is None and config.profile is not None:
            raise ConfigError(str(config.path), config.profile_line, exc.message) from None
        raise ProfileNotFound(exc) from None
    return Settings(config, catalog, apply_config(chosen, catalog, config))
