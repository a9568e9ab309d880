"""The settings a Checkov check judges with: exactly those `sovlint scan` would use for the
scanned directory (`sovlint.settings`), with the profile from SOVLINT_PROFILE if set."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sovlint.catalog.model import Catalog
    from sovlint.settings import Settings

PROFILE_ENV = "SOVLINT_PROFILE"


class SettingsError(Exception):
    """A problem with the profile or `.sovlint.yaml` (reported on every entity: fail closed)."""


_settings: dict[tuple[str | None, str | None], Settings] = {}
_catalogs: dict[tuple[Path, ...], Catalog] = {}


def config_start(path: str) -> str:
    """Where to look for `.sovlint.yaml`: the scanned file's directory, unless Checkov scans a
    file it rendered into a temporary directory (helm, kustomize): then the current directory."""
    directory = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    temp = os.path.realpath(tempfile.gettempdir())
    cwd = os.path.realpath(os.getcwd())
    real = os.path.realpath(directory)
    if real.startswith(temp + os.sep) and not real.startswith(cwd + os.sep):
        return cwd
    return directory


def _catalog(extra: tuple[Path, ...]) -> Catalog:
    """One catalog per set of override files for the whole Checkov run."""
    from sovlint.settings import load_catalog_files

    if extra not in _catalogs:
        _catalogs[extra] = load_catalog_files(extra)
    return _catalogs[extra]


def settings_for(directory: str) -> Settings:
    """The settings `sovlint scan` would use for a module in `directory` (memoised)."""
    from sovlint.catalog.load import CatalogError
    from sovlint.config import find_config
    from sovlint.settings import ProfileNotFound, resolve_settings

    override = os.environ.get(PROFILE_ENV) or None
    try:
        found = find_config(Path(directory))
    except OSError:
        found = None
    key = (str(found) if found else None, override)
    if key in _settings:
        return _settings[key]
    try:
        settings = resolve_settings(found, override, load_catalog=_catalog)
    except ProfileNotFound as exc:
        raise SettingsError(f"{PROFILE_ENV}: {exc.message}") from None
    except CatalogError as exc:
        raise SettingsError(str(exc)) from None
    _settings[key] = settings
    return settings
