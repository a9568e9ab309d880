"""YAML text -> the nodes of nodes.py, safely (see nodes.py's docstring): PyYAML composes
the stream, every document's alias graph is checked, then converted to Scalar / Mapping /
Sequence. Imported only when a YAML text must really be parsed (a warm scan whose
manifests come from the cache never imports PyYAML)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from sovlint.frontends.kubernetes.nodes import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    Document,
    LoadError,
    Mapping,
    Node,
    Scalar,
    Sequence,
)

_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
# The plain scalars YAML 1.1 (PyYAML's SafeLoader) resolves to null.
_NULL_PLAIN = frozenset(("", "~", "null", "Null", "NULL"))


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader resolving only the two tags the converter reads: null and merge (`<<`).

    The converter keeps every other scalar as its text, so resolving `8080` to int or `on` to
    bool (regular expressions tried on every plain scalar, in Python) was work for nothing:
    a tenth of a cold scan of a large manifest tree. Other plain scalars resolve to str;
    explicit tags are kept as written. tests/test_kubernetes_loader.py checks that null and
    merge resolve as CSafeLoader resolves them.
    """

    def resolve(self, kind: Any, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if value in _NULL_PLAIN:
                    return _NULL
                if value == "<<":
                    return _MERGE
            return _STR
        return str(super().resolve(kind, value, implicit))


def _line(node: Any) -> int:
    return int(node.start_mark.line) + 1


def _end_line(node: Any) -> int:
    """Last line of a node (PyYAML's end mark sits at the start of the next line for blocks)."""
    mark = node.end_mark
    line = int(mark.line) + 1
    if mark.column == 0 and line > _line(node):
        line -= 1
    return line


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        out = []
        for key, value in node.value:
            out.append(key)
            out.append(value)
        return out
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_graph(root: Any) -> None:
    """Refuse alias bombs, recursive aliases and excessive nesting before any walk.

    Iterative post-order over the shared node graph: linear in the number of distinct
    nodes, whatever the aliases expand to.
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, finished = stack.pop()
        nid = id(node)
        if finished:
            on_path.discard(nid)
            size[nid] = 1 + sum(size[id(c)] for c in _children(node))
            continue
        if nid in size:
            continue
        if depth > MAX_DEPTH:
            raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", _line(node))
        on_path.add(nid)
        stack.append((node, depth, True))
        for child in _children(node):
            cid = id(child)
            if cid in on_path:
                raise LoadError("recursive alias (a node that contains itself)", _line(child))
            if cid not in size:
                stack.append((child, depth + 1, False))
    expanded = size[id(root)]
    if expanded - len(size) > MAX_ALIAS_EXPANSION:
        raise LoadError(
            f"aliases expand this document to {expanded} nodes (more than "
            f"{MAX_ALIAS_EXPANSION} beyond the {len(size)} written): refusing to expand an alias bomb",
            _line(root),
        )


def check_depth(root: Any) -> None:
    """`check_graph` for a document without anchors (a text with no `&`: aliases need one),
    which is a tree: no alias can expand or recurse, so only its depth can be refused. The
    nodes are visited in check_graph's order, so the same node is the one reported."""
    stack: list[tuple[Any, int]] = [(root, 0)]
    pop, push = stack.pop, stack.append
    mapping, sequence = yaml.MappingNode, yaml.SequenceNode
    while stack:
        node, depth = pop()
        if depth > MAX_DEPTH:
            raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", _line(node))
        if isinstance(node, mapping):
            for key, value in node.value:
                push((key, depth + 1))
                push((value, depth + 1))
        elif isinstance(node, sequence):
            for child in node.value:
                push((child, depth + 1))


class _Converter:
    """Composed YAML nodes -> Scalar/Mapping/Sequence, sharing aliased subtrees."""

    def __init__(self) -> None:
        self.memo: dict[int, Node] = {}

    def convert(self, node: Any) -> Node:
        nid = id(node)
        done = self.memo.get(nid)
        if done is not None:
            return done
        out: Node
        if isinstance(node, yaml.ScalarNode):
            value = None if node.tag == _NULL else str(node.value)
            out = Scalar(value, _line(node), _end_line(node), node.style == "|")
        elif isinstance(node, yaml.SequenceNode):
            seq = Sequence(_line(node), _end_line(node))
            self.memo[nid] = seq
            seq.items = [self.convert(child) for child in node.value]
            out = seq
        elif isinstance(node, yaml.MappingNode):
            out = self.mapping(node)
        else:  # pragma: no cover - compose yields only these three kinds
            raise LoadError(f"unexpected YAML node {type(node).__name__}", _line(node))
        self.memo[nid] = out
        return out

    def mapping(self, node: Any) -> Mapping:
        out = Mapping(_line(node), _end_line(node))
        self.memo[id(node)] = out
        merged: list[Mapping] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE:
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for source in sources:
                    converted = self.convert(source)
                    if not isinstance(converted, Mapping):
                        raise LoadError("a merge key (<<) needs a mapping", _line(source))
                    merged.append(converted)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise LoadError("mapping keys must be scalars", _line(key_node))
            key = str(key_node.value)
            if key in out.entries:
                raise LoadError(f"duplicate key {key!r}", _line(key_node))
            out.entries[key] = self.convert(value_node)
            out.key_lines[key] = _line(key_node)
        for source in merged:  # explicit keys win over merged ones; earlier merges win
            for key, value in source.entries.items():
                if key not in out.entries:
                    out.entries[key] = value
                    out.key_lines[key] = source.key_lines.get(key, source.line)
        return out


def compose_documents(text: str) -> Iterator[Document]:
    """Every document of a YAML stream, checked and converted, in order.

    Raises LoadError (with a line) for anything that is not a safe, well-formed stream;
    documents before the broken one have already been yielded.
    """
    check = check_graph if "&" in text else check_depth
    try:
        for composed in yaml.compose_all(text, Loader=_Loader):
            if composed is None:  # pragma: no cover - compose_all skips empty documents
                continue
            check(composed)
            yield Document(_Converter().convert(composed), _line(composed))
    except LoadError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or str(exc).splitlines()[0]
        context = f" ({exc.context})" if exc.context else ""
        if mark is not None and _tab_at(text, mark.line, mark.column):
            problem, context = "a tab character in indentation (YAML indents with spaces)", ""
        raise LoadError(f"invalid YAML: {problem}{context}", line) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {str(exc).splitlines()[0]}", 1) from None
    except RecursionError:
        raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", 1) from None
    except (UnicodeError, ValueError, TypeError, OverflowError) as exc:
        # libyaml refuses text it cannot encode (lone surrogates): still only a parse failure.
        raise LoadError(f"cannot parse: {exc}", 1) from None


def _tab_at(text: str, line: int, column: int) -> bool:
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return False
    current = lines[line]
    return "\t" in current[: column + 1] and not current[:column].strip(" \t-")


# -- JSON ----------------------------------------------------------------------------------
