"""Terraform JSON syntax (`.tf.json`, `.tofu.json`, `.tfvars.json`) to sovlint's HCL model.

JSON has no block/attribute distinction, so block nesting follows Terraform's
documented JSON configuration syntax for the top-level block types; anything
deeper stays an object attribute (the fact builder accepts either shape).
"""

from __future__ import annotations

from sovlint import jsonpos
from sovlint.hclmodel import (
    Attribute,
    Block,
    Body,
    Document,
    Expr,
    Expression,
    Literal,
    ObjectExpr,
    Template,
    TupleExpr,
)
from sovlint.jsonpos import JArray, JObject, JScalar, JValue

from .hcl_native import HclSyntaxError

# Number of labels of each top-level block type in Terraform's JSON syntax.
_LABELS = {
    "resource": 2,
    "data": 2,
    "ephemeral": 2,
    "provider": 1,
    "variable": 1,
    "output": 1,
    "module": 1,
    "check": 1,
    "terraform": 0,
    "locals": 0,
    "moved": 0,
    "import": 0,
    "removed": 0,
}
_TERRAFORM_NESTED = {"backend": 1, "cloud": 0, "required_providers": 0}


def _expr(node: JValue) -> Expr:
    if isinstance(node, JScalar):
        if isinstance(node.value, str):
            text = node.value
            if text.startswith("${") and text.endswith("}") and text.count("${") == 1:
                return Expression(text[2:-1].strip(), node.line)
            if "${" in text.replace("$${", "") or "%{" in text.replace("%%{", ""):
                return Template(text, node.line)
            return Literal(text.replace("$${", "${").replace("%%{", "%{"), node.line)
        return Literal(node.value, node.line)
    if isinstance(node, JArray):
        return TupleExpr(tuple(_expr(v) for v in node.items), node.line)
    return ObjectExpr(tuple((k, _expr(v)) for k, v in node.items if k != "//"), node.line)


def _attrs_body(node: JObject, nested: dict[str, int] | None = None) -> Body:
    body = Body()
    for key, value in node.items:
        if key == "//":
            continue
        if nested and key in nested:
            body.blocks.extend(_blocks(key, value, nested[key]))
            continue
        body.attributes[key] = Attribute(key, _expr(value), value.line, _end(value))
    return body


def _end(node: JValue) -> int:
    return node.end_line if isinstance(node, (JObject, JArray)) else node.line


def _blocks(btype: str, node: JValue, nlabels: int, labels: tuple[str, ...] = ()) -> list[Block]:
    if isinstance(node, JArray):  # several blocks of the same type/labels
        out: list[Block] = []
        for item in node.items:
            out.extend(_blocks(btype, item, nlabels, labels))
        return out
    if not isinstance(node, JObject):
        raise HclSyntaxError(f"{btype} block must be a JSON object", node.line)
    if nlabels > 0:
        out = []
        for key, value in node.items:
            if key == "//":
                continue
            out.extend(_blocks(btype, value, nlabels - 1, (*labels, key)))
        return out
    nested = _TERRAFORM_NESTED if btype == "terraform" else None
    return [Block(btype, list(labels), _attrs_body(node, nested), node.line, node.end_line)]


def parse_tf_json(text: str, path: str) -> Document:
    try:
        root = jsonpos.parse(text)
    except jsonpos.JsonError as exc:
        raise HclSyntaxError(f"invalid JSON: {exc}", exc.line) from None
    if not isinstance(root, JObject):
        raise HclSyntaxError("a Terraform JSON file must hold a JSON object", root.line)
    body = Body()
    for key, value in root.items:
        if key == "//":
            continue
        if key in _LABELS:
            body.blocks.extend(_blocks(key, value, _LABELS[key]))
        else:
            raise HclSyntaxError(f"unknown top-level block type {key!r}", value.line)
    return Document(path=path, body=body, text=text)


def parse_tfvars_json(text: str, path: str) -> Document:
    try:
        root = jsonpos.parse(text)
    except jsonpos.JsonError as exc:
        raise HclSyntaxError(f"invalid JSON: {exc}", exc.line) from None
    if not isinstance(root, JObject):
        raise HclSyntaxError("a .tfvars.json file must hold a JSON object", root.line)
    body = Body()
    for key, value in root.items:
        body.attributes[key] = Attribute(key, _expr(value), value.line, _end(value))
    return Document(path=path, body=body, text=text)
