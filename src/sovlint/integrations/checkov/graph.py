"""Checkov's graph, indexed once per process: every block Checkov parsed (already evaluated:
variables, tfvars, module inputs) by entity and by module instance."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sovlint.hclmodel import Block
from sovlint.integrations.checkov.addresses import MODULE_NAME, split_module_prefix
from sovlint.integrations.checkov.checks import BLOCK_TYPES

_INSTANCE = re.compile(
    r"^path:(?P<path>.*?), name:(?P<name>.*?), nested_tf_module:(?P<nested>.*), foreach_idx:(?P<idx>.*)$",
    re.DOTALL,
)


def _indexed(name: str, idx: object) -> str:
    if idx is None or idx == "None":
        return name
    if isinstance(idx, int) and not isinstance(idx, bool):
        return f"{name}[{idx}]"
    if isinstance(idx, str) and idx.isdigit():
        return f"{name}[{idx}]"
    return f'{name}["{idx}"]'


def _field(node: object, name: str) -> object:
    if isinstance(node, Mapping):
        return node.get(name)
    return getattr(node, name, None)


def _parse_instance(text: str) -> Mapping[str, object] | None:
    """The `repr` of Checkov's TFModule: 'path:P, name:N, nested_tf_module:<json|None>, foreach_idx:I'."""
    m = _INSTANCE.match(text)
    if m is None:
        return None
    nested_text = m.group("nested").strip()
    try:
        nested = None if nested_text in ("None", "null", "") else json.loads(nested_text)
    except (ValueError, RecursionError):
        return None
    idx = m.group("idx").strip()
    return {
        "path": m.group("path"),
        "name": m.group("name"),
        "foreach_idx": None if idx == "None" else idx,
        "nested_tf_module": nested,
    }


def module_instance(source_module: object) -> tuple[str, tuple[str, ...]] | None:
    """Checkov's `source_module_object_` (a TFModule: path of the calling file, call name,
    count/for_each key, the calling module's own TFModule) -> (file of the root module's
    call, call names from the root down with their keys: ('many["a"]', 'disk'))."""
    node: object = source_module
    if isinstance(node, str):
        node = _parse_instance(node)
    names: list[str] = []
    root: str | None = None
    depth = 0
    while node is not None and depth < 1000:
        name, path = _field(node, "name"), _field(node, "path")
        if not isinstance(name, str) or not isinstance(path, str):
            return None
        names.append(_indexed(name, _field(node, "foreach_idx")))
        root = path
        node = _field(node, "nested_tf_module")
        depth += 1
    if root is None:
        return None
    return root, tuple(reversed(names))


@dataclass
class Vertex:
    """One block Checkov parsed (a node of its graph)."""

    block_type: str
    file: str  # absolute path
    address: str  # Checkov's __address__ ("" for terraform blocks)
    line: int
    root_dir: str
    names: tuple[str, ...]  # module instance (call names from the root); () in a root module
    config: Mapping[str, Any]

    def block(self) -> Block | None:
        from sovlint.frontends.terraform.checkov_conf import block_from_vertex

        return block_from_vertex(self.block_type, self.config)


def _graph_nodes(graph: Any) -> Iterable[Mapping[str, Any]]:
    """The attribute dicts of the nodes (rustworkx, Checkov's default; or networkx)."""
    networkx = type(graph).__module__.split(".", 1)[0] == "networkx"
    items = graph.nodes(data=True) if networkx else graph.nodes()
    for item in items:
        attrs = item[1] if isinstance(item, tuple) and len(item) == 2 else item
        if isinstance(attrs, Mapping):
            yield attrs


class GraphIndex:
    """Checkov's graph, indexed by entity and by module instance."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph  # keep it alive: the index is cached by id(graph)
        self.entities: dict[tuple[str, str, int], list[Vertex]] = {}
        self.modules: dict[tuple[str, tuple[str, ...]], list[Vertex]] = {}
        seen: set[tuple[object, ...]] = set()
        for attrs in _graph_nodes(graph):
            vertex = self._vertex(attrs)
            if vertex is None:
                continue
            identity = (vertex.block_type, vertex.address, vertex.file, vertex.line)
            if (*identity, vertex.root_dir, vertex.names) in seen:
                continue  # the same block twice (Checkov unrolling a module cycle)
            seen.add((*identity, vertex.root_dir, vertex.names))
            self.modules.setdefault((vertex.root_dir, vertex.names), []).append(vertex)
            if vertex.address:
                key = (vertex.block_type, vertex.address, vertex.line)
                self.entities.setdefault(key, []).append(vertex)
        self.unchecked = self._unchecked_instances()

    def _unchecked_instances(self) -> dict[tuple[str, tuple[str, ...]], list[str]]:
        """Module instances whose blocks are in the graph but which Checkov runs no check on.

        Checkov (3.3.30) looks a module's entities up by the module's directory and its call
        name: when one module directory is called under the same name from more than one
        caller (the `examples/*` of a public module, each calling `source = "../.."` as
        `module "this"`), it checks none of that module's blocks, in any of the callers. Each
        such instance maps to the callers' directories, to say so in CKV_SOV_107."""
        callers: dict[tuple[str, str], set[tuple[str, tuple[str, ...]]]] = {}
        for (root_dir, names), vertices in self.modules.items():
            if not names:
                continue
            directory = os.path.dirname(vertices[0].file)
            call = names[-1].split("[", 1)[0]
            callers.setdefault((directory, call), set()).add((root_dir, names[:-1]))
        unchecked: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        for (root_dir, names), vertices in self.modules.items():
            if not names:
                continue
            key = (os.path.dirname(vertices[0].file), names[-1].split("[", 1)[0])
            if len(callers[key]) > 1:
                unchecked[(root_dir, names)] = sorted({c[0] for c in callers[key]})
        return unchecked

    @staticmethod
    def _vertex(attrs: Mapping[str, Any]) -> Vertex | None:
        block_type = attrs.get("block_type_")
        path = attrs.get("file_path_")
        config = attrs.get("config_")
        if block_type not in BLOCK_TYPES or not isinstance(path, str):
            return None
        if not isinstance(config, Mapping):
            return None
        source_module = attrs.get("source_module_object_")
        address = attrs.get("__address__")
        names: tuple[str, ...] = ()
        if source_module is None:
            root_dir = os.path.dirname(path)
        else:
            instance = module_instance(source_module)
            if instance is None:
                return None
            root_dir, names = os.path.dirname(instance[0]), instance[1]
            if isinstance(address, str) and address:
                # The address is what Checkov reports; it stays right where the chain of
                # calling modules does not (Checkov unrolls a module cycle until recursion fails).
                prefix, _ = split_module_prefix(address)
                names = tuple(MODULE_NAME.findall(prefix))
        line = attrs.get("__start_line__")
        return Vertex(
            block_type=str(block_type),
            file=path,
            address=address if isinstance(address, str) else "",
            line=line if isinstance(line, int) else 0,
            root_dir=root_dir,
            names=names,
            config=config,
        )

    def entity(self, block_type: str, address: str, line: int, scanned_file: str) -> Vertex | None:
        """The vertex of the entity a check runs on. `scanned_file` is Checkov's path relative
        to the scanned directory ('/main.tf'), so it is matched as a path suffix."""
        suffix = scanned_file.replace("\\", "/").lstrip("/")
        found = [
            v
            for v in self.entities.get((block_type, address, line), [])
            if v.file.replace("\\", "/").endswith("/" + suffix) or v.file == suffix
        ]
        return found[0] if len(found) == 1 else None


_indexes: dict[int, GraphIndex] = {}


def graph_index(graph: Any) -> GraphIndex:
    index = _indexes.get(id(graph))
    if index is None or index.graph is not graph:
        index = _indexes[id(graph)] = GraphIndex(graph)
    return index
