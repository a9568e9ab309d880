"""policies/compose.yaml: which files are Compose files and which service fields are read."""

from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ComposeData:
    names: frozenset[str]
    globs: tuple[str, ...]
    image: str
    values: tuple[str, ...]  # dotted paths inside a service: "logging.options"

    def is_compose_file(self, path: Path) -> bool:
        name = path.name
        return name in self.names or any(fnmatch.fnmatchcase(name, g) for g in self.globs)


def _strings(data: Any, key: str) -> list[str]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"policies/compose.yaml: {key} must be a list of strings")
    return value


@functools.lru_cache(maxsize=1)
def compose_data() -> ComposeData:
    import yaml

    from sovlint.catalog.load import policies_dir

    data = yaml.safe_load((policies_dir() / "compose.yaml").read_text(encoding="utf-8"))
    files, services = data.get("files"), data.get("services")
    image = services.get("image") if isinstance(services, dict) else None
    if not isinstance(image, str):
        raise ValueError("policies/compose.yaml: services.image must be a string")
    names, globs = _strings(files, "names"), _strings(files, "globs")
    if not all("compose" in pattern for pattern in (*names, *globs)):
        raise ValueError("policies/compose.yaml: every file name and glob must contain 'compose'")
    return ComposeData(
        frozenset(names),
        tuple(globs),
        image,
        tuple(_strings(services, "values")),
    )
