"""Manifest text -> YAML or JSON documents, cached by content (like parsed Terraform files)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.frontends.kubernetes.nodes import Document, LoadError, load_json, load_yaml

if TYPE_CHECKING:
    from sovlint.cache import Cache

# Cached documents depend on the loader's code, not only on sovlint's version.
_NODES_STAMP = "|".join(
    f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
    for p in (
        Path(__file__).with_name("nodes.py"),
        Path(__file__).with_name("yaml_compose.py"),
        Path(__file__),
    )
)


def looks_like_manifest(text: str) -> bool:
    return "apiVersion" in text and "kind" in text


_CACHE: list[Cache] = []


def use_cache(cache: Cache | None) -> None:
    """Cache parsed manifests (by content) like parsed Terraform files; None turns it off."""
    _CACHE[:] = [cache] if cache is not None and cache.enabled else []


def parse_stream(text: str, as_json: bool) -> tuple[list[Document], LoadError | None]:
    """The documents of a manifest text, and the error that stopped parsing (if any)."""
    if not _CACHE:
        return _parse_stream(text, as_json)
    from sovlint.frontends.kubernetes.nodes import stream_from_json, stream_to_json

    cache = _CACHE[0]
    key = cache.key("k8s", _NODES_STAMP, "json" if as_json else "yaml", text)
    hit = cache.get("k8s", key)
    if isinstance(hit, dict):
        try:
            return stream_from_json(hit)
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # another shape: parse again and overwrite
    docs, error = _parse_stream(text, as_json)
    cache.put("k8s", key, stream_to_json(docs, error))
    return docs, error


def _parse_stream(text: str, as_json: bool) -> tuple[list[Document], LoadError | None]:
    docs: list[Document] = []
    try:
        if as_json:
            docs.append(load_json(text))
        else:
            docs.extend(load_yaml(text))
    except LoadError as exc:
        # Kept beyond this handler: without the frames of the parse it was raised in (they
        # hold the parser, its events and marks), which would otherwise stay alive in a
        # reference cycle until the garbage collector's next pass.
        exc.__context__ = exc.__cause__ = None
        return docs, exc.with_traceback(None)
    return docs, None
