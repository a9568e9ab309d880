"""The catalog as one cache entry: `policies/` (~75 YAML files, ~400 regular expressions)
validated once, then read back with a single file read on every later run.

The entry is keyed by the bytes of every file under `policies/` and of the code that reads
them (this package and the YAML reader), so any edit to the data or to the loader rebuilds
it. It is JSON like every cache entry (never pickle): the generic encoding of the catalog's
dataclasses, containers and regular expressions (sovlint.jsoncodec). Regular expressions
are compiled on first use (a scan matches a few hosts; compiling all of them cost more than
judging a small module).
User override files (`--catalog`, `catalog:` in `.sovlint.yaml`) are applied on top, as
`load_catalog` does, so they are read fresh on every run.
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovlint.cache import digest
from sovlint.catalog import kube_model, model, provenance
from sovlint.catalog.load import apply_override, load_catalog, policies_dir
from sovlint.catalog.model import Catalog
from sovlint.jsoncodec import Codec, LazyPattern

__all__ = ["LazyPattern", "catalog_key", "decode", "encode", "load_compiled", "load_keyed"]

if TYPE_CHECKING:
    from sovlint.cache import Cache

NAMESPACE = "catalog"


@functools.lru_cache(maxsize=1)
def _codec() -> Codec:
    return Codec([provenance, model, kube_model], shared=(provenance.Provenance,))


def encode(catalog: Catalog) -> Any:
    """The JSON form of a catalog. TypeError for a value the codec does not know."""
    return _codec().encode(catalog)


def decode(entry: Any) -> Catalog:
    catalog = _codec().decoder()(entry)
    if not isinstance(catalog, Catalog):
        raise ValueError("not a compiled catalog")
    catalog.index()
    return catalog


def _sources(root: Path) -> list[tuple[str, bytes]]:
    """Every input of the compiled catalog: the data files and the code that reads them."""
    here = Path(__file__).resolve().parent
    files = sorted(p for p in root.rglob("*") if p.is_file())
    parts = [(p.relative_to(root).as_posix(), p.read_bytes()) for p in files]
    parts += [(f"code:{p.name}", p.read_bytes()) for p in sorted(here.glob("*.py"))]
    for shared in ("yamlpos.py", "jsoncodec.py"):
        parts.append((f"code:{shared}", (here.parent / shared).read_bytes()))
    return parts


def catalog_key(cache: Cache, root: Path) -> str:
    flat: list[str | bytes] = []
    for name, data in _sources(root):
        flat += [name, data]
    return cache.key(NAMESPACE, *flat)


def load_compiled(cache: Cache | None, extra_files: list[Path] | None = None) -> Catalog:
    """`load_catalog()` through the cache: the bundled catalog from one entry, then overrides."""
    return load_keyed(cache, extra_files)[0]


def load_keyed(
    cache: Cache | None, extra_files: list[Path] | None = None
) -> tuple[Catalog, str | None]:
    """The catalog and the digest of everything it was built from (the bundled data, the
    code that reads it and each override file's bytes); None without a cache."""
    if cache is None or not cache.enabled:
        return load_catalog(extra_files=extra_files), None
    root = policies_dir()
    try:
        key = catalog_key(cache, root)
    except OSError:
        return load_catalog(extra_files=extra_files), None  # the loader reports what it cannot read
    catalog: Catalog | None = None
    hit = cache.get(NAMESPACE, key)
    if hit is not None:
        try:
            catalog = decode(hit)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            catalog = None  # an entry of another shape: rebuild and overwrite it
    if catalog is None:
        catalog = load_catalog(root)
        with contextlib.suppress(TypeError):  # a value the encoder does not know: no entry
            cache.put(NAMESPACE, key, encode(catalog))
    overrides: list[str | bytes] = []
    if extra_files:
        for extra in extra_files:
            apply_override(catalog, extra)
            overrides += [str(extra), extra.read_bytes()]
        catalog.index()
    return catalog, digest(key, *overrides)
