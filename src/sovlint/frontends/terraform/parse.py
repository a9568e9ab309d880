"""One entry point for parsing a Terraform file, and the cache entry shape it produces.

The engine, the parse workers and the content cache all go through here, so a parsed
file, a cached one and one parsed in another process are the same thing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovlint.hclmodel import Document, body_from_json, body_to_json

from .hcl_native import HclSyntaxError

if TYPE_CHECKING:
    from sovlint.cache import Cache


def parse_file(path: Path, text: str, display: str, var_file: bool) -> Document:
    """HCL (tree-sitter when it parses cleanly, else the python-hcl2 reference) or Terraform JSON."""
    from .hcl_fast import parse_fast
    from .hcl_json import parse_tf_json, parse_tfvars_json
    from .hcl_native import parse_hcl

    if path.name.endswith(".json"):
        return parse_tfvars_json(text, display) if var_file else parse_tf_json(text, display)
    return parse_fast(text, display) or parse_hcl(text, display)


def cache_key(cache: Cache, path: Path, var_file: bool, text: str) -> str:
    from .hcl_native import parser_fingerprint

    kind = ("tfvars-json" if var_file else "tf-json") if path.name.endswith(".json") else "hcl"
    return cache.key("hcl", parser_fingerprint(), kind, text)


def parse_to_entry(
    path: Path, text: str, display: str, var_file: bool
) -> tuple[dict[str, Any], Document | None]:
    """The cache entry for a file ({"body"} or {"error", "line"}) and its document (None on error)."""
    try:
        doc = parse_file(path, text, display, var_file)
    except HclSyntaxError as exc:
        return {"error": str(exc), "line": exc.line}, None
    return {"body": body_to_json(doc.body)}, doc


def from_entry(entry: dict[str, Any], display: str, text: str) -> Document:
    """The document of a cache entry; HclSyntaxError for a recorded error.
    KeyError/TypeError/ValueError: an entry of another shape (parse again)."""
    if "error" in entry:
        raise HclSyntaxError(str(entry["error"]), int(entry["line"]))
    return Document(path=display, body=body_from_json(entry["body"]), text=text)
