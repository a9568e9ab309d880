"""A JSON form for sovlint's own data classes, for cache entries (never pickle: an entry
restored from elsewhere must not be able to run code).

Values are scalars, lists, tuples, frozensets, dicts, regular expressions, enums and
dataclass instances of the classes a `Codec` is given (looked up by name: nothing else can be
constructed). Fields whose name starts with `_` are indexes: not stored, reset to their
defaults. Regular expressions come back as `LazyPattern`, compiled on first use.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import re
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any


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


# JSON values that decode to themselves.
_PLAIN = frozenset((str, int, float, bool, type(None)))

_Shape = tuple[type[Any], tuple[str, ...], tuple[tuple[str, Any, Any], ...]]


class Codec:
    """Encoder and decoder for the dataclasses and enums defined in `modules`."""

    def __init__(self, modules: Iterable[ModuleType], shared: tuple[type[Any], ...] = ()) -> None:
        self.classes: dict[str, type[Any]] = {}
        self.enums: dict[str, type[enum.Enum]] = {}
        for module in modules:
            for name, cls in vars(module).items():
                if not isinstance(cls, type) or cls.__module__ != module.__name__:
                    continue
                if dataclasses.is_dataclass(cls):
                    self.classes[name] = cls
                elif issubclass(cls, enum.Enum):
                    self.enums[name] = cls
        self.members: dict[tuple[str, Any], enum.Enum] = {}
        self.shared = shared  # frozen classes whose equal instances decode to one object
        self.shapes: dict[str, _Shape] = {}
        for name, cls in self.classes.items():
            public = tuple(f.name for f in dataclasses.fields(cls) if not f.name.startswith("_"))
            private = tuple(
                (
                    f.name,
                    f.default_factory if f.default_factory is not dataclasses.MISSING else None,
                    None if f.default is dataclasses.MISSING else f.default,
                )
                for f in dataclasses.fields(cls)
                if f.name.startswith("_")
            )
            self.shapes[name] = (cls, public, private)

    def encode(self, value: Any) -> Any:
        """JSON-ready form of `value`. TypeError for anything this codec does not know."""
        if isinstance(value, enum.Enum):
            cls = type(value)
            if self.enums.get(cls.__name__) is not cls:
                raise TypeError(f"cannot encode enum {cls.__name__}")
            return {"e": cls.__name__, "v": value.value}
        if value is None or isinstance(value, (str, bool, int, float)):
            return value
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        if isinstance(value, tuple):
            return {"t": [self.encode(v) for v in value]}
        if isinstance(value, frozenset):
            return {"f": [self.encode(v) for v in sorted(value, key=repr)]}
        if isinstance(value, dict):
            if all(type(k) is str for k in value):
                return {"s": {k: self.encode(v) for k, v in value.items()}}
            return {"m": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        if isinstance(value, (re.Pattern, LazyPattern)):
            return {"r": value.pattern, "g": value.flags}
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return {"date": value.isoformat()}
        cls = type(value)
        if dataclasses.is_dataclass(value) and self.classes.get(cls.__name__) is cls:
            public = self.shapes[cls.__name__][1]
            return {"c": cls.__name__, "v": [self.encode(getattr(value, f)) for f in public]}
        raise TypeError(f"cannot encode {cls.__name__}")

    def decoder(self) -> Callable[[Any], Any]:
        """A decoding function (one per entry: it shares equal `shared` instances).
        KeyError/TypeError/ValueError for a value of another shape."""
        shapes, enums, shared = self.shapes, self.enums, self.shared
        seen: dict[Any, Any] = {}

        plain = _PLAIN  # (most values are: no call for them)
        members = self.members

        def decode(value: Any) -> Any:
            kind = type(value)
            if kind is list:
                return [v if type(v) in plain else decode(v) for v in value]
            if kind is not dict:
                return value
            if "s" in value:
                return {k: v if type(v) in plain else decode(v) for k, v in value["s"].items()}
            if "c" in value:
                cls, public, private = shapes[value["c"]]
                raw = value["v"]
                if len(raw) != len(public):
                    raise ValueError(f"{value['c']} has another shape")
                obj = object.__new__(cls)
                fields = dict(
                    zip(public, [v if type(v) in plain else decode(v) for v in raw], strict=True)
                )
                for name, factory, default in private:
                    fields[name] = factory() if factory is not None else default
                obj.__dict__.update(fields)  # (frozen dataclasses: no __setattr__ per field)
                if cls in shared:
                    return seen.setdefault(obj, obj)
                return obj
            if "t" in value:
                return tuple([v if type(v) in plain else decode(v) for v in value["t"]])
            if "e" in value:
                name, raw = value["e"], value["v"]
                if type(raw) not in plain:
                    return enums[name](raw)
                member = members.get((name, raw))
                if member is None:  # (an Enum call is slow: once per member)
                    member = members[(name, raw)] = enums[name](raw)
                return member
            if "m" in value:
                return {decode(k): decode(v) for k, v in value["m"]}
            if "r" in value:
                return LazyPattern(str(value["r"]), int(value["g"]))
            if "f" in value:
                return frozenset([decode(v) for v in value["f"]])
            if "date" in value:
                return _dt.date.fromisoformat(value["date"])
            raise ValueError("unknown encoded value")

        return decode
