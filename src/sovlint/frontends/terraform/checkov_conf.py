"""Checkov's configuration dicts -> sovlint's HCL model (standard library only).

Checkov (through bc-python-hcl2) hands its checks, and keeps in its graph, one
dict per block. Attribute values are wrapped in one-element lists (`["eu-west-3"]`,
`[{"env": "prod"}]` for a map), nested blocks are lists of dicts whose own values
are wrapped, labelled nested blocks (`backend "s3" {}`, `dynamic "x" {}`) are
`[{"label": {...}}]`, and the block's lines are `__start_line__`/`__end_line__`.
Checkov adds `__address__`, `__provider_address__` and `__resolved__`.

Checkov has already evaluated what it could (variables, tfvars, locals, module
inputs); what it could not is left as text without the `${}` (`"var.region"`,
`'lookup(var.m,"k","x")'`). Such text is turned back into an `Expression`, so
sovlint reports it as unresolved instead of judging the text as a region name.

Only block-level lines exist in this shape: every attribute gets the line of
the block it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sovlint.hclmodel import (
    Attribute,
    Block,
    Body,
    Expr,
    Expression,
    Literal,
    ObjectExpr,
    Template,
    TupleExpr,
)

# Text that checkov left unevaluated: a reference with a Terraform root, a resource
# attribute (type.name.attr), or a function call. Literal strings of this shape do not
# occur in the attributes sovlint judges (regions, endpoints, URLs).
_REFERENCE = re.compile(
    r"^(?:var|local|module|data|each|count|path|terraform|self)\.[A-Za-z_]"
    r"|^[a-z][a-z0-9]*_[A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_]"
)
_CALL = re.compile(r"^[a-z][a-z0-9_]*\(.*\)$", re.DOTALL)
_WHOLE_INTERPOLATION = re.compile(r"^\$\{([^{}]*)\}$")


def is_meta_key(key: str) -> bool:
    """Keys checkov and bc-python-hcl2 add (`__start_line__`, `__address__` ...)."""
    return key.startswith("__") and key.endswith("__")


def string_expr(text: str, line: int) -> Expr:
    whole = _WHOLE_INTERPOLATION.match(text)
    if whole:
        return Expression(whole.group(1).strip(), line)
    if "${" in text.replace("$${", ""):
        return Template(text, line)
    if _REFERENCE.match(text) or _CALL.match(text):
        return Expression(text, line)
    return Literal(text, line)


def value_expr(value: Any, line: int) -> Expr:
    """One (already unwrapped) attribute value."""
    if isinstance(value, dict):
        return ObjectExpr(
            tuple(
                (str(k), value_expr(v, line)) for k, v in value.items() if not is_meta_key(str(k))
            ),
            line,
        )
    if isinstance(value, (list, tuple)):
        return TupleExpr(tuple(value_expr(v, line) for v in value), line)
    if isinstance(value, str):
        return string_expr(value, line)
    if value is None or isinstance(value, (bool, int, float)):
        return Literal(value, line)
    return Expression(str(value), line)


def _block_shaped(item: Any) -> bool:
    """A nested block body: a dict whose attribute values are all wrapped in lists."""
    return isinstance(item, dict) and all(
        isinstance(v, list) for k, v in item.items() if not is_meta_key(str(k))
    )


def _labelled(item: Any) -> tuple[str, Mapping[str, Any]] | None:
    """`{"label": {body}}`: a labelled nested block (backend "s3", dynamic "x")."""
    if not isinstance(item, dict):
        return None
    keys = [k for k in item if not is_meta_key(str(k))]
    if len(keys) != 1:
        return None
    inner = item[keys[0]]
    if isinstance(inner, dict) and _block_shaped(inner):
        return str(keys[0]), inner
    return None


def _lines(conf: Mapping[str, Any], default: int) -> tuple[int, int]:
    start = conf.get("__start_line__")
    end = conf.get("__end_line__")
    line = start if isinstance(start, int) and not isinstance(start, bool) else default
    last = end if isinstance(end, int) and not isinstance(end, bool) else line
    return line, max(line, last)


# Blocks whose nested blocks Terraform knows by name: every other key is an argument. The
# parser gives `default = {}` and `lifecycle {}` the same shape (`[{}]`), and an object whose
# values are lists (`default = { eu = ["a"] }`) the shape of a block body.
NESTED_BLOCKS: dict[str, frozenset[str]] = {
    "variable": frozenset({"validation"}),
    "output": frozenset({"precondition"}),
    "module": frozenset(),
    "locals": frozenset(),
}


def body_from_conf(
    conf: Mapping[str, Any], line: int, nested: frozenset[str] | None = None
) -> Body:
    """The body of a block: attributes, nested blocks and labelled nested blocks. `nested`,
    when given, names the only keys that can be nested blocks."""
    body = Body()
    for raw_key, value in conf.items():
        key = str(raw_key)
        if is_meta_key(key):
            continue
        may_nest = nested is None or key in nested
        if (
            may_nest
            and isinstance(value, list)
            and value
            and all(isinstance(v, dict) for v in value)
        ):
            if all(_block_shaped(v) for v in value):
                for item in value:
                    start, end = _lines(item, line)
                    body.blocks.append(Block(key, [], body_from_conf(item, start), start, end))
                continue
            labelled = [_labelled(v) for v in value]
            if all(item is not None for item in labelled):
                for item in labelled:
                    assert item is not None
                    label, inner = item
                    start, end = _lines(inner, line)
                    body.blocks.append(
                        Block(key, [label], body_from_conf(inner, start), start, end)
                    )
                continue
        if isinstance(value, list) and len(value) == 1:
            expr = value_expr(value[0], line)
        else:
            expr = value_expr(value, line)
        body.attributes[key] = Attribute(key, expr, line, line)
    return body


def block_from_conf(block_type: str, labels: list[str], conf: Mapping[str, Any]) -> Block:
    """One top-level block (resource, data, provider, module, terraform) from its conf dict."""
    line, end = _lines(conf, 1)
    body = body_from_conf(conf, line, NESTED_BLOCKS.get(block_type))
    return Block(block_type, list(labels), body, line, end)


def block_from_vertex(block_type: str, config: Mapping[str, Any]) -> Block | None:
    """A block from a graph vertex's `config_`, which keeps the labels as dict keys:
    `{type: {name: conf}}` for resource/data, `{name: conf}` for provider/module,
    the conf itself for `terraform`."""
    if block_type == "terraform":
        return block_from_conf("terraform", [], config)
    if block_type in ("resource", "data"):
        for rtype, named in config.items():
            if isinstance(named, dict):
                for name, conf in named.items():
                    if isinstance(conf, dict):
                        return block_from_conf(block_type, [str(rtype), str(name)], conf)
        return None
    if block_type in ("provider", "module"):
        for name, conf in config.items():
            if isinstance(conf, dict):
                return block_from_conf(block_type, [str(name)], conf)
    return None
