"""The catalog as one cache entry: `policies/` (~75 YAML files, ~400 regular expressions)
validated once, then read back with a single file read on every later run.

The entry is keyed by the bytes of every file under `policies/` and of the code that reads
them (this package and the YAML reader), so any edit to the data or to the loader rebuilds
it. It is JSON like every cache entry (never pickle): a generic encoding of the catalog's
dataclasses, containers and regular expressions. Regular expressions are compiled on first
use (a scan matches a few hosts; compiling all of them cost more than judging a small module).
User override files (`--catalog`, `catalog:` in `.sovlint.yaml`) are applied on top, as
`load_catalog` does, so they are read fresh on every run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovlint.catalog import model
from sovlint.catalog.load import apply_override, load_catalog, policies_dir
from sovlint.catalog.model import Catalog

if TYPE_CHECKING:
    from sovlint.cache import Cache

NAMESPACE = "catalog"


class LazyPattern:
    """A regular expression compiled when first used; compares equal to the compiled one."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled.match(text, *args)

    def fullmatch(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled.fullmatch(text, *args)

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled.search(text, *args)

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex

    def __getattr__(self, name: str) -> Any:  # finditer, sub, groups ...
        return getattr(self.compiled, name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (LazyPattern, re.Pattern)):
            return (self.pattern, _flags(self.flags)) == (other.pattern, _flags(other.flags))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.pattern, _flags(self.flags)))

    def __repr__(self) -> str:
        return f"re.compile({self.pattern!r})"


def _flags(flags: int) -> int:
    """Flags as `re.compile` records them (a str pattern is UNICODE unless ASCII)."""
    return flags if flags & re.ASCII else flags | re.UNICODE


@functools.lru_cache(maxsize=1)
def _classes() -> dict[str, type[Any]]:
    return {
        name: cls
        for name, cls in vars(model).items()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls)
    }


def encode(value: Any) -> Any:
    """JSON-ready form of catalog data. TypeError for anything it does not know."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"t": [encode(v) for v in value]}
    if isinstance(value, frozenset):
        return {"f": [encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, dict):
        if all(type(k) is str for k in value):
            return {"s": {k: encode(v) for k, v in value.items()}}
        return {"m": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (re.Pattern, LazyPattern)):
        return {"r": value.pattern, "g": value.flags}
    cls = type(value)
    if dataclasses.is_dataclass(value) and _classes().get(cls.__name__) is cls:
        return {
            "c": cls.__name__,
            "v": [encode(getattr(value, f.name)) for f in _public_fields(cls)],
        }
    raise TypeError(f"cannot encode {cls.__name__} in the compiled catalog")


def _public_fields(cls: type[Any]) -> Iterator[dataclasses.Field[Any]]:
    """Fields that carry data; `_`-prefixed ones are indexes rebuilt by `Catalog.index()`."""
    return (f for f in dataclasses.fields(cls) if not f.name.startswith("_"))


@functools.lru_cache(maxsize=1)
def _shapes() -> dict[str, tuple[type[Any], tuple[str, ...], tuple[tuple[str, Any, Any], ...]]]:
    """Per class: its data fields, and its index fields with their empty defaults."""
    out = {}
    for name, cls in _classes().items():
        public = tuple(f.name for f in _public_fields(cls))
        private = tuple(
            (
                f.name,
                f.default_factory if f.default_factory is not dataclasses.MISSING else None,
                None if f.default is dataclasses.MISSING else f.default,
            )
            for f in dataclasses.fields(cls)
            if f.name.startswith("_")
        )
        out[name] = (cls, public, private)
    return out


def _decoder() -> Any:
    shapes = _shapes()
    provenance: dict[Any, Any] = {}  # equal provenance records shared once

    def decode(value: Any) -> Any:
        kind = type(value)
        if kind is list:
            return [v if type(v) is str else decode(v) for v in value]
        if kind is not dict:
            return value
        if "s" in value:  # most maps: region -> country
            return {k: v if type(v) is str else decode(v) for k, v in value["s"].items()}
        if "c" in value:
            cls, public, private = shapes[value["c"]]
            raw = value["v"]
            if len(raw) != len(public):
                raise ValueError(f"compiled {value['c']} has another shape")
            obj = object.__new__(cls)
            fields = dict(
                zip(public, [v if type(v) is str else decode(v) for v in raw], strict=True)
            )
            for name, factory, default in private:
                fields[name] = factory() if factory is not None else default
            obj.__dict__.update(fields)  # (frozen dataclasses: no __setattr__ per field)
            if cls is model.Provenance:
                return provenance.setdefault(obj, obj)
            return obj
        if "t" in value:
            return tuple([v if type(v) is str else decode(v) for v in value["t"]])
        if "m" in value:
            return {decode(k): decode(v) for k, v in value["m"]}
        if "r" in value:
            return LazyPattern(str(value["r"]), int(value["g"]))
        if "f" in value:
            return frozenset([decode(v) for v in value["f"]])
        raise ValueError("unknown compiled catalog value")

    return decode


def decode(entry: Any) -> Catalog:
    catalog = _decoder()(entry)
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
    parts.append(("code:yamlpos.py", (here.parent / "yamlpos.py").read_bytes()))
    return parts


def catalog_key(cache: Cache, root: Path) -> str:
    flat: list[str | bytes] = []
    for name, data in _sources(root):
        flat += [name, data]
    return cache.key(NAMESPACE, *flat)


def load_compiled(cache: Cache | None, extra_files: list[Path] | None = None) -> Catalog:
    """`load_catalog()` through the cache: the bundled catalog from one entry, then overrides."""
    if cache is None or not cache.enabled:
        return load_catalog(extra_files=extra_files)
    root = policies_dir()
    try:
        key = catalog_key(cache, root)
    except OSError:
        return load_catalog(extra_files=extra_files)  # unreadable policies: the loader reports it
    catalog: Catalog | None = None
    hit = cache.get(NAMESPACE, key)
    if hit is not None:
        try:
            catalog = decode(hit)
        except (KeyError, TypeError, ValueError, IndexError):
            catalog = None  # an entry of another shape: rebuild and overwrite it
    if catalog is None:
        catalog = load_catalog(root)
        with contextlib.suppress(TypeError):  # a value the encoder does not know: no entry
            cache.put(NAMESPACE, key, encode(catalog))
    if extra_files:
        for extra in extra_files:
            apply_override(catalog, extra)
        catalog.index()
    return catalog
