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


def one_configuration(targets: list[Path]) -> None:
    """Refuse paths under different nearest .sovlint.yaml files: one configuration applies to
    a whole run, so taking the first path's would make the verdict depend on argument order
    (`scan a/main.tf z/main.tf` silenced z/ with a/'s `disable:`). Until each file is judged
    under its own configuration, the run says so instead of guessing."""
    from sovlint.config import find_config

    found = {target: find_config(target) for target in targets}
    if len(set(found.values())) <= 1:
        return
    shown = "; ".join(
        f"{t}: {c if c is not None else 'no configuration'}" for t, c in list(found.items())[:4]
    )
    raise UsageError(
        f"paths under different configurations ({shown}): scan each group separately, "
        "or pin one configuration for all with --config"
    )


def load_settings(
    profile_name: str | None,
    config_path: Path | None,
    start: Path,
    catalog_files: list[Path],
    cache: Cache | None = None,
    keys: list[str] | None = None,
) -> tuple[Config, Catalog, Profile]:
    """Configuration, catalog and profile; `keys` receives the catalog's digest (with a cache)."""
    keys = [] if keys is None else keys
    from sovlint.catalog.compiled import load_keyed
    from sovlint.config import find_config
    from sovlint.settings import ProfileNotFound, resolve_settings

    if config_path is not None and not config_path.is_file():
        raise UsageError(f"{config_path}: configuration file not found")

    def load_catalog(extra: Iterable[Path]) -> Catalog:
        catalog, key = load_keyed(cache, list(extra))
        keys[:] = [key] if key is not None else []
        return catalog

    try:
        settings = resolve_settings(
            config_path or find_config(start),
            profile_name,
            catalog_files,
            load_catalog=load_catalog,
        )
    except ProfileNotFound as exc:
        raise UsageError(f"--profile: {exc.message}") from None
    return settings.config, settings.catalog, settings.profile
