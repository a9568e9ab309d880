"""Safe YAML loading that keeps line numbers and refuses duplicate keys.

Mappings become `PosDict` (a dict that knows its own line and each key's line),
sequences `PosList`. Only the YAML safe schema is constructed: no tag can
create Python objects. libyaml's C parser is used when PyYAML has it.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sovlint.cache import Cache


class YamlError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class PosDict(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        lines: dict[str, int] = getattr(self, "key_lines", {})
        return lines.get(key, self.line)


class PosList(list[Any]):
    line: int = 0


def _construct_mapping(loader: Any, node: Any) -> PosDict:
    loader.flatten_mapping(node)
    out = PosDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise YamlError("mapping keys must be scalars", key_node.start_mark.line + 1)
        skey = key if isinstance(key, str) else str(key)
        if skey in out:
            raise YamlError(f"duplicate key {skey!r}", key_node.start_mark.line + 1)
        out[skey] = loader.construct_object(value_node, deep=True)
        out.key_lines[skey] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: Any, node: Any) -> PosList:
    out = PosList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    return out


@functools.lru_cache(maxsize=1)
def _loader() -> Any:
    """The position-keeping safe loader. PyYAML is imported only when a text is parsed: a
    cached tree needs none of it (pre-commit start-up)."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("_Loader", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
    return loader


_CACHE: list[Cache] = []
# Cached trees depend on this module's construction code, not only on sovlint's version.
_SOURCE_STAMP = str(os.path.getmtime(__file__)) + ":" + str(os.path.getsize(__file__))


def use_cache(cache: Cache | None) -> None:
    """Cache loaded trees (the catalog's ~70 files cost more to parse than to judge a scan)."""
    _CACHE[:] = [cache] if cache is not None and cache.enabled else []


def _encode(value: Any) -> Any:
    if isinstance(value, PosDict):
        return {"d": value.line, "k": [[k, value.line_of(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, PosList):
        return {"l": value.line, "i": [_encode(v) for v in value]}
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, (dict, list, set, tuple, bytes)):
        raise TypeError("unexpected YAML value type")  # only PosDict/PosList are constructed
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "d" in value:
            out = PosDict()
            out.line = value["d"]
            out.key_lines = {}
            for key, line, item in value["k"]:
                out[key] = _decode(item)
                out.key_lines[key] = line
            return out
        if "l" in value:
            seq = PosList(_decode(v) for v in value["i"])
            seq.line = value["l"]
            return seq
        if "t" in value:
            return datetime.datetime.fromisoformat(value["t"])
        return datetime.date.fromisoformat(value["date"])
    return value


def load(text: str) -> Any:
    """Load one YAML document (for configuration and catalog files)."""
    if _CACHE:
        cache = _CACHE[0]
        key = cache.key("yaml", _SOURCE_STAMP, text)
        hit = cache.get("yaml", key)
        if isinstance(hit, dict) and "v" in hit:
            try:
                return _decode(hit["v"])
            except (KeyError, TypeError, ValueError):
                pass
        value = _load(text)
        with contextlib.suppress(TypeError):
            cache.put("yaml", key, {"v": _encode(value)})
        return value
    return _load(text)


MAX_EXPANDED_NODES = 100_000


def _check_expansion(value: Any) -> None:
    """Refuse a document whose aliases expand it beyond MAX_EXPANDED_NODES (a billion-laughs
    file constructs a few shared lists, but anything that walks them, like the cache encoder,
    would take forever). Sizes are computed once per shared object, so this is linear."""
    limit = MAX_EXPANDED_NODES
    sizes: dict[int, int] = {}

    def size(item: Any) -> int:
        if not isinstance(item, (PosDict, PosList)):
            return 1
        known = sizes.get(id(item))
        if known is not None:
            return known
        sizes[id(item)] = limit + 1  # in progress: a cycle counts as too large
        children = item.values() if isinstance(item, PosDict) else item
        total = 1
        for child in children:
            total = min(total + size(child), limit + 1)
        sizes[id(item)] = total
        return total

    if size(value) > limit:
        raise YamlError(f"aliases expand this document beyond {limit} nodes", 1)


def _load(text: str) -> Any:
    import yaml

    try:
        value = yaml.load(text, Loader=_loader())
        _check_expansion(value)
        return value
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlError(f"{exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc).splitlines()[0], 1) from None
    except RecursionError:
        raise YamlError("nesting too deep", 1) from None
