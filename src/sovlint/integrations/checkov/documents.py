"""Checkov's vertices of one module instance -> sovlint documents: every configuration file
of the directory as written (read with Checkov's own HCL parser, already in its process),
else the vertices' dicts; and a root module's tfvars in Terraform's order."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sovlint.hclmodel import Block, Body, Document
from sovlint.integrations.checkov.graph import Vertex

_read: dict[str, frozenset[str]] = {}


def read_files(vertices: Iterable[Vertex]) -> set[str]:
    """The files sovlint reads for these vertices' directories (x.tofu replaces x.tf)."""
    from sovlint.discovery import module_files

    allowed: set[str] = set()
    for directory in {os.path.dirname(v.file) for v in vertices}:
        if directory not in _read:
            _read[directory] = frozenset(str(p) for p in module_files(Path(directory)))
        allowed.update(_read[directory])
    return allowed


_sources: dict[str, Document | None] = {}
_TOP_LEVEL = ("terraform", "variable", "locals", "output", "provider", "resource", "data", "module")


def source_document(path: str) -> Document | None:
    """The file as written, read with Checkov's own HCL parser (bc-python-hcl2, already in
    its process): the configuration dicts of Checkov's graph hold its partial evaluation
    (`lower(ASH)`, Python reprs of maps), so sovlint's evaluator reads the source and gives
    the verdict `sovlint scan` gives. None when the file cannot be read that way (the
    graph's dicts are used then)."""
    if path not in _sources:
        from sovlint.frontends.terraform.checkov_conf import block_from_conf, is_meta_key

        data = _hcl2_loads(path)
        if data is None:
            _sources[path] = None
            return None
        blocks: list[Block] = []
        for block_type in _TOP_LEVEL:
            for item in data.get(block_type, []) or []:
                if not isinstance(item, dict):
                    continue
                if block_type in ("terraform", "locals"):
                    blocks.append(block_from_conf(block_type, [], item))
                    continue
                for label, inner in item.items():
                    if is_meta_key(str(label)) or not isinstance(inner, dict):
                        continue
                    if block_type in ("resource", "data"):
                        for name, conf in inner.items():
                            if isinstance(conf, dict):
                                blocks.append(
                                    block_from_conf(block_type, [str(label), str(name)], conf)
                                )
                    else:
                        blocks.append(block_from_conf(block_type, [str(label)], inner))
        blocks.sort(key=lambda b: b.line)
        _sources[path] = Document(path, Body(blocks=blocks))
    return _sources[path]


def _hcl2_loads(path: str) -> dict[str, Any] | None:
    try:
        import hcl2  # Checkov's parser, imported only inside Checkov's process

        with open(path, encoding="utf-8") as fh:
            data = hcl2.loads(fh.read())
    except Exception:  # any failure: the caller falls back to Checkov's dicts
        return None
    return data if isinstance(data, dict) else None


def _json_document(path: str, var_file: bool) -> Document | None:
    from sovlint.frontends.terraform.hcl_json import parse_tf_json, parse_tfvars_json

    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        return parse_tfvars_json(text, path) if var_file else parse_tf_json(text, path)
    except Exception:  # unreadable or invalid: as Checkov sees it
        return None


def documents(vertices: Iterable[Vertex]) -> list[Document]:
    """Documents of one module instance: every configuration file of its directory as
    written (see source_document; variables and locals included), or, for a file that
    cannot be read that way, its vertices' dicts."""
    vertices = list(vertices)
    allowed = read_files(vertices)
    by_file: dict[str, list[tuple[int, Block]]] = {}
    sources: dict[str, Document] = {}
    for path in sorted(allowed):
        source = _json_document(path, False) if path.endswith(".json") else source_document(path)
        if source is not None:
            sources[path] = source
    for v in vertices:
        if v.file not in allowed or v.file in sources:
            continue
        block = v.block()
        if block is not None:
            by_file.setdefault(v.file, []).append((block.line, block))
    docs = list(sources.values())
    for path in sorted(by_file):
        blocks = [b for _, b in sorted(by_file[path], key=lambda item: item[0])]
        docs.append(Document(path, Body(blocks=blocks)))
    return sorted(docs, key=lambda d: d.path)


def var_documents(root_dir: str) -> list[Document]:
    """terraform.tfvars and *.auto.tfvars of a root module, in Terraform's order."""
    from sovlint.discovery import module_var_files
    from sovlint.frontends.terraform.checkov_conf import value_expr
    from sovlint.hclmodel import Attribute

    out = []
    for path in module_var_files(Path(root_dir)):
        if path.name.endswith(".json"):
            doc = _json_document(str(path), True)
            if doc is not None:
                out.append(doc)
            continue
        data = _hcl2_loads(str(path))
        if data is None:
            continue
        body = Body()
        for name, value in data.items():
            unwrapped = value[0] if isinstance(value, list) and len(value) == 1 else value
            body.attributes[name] = Attribute(name, value_expr(unwrapped, 0), 0, 0)
        out.append(Document(str(path), body))
    return out
