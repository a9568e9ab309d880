"""Checkov's Kubernetes object dicts -> sovlint's manifest nodes (standard library only).

Checkov hands a Kubernetes check the object as plain Python values, with
`__startline__`/`__endline__` on every mapping (no line for scalars or keys), and
`metadata.annotations` rewritten into a list of mappings when it parsed skip
annotations. The nodes built here carry the line of the mapping that holds each
value, which is the best this shape allows; they feed the same extraction
(`objects.build_object`) and rules as a manifest sovlint reads itself.
"""

from __future__ import annotations

from collections.abc import Mapping as AbstractMapping
from typing import Any

from sovlint.frontends.kubernetes.nodes import Mapping, Node, Scalar, Sequence

LINE_KEYS = ("__startline__", "__endline__")


def _int(value: Any, default: int) -> int:
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default
    )


def _scalar_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _merged_annotations(items: list[Any]) -> dict[str, Any]:
    """Checkov's skip parser turns `annotations` into a list of mappings: merge them back."""
    merged: dict[str, Any] = {}
    for item in items:
        if isinstance(item, AbstractMapping):
            for key, value in item.items():
                if key in LINE_KEYS and key in merged:
                    continue
                merged[str(key)] = value
    return merged


def to_node(value: Any, line: int = 1, depth: int = 0) -> Node:
    """A node for a value of Checkov's object dict; `line` is the enclosing mapping's line."""
    if depth > 200:
        return Scalar(None, line, line)
    if isinstance(value, AbstractMapping):
        start = _int(value.get("__startline__"), line)
        node = Mapping(start, _int(value.get("__endline__"), start))
        for raw_key, child in value.items():
            key = str(raw_key)
            if key in LINE_KEYS:
                continue
            if key == "annotations" and isinstance(child, list):
                child = _merged_annotations(child)
                child.setdefault("__startline__", start)
            node.entries[key] = to_node(child, start, depth + 1)
            node.key_lines[key] = start
        return node
    if isinstance(value, list):
        seq = Sequence(line, line)
        seq.items = [to_node(item, line, depth + 1) for item in value]
        if seq.items:
            seq.end_line = max(item.end_line for item in seq.items)
        return seq
    return Scalar(_scalar_text(value), line, line)
