"""Manifest text -> a small tree of nodes that know their lines (YAML streams and JSON).

Safety, because manifests come from anywhere:
- YAML is only *composed* (PyYAML's `compose_all`, libyaml's C parser when present):
  no tag ever constructs a Python object, and scalars stay strings (`0777`, `08`, `no`).
- Aliases are shared, never copied: a billion-laughs file composes to a few nodes. Before
  anything walks a document, its expanded size is computed over the shared graph; more
  than MAX_ALIAS_EXPANSION extra nodes, a recursive alias or nesting deeper than MAX_DEPTH
  is a LoadError (SOV001), so every later walk is bounded.
- Duplicate keys are a LoadError with the line of the second key; so are YAML syntax errors
  (tabs in indentation, bad indentation ...) with their line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sovlint import jsonpos

MAX_DEPTH = 200
MAX_ALIAS_EXPANSION = 100_000


class LoadError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = max(1, line)


class Node:
    __slots__ = ("end_line", "line")

    def __init__(self, line: int, end_line: int) -> None:
        self.line = line
        self.end_line = max(line, end_line)


class Scalar(Node):
    """A scalar: its text, or None for null. `literal`: a `|` block (its text starts on the next line)."""

    __slots__ = ("literal", "value")

    def __init__(self, value: str | None, line: int, end_line: int, literal: bool = False) -> None:
        super().__init__(line, end_line)
        self.value = value
        self.literal = literal


class Mapping(Node):
    """A mapping with string keys; `key_lines` gives the line of each key."""

    __slots__ = ("entries", "key_lines")

    def __init__(self, line: int, end_line: int) -> None:
        super().__init__(line, end_line)
        self.entries: dict[str, Node] = {}
        self.key_lines: dict[str, int] = {}

    def get(self, key: str) -> Node | None:
        return self.entries.get(key)

    def text(self, key: str) -> str | None:
        node = self.entries.get(key)
        return node.value if isinstance(node, Scalar) else None

    def mapping(self, key: str) -> Mapping | None:
        node = self.entries.get(key)
        return node if isinstance(node, Mapping) else None

    def sequence(self, key: str) -> Sequence | None:
        node = self.entries.get(key)
        return node if isinstance(node, Sequence) else None

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, end_line: int) -> None:
        super().__init__(line, end_line)
        self.items: list[Node] = []


class Document:
    """One document of a stream: its root node (None for an empty document)."""

    __slots__ = ("line", "root")

    def __init__(self, root: Node | None, line: int) -> None:
        self.root = root
        self.line = line


def load_yaml(text: str) -> Iterator[Document]:
    """Every document of a YAML stream, checked and converted, in order (yaml_compose.py).

    Raises LoadError (with a line) for anything that is not a safe, well-formed stream;
    documents before the broken one have already been yielded.
    """
    from sovlint.frontends.kubernetes.yaml_compose import compose_documents

    return compose_documents(text)


def _from_json(node: jsonpos.JValue, depth: int = 0) -> Node:
    if depth > MAX_DEPTH:
        raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", node.line)
    if isinstance(node, jsonpos.JScalar):
        value = node.value
        if value is None:
            return Scalar(None, node.line, node.line)
        if isinstance(value, bool):
            return Scalar("true" if value else "false", node.line, node.line)
        return Scalar(str(value), node.line, node.line)
    if isinstance(node, jsonpos.JArray):
        seq = Sequence(node.line, node.end_line)
        seq.items = [_from_json(item, depth + 1) for item in node.items]
        return seq
    out = Mapping(node.line, node.end_line)
    for key, item in node.items:
        if key in out.entries:
            raise LoadError(f"duplicate key {key!r}", item.line)
        out.entries[key] = _from_json(item, depth + 1)
        out.key_lines[key] = item.line
    return out


def load_json(text: str) -> Document:
    """One JSON document (strict JSON; the line of every value is kept)."""
    try:
        root = jsonpos.parse(text)
    except jsonpos.JsonError as exc:
        raise LoadError(f"invalid JSON: {exc}", exc.line) from None
    except RecursionError:
        raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", 1) from None
    return Document(_from_json(root), root.line)


# -- JSON form, for the on-disk cache ----------------------------------------------------


def node_to_json(node: Node) -> list[Any]:
    if isinstance(node, Scalar):
        return ["s", node.value, node.line, node.end_line, node.literal]
    if isinstance(node, Mapping):
        items = [
            [k, node.key_lines.get(k, node.line), node_to_json(v)] for k, v in node.entries.items()
        ]
        return ["m", node.line, node.end_line, items]
    if isinstance(node, Sequence):
        return ["q", node.line, node.end_line, [node_to_json(i) for i in node.items]]
    raise TypeError(f"unexpected node {type(node).__name__}")


def node_from_json(data: list[Any]) -> Node:
    tag = data[0]
    if tag == "s":
        return Scalar(data[1], data[2], data[3], bool(data[4]))
    if tag == "m":
        mapping = Mapping(data[1], data[2])
        for key, line, value in data[3]:
            mapping.entries[key] = node_from_json(value)
            mapping.key_lines[key] = line
        return mapping
    if tag == "q":
        seq = Sequence(data[1], data[2])
        seq.items = [node_from_json(i) for i in data[3]]
        return seq
    raise ValueError(f"unknown node tag {tag!r}")


def stream_to_json(docs: list[Document], error: LoadError | None) -> dict[str, Any]:
    return {
        "docs": [[node_to_json(d.root) if d.root is not None else None, d.line] for d in docs],
        "error": [str(error), error.line] if error is not None else None,
    }


def stream_from_json(data: dict[str, Any]) -> tuple[list[Document], LoadError | None]:
    docs = [
        Document(node_from_json(root) if root is not None else None, line)
        for root, line in data["docs"]
    ]
    error = LoadError(str(data["error"][0]), int(data["error"][1])) if data["error"] else None
    return docs, error
