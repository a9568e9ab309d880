"""Configuration, catalog and profile for a command."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.cli.app import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sovlint.cache import Cache
    from sovlint.catalog.model import Catalog
    from sovlint.config import Config
    from sovlint.profiles import Profile


def load_settings(
    profile_name: str | None,
    config_path: Path | None,
    start: Path,
    catalog_files: list[Path],
    cache: Cache | None = None,
    keys: list[str] | None = None,
) -> tuple[Config, Catalog, Profile]:
    """Configuration (`config_path`, else the nearest one from `start`), catalog and profile;
    `keys` receives the catalog's digest (with a cache)."""
    from sovlint.config import find_config

    if config_path is not None and not config_path.is_file():
        raise UsageError(f"{config_path}: configuration file not found")
    return resolve(profile_name, config_path or find_config(start), catalog_files, cache, keys)


def resolve(
    profile_name: str | None,
    config_file: Path | None,
    catalog_files: list[Path],
    cache: Cache | None = None,
    keys: list[str] | None = None,
) -> tuple[Config, Catalog, Profile]:
    """Configuration from `config_file` (None: built-in defaults), catalog and profile."""
    keys = [] if keys is None else keys
    from sovlint.catalog.compiled import load_keyed
    from sovlint.settings import ProfileNotFound, resolve_settings

    def load_catalog(extra: Iterable[Path]) -> Catalog:
        catalog, key = load_keyed(cache, list(extra))
        keys[:] = [key] if key is not None else []
        return catalog

    try:
        settings = resolve_settings(
            config_file,
            profile_name,
            catalog_files,
            load_catalog=load_catalog,
        )
    except ProfileNotFound as exc:
        raise UsageError(f"--profile: {exc.message}") from None
    return settings.config, settings.catalog, settings.profile
